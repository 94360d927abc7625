#pragma once
// Strict parsers for LDAP attribute syntaxes that the rules depend on. A value that does not parse
// is reported as such (could not judge), never silently read as a default.
#include <cstdint>
#include <optional>
#include <string_view>

namespace relayaudit {

// LDAP INTEGER (RFC 4517 3.3.16): optional '-', decimal digits, no leading zeros beyond "0".
// AD writes flag words as signed 32-bit, so 0x80000000 arrives as "-2147483648".
std::optional<std::int64_t> parseLdapInteger(std::string_view text);

// LDAP Boolean (RFC 4517 3.3.3): exactly "TRUE" or "FALSE".
std::optional<bool> parseLdapBoolean(std::string_view text);

} // namespace relayaudit
