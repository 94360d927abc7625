#pragma once
// Content-Security-Policy source expressions for the report's inline resources.
#include <string>
#include <string_view>

namespace relayaudit {

// "sha256-<base64 of the SHA-256 digest>" (CSP Level 2 hash source).
std::string cspHash(std::string_view content);

} // namespace relayaudit
