#pragma once
// SHA-256, for the report's Content-Security-Policy hashes of its inline style.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace relayaudit {

std::array<std::uint8_t, 32> sha256(std::string_view data);
std::string base64Encode(std::string_view data);
// "sha256-<base64>" as a CSP source expression.
std::string cspHash(std::string_view content);

} // namespace relayaudit
