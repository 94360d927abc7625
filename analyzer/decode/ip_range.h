#pragma once
// msExchSmtpReceiveRemoteIPRanges values in their four notations, IPv4 and IPv6: "addr",
// "addr/len", "addr(mask)", "lo-hi"; and single addresses as bindings use them.
// Pure: text in, value or DecodeError out (offset = character position).
#include "decode_error.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace relayaudit {

struct IpAddress {
    bool ipv6 = false;
    std::array<std::uint8_t, 16> bytes{}; // network order; IPv4 uses the first 4
    std::string zone;                     // IPv6 zone index ("11" of "fe80::1%11"), else empty
    std::size_t width() const { return ipv6 ? 16 : 4; }
    int bits() const { return ipv6 ? 128 : 32; }
};

// One address: dotted quad, RFC 4291 IPv6 text with an optional Windows zone index ("%11",
// decimal), or IPv6 in brackets ("[::1]"). `base` is added to error offsets.
Decoded<IpAddress> parseIpAddress(std::string_view text, std::size_t base = 0);

// Canonical text: inet_ntop, plus "%zone" when there is one.
std::string formatIpAddress(const IpAddress& address);

struct IpRange {
    bool ipv6 = false;
    std::string first;                         // canonical text of the lowest address
    std::string last;                          // canonical text of the highest address
    std::array<std::uint8_t, 16> firstBytes{}; // network order; IPv4 uses the first 4
    std::array<std::uint8_t, 16> lastBytes{};
    double addressCount = 0;       // may exceed 2^64 for IPv6, hence double
    bool coversEverything = false; // 0.0.0.0-255.255.255.255 or ::-ffff:...:ffff
};

Decoded<IpRange> parseRemoteIpRange(std::string_view text);

} // namespace relayaudit
