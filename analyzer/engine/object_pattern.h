#pragma once
// The object of a waiver: a DN, or a pattern where '*' matches any run of characters (none
// included). Compared ASCII case-insensitively, as DNs in AD are for the attribute types and the
// values that matter here. Linear time: the pattern is split at its stars and each piece is found
// once, left to right (the leftmost match is always safe for '*'-only patterns), so a hostile DN
// or pattern cannot make matching backtrack.
#include <string_view>

namespace relayaudit {

bool objectMatches(std::string_view pattern, std::string_view dn);

} // namespace relayaudit
