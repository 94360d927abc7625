// Binary SIDs to text and back (MS-DTYP 2.4.2). The text form follows what Windows'
// ConvertSidToStringSid writes, so that SIDs compare equal to those administrators see.
#include "sid.h"

#include <charconv>
#include <cstdio>
#include <vector>

namespace relayaudit {

namespace {

constexpr std::size_t kSidHeaderBytes = 8; // revision, count, 6-byte authority
constexpr std::uint8_t kSidRevision = 1;
constexpr std::size_t kMaxSubAuthorities = 15; // SID_MAX_SUB_AUTHORITIES

DecodeError sidError(std::size_t offset, std::string reason) {
    return DecodeError{offset, "SID", std::move(reason)};
}

// Windows prints an authority that fits in 32 bits as decimal and anything larger as 0x and twelve
// lowercase hex digits ("0x%02hx" per byte in RtlConvertSidToUnicodeString).
std::string formatAuthority(std::span<const std::uint8_t> authority) {
    if (authority[0] == 0 && authority[1] == 0) {
        std::uint32_t value = (std::uint32_t{authority[2]} << 24) |
                              (std::uint32_t{authority[3]} << 16) |
                              (std::uint32_t{authority[4]} << 8) | std::uint32_t{authority[5]};
        return std::to_string(value);
    }
    char text[15];
    std::snprintf(text, sizeof text, "0x%02x%02x%02x%02x%02x%02x", authority[0], authority[1],
                  authority[2], authority[3], authority[4], authority[5]);
    return text;
}

// Strict decimal: digits only, no sign, no leading zeros (Windows never writes them), fits 32 bits.
std::optional<std::uint32_t> parseDecimal32(std::string_view text) {
    if (text.empty() || (text.size() > 1 && text[0] == '0'))
        return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9')
            return std::nullopt;
    std::uint32_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

bool isAuthorityText(std::string_view text) {
    if (text.size() == 14 && text.substr(0, 2) == "0x") {
        for (char c : text.substr(2))
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                return false;
        return true;
    }
    return parseDecimal32(text).has_value();
}

// Splits "S-1-<authority>-<sub>..." and checks every part; returns the sub-authorities.
std::optional<std::vector<std::uint32_t>> parseSidText(std::string_view sid) {
    constexpr std::string_view prefix = "S-1-";
    if (sid.substr(0, prefix.size()) != prefix)
        return std::nullopt;
    std::string_view rest = sid.substr(prefix.size());
    std::size_t dash = rest.find('-');
    if (!isAuthorityText(rest.substr(0, dash)))
        return std::nullopt;
    std::vector<std::uint32_t> subAuthorities;
    while (dash != std::string_view::npos) {
        rest = rest.substr(dash + 1);
        dash = rest.find('-');
        auto value = parseDecimal32(rest.substr(0, dash));
        if (!value || subAuthorities.size() == kMaxSubAuthorities)
            return std::nullopt;
        subAuthorities.push_back(*value);
    }
    return subAuthorities;
}

} // namespace

Decoded<std::string> decodeSidPrefix(std::span<const std::uint8_t> bytes, std::size_t& consumed) {
    consumed = 0;
    if (bytes.size() < kSidHeaderBytes)
        return sidError(0, "needs at least 8 bytes, have " + std::to_string(bytes.size()));
    if (bytes[0] != kSidRevision)
        return sidError(0, "revision " + std::to_string(bytes[0]) + " is not 1");
    const std::size_t count = bytes[1];
    if (count > kMaxSubAuthorities)
        return sidError(1, "sub-authority count " + std::to_string(count) + " exceeds 15");
    const std::size_t length = kSidHeaderBytes + 4 * count;
    if (bytes.size() < length)
        return sidError(1, std::to_string(count) + " sub-authorities need " +
                               std::to_string(length) + " bytes, have " +
                               std::to_string(bytes.size()));
    std::string text = "S-1-" + formatAuthority(bytes.subspan(2, 6));
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint8_t* word = bytes.data() + kSidHeaderBytes + 4 * i;
        std::uint32_t value = std::uint32_t{word[0]} | (std::uint32_t{word[1]} << 8) |
                              (std::uint32_t{word[2]} << 16) | (std::uint32_t{word[3]} << 24);
        text += '-';
        text += std::to_string(value);
    }
    consumed = length;
    return text;
}

Decoded<std::string> decodeSid(std::span<const std::uint8_t> bytes) {
    std::size_t consumed = 0;
    auto decoded = decodeSidPrefix(bytes, consumed);
    if (decoded.ok() && consumed != bytes.size())
        return sidError(consumed, "SID of " + std::to_string(consumed) + " bytes followed by " +
                                      std::to_string(bytes.size() - consumed) + " extra bytes");
    return decoded;
}

std::optional<std::uint32_t> relativeIdOf(std::string_view sid) {
    auto subAuthorities = parseSidText(sid);
    if (!subAuthorities || subAuthorities->empty())
        return std::nullopt;
    return subAuthorities->back();
}

std::optional<std::string> domainPartOf(std::string_view sid) {
    auto subAuthorities = parseSidText(sid);
    if (!subAuthorities || subAuthorities->empty())
        return std::nullopt;
    return std::string(sid.substr(0, sid.rfind('-')));
}

} // namespace relayaudit
