#pragma once
// msExchSmtpReceiveRemoteIPRanges values: "a.b.c.d", "a.b.c.d/len", "a.b.c.d(m.m.m.m)", "lo-hi",
// IPv4 and IPv6. Pure: text in, value or DecodeError out (offset = character position).
#include "decode_error.h"

#include <string>
#include <string_view>

namespace relayaudit {

struct IpRange {
    bool ipv6 = false;
    std::string first;             // canonical text of the lowest address
    std::string last;              // canonical text of the highest address
    double addressCount = 0;       // may exceed 2^64 for IPv6, hence double
    bool coversEverything = false; // 0.0.0.0-255.255.255.255 or ::-ffff:...:ffff
};

Decoded<IpRange> parseRemoteIpRange(std::string_view text);

} // namespace relayaudit
