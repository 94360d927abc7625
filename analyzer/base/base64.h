#pragma once
// Base64 (RFC 4648) encoding through nettle: raw directory values that are not text travel in
// the snapshot as base64, and the report's CSP hashes are base64.
#include <string>
#include <string_view>

namespace relayaudit {

std::string base64Encode(std::string_view data);

} // namespace relayaudit
