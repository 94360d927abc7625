#pragma once
// Binary security identifiers (objectSid, ACE trustees) to their "S-1-5-21-..." form.
#include "decode_error.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace relayaudit {

// Decodes a SID that must fill the whole span exactly.
Decoded<std::string> decodeSid(std::span<const std::uint8_t> bytes);

// Decodes a SID at the start of the span; consumed receives its length.
Decoded<std::string> decodeSidPrefix(std::span<const std::uint8_t> bytes, std::size_t& consumed);

// The last sub-authority of "S-1-5-21-a-b-c-501" (501), if the text is a SID.
std::optional<std::uint32_t> relativeIdOf(std::string_view sid);

// "S-1-5-21-a-b-c" of "S-1-5-21-a-b-c-501", if the text is a SID with a sub-authority.
std::optional<std::string> domainPartOf(std::string_view sid);

} // namespace relayaudit
