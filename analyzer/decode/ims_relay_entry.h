#pragma once
// One line of an Exchange 5.5 IMS relay list (RelayDenyList, RelayAllowList, RelayLocalIPList):
// "network;mask", or a bare address whose mask defaults to 255.255.255.255 (facts section 6).
// Pure: text in, entry or DecodeError out (offset = character position).
#include "decode_error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace relayaudit {

struct ImsRelayEntry {
    std::string network; // as parsed, dotted quad
    std::string mask;    // dotted quad; 255.255.255.255 when the line had none
    bool maskGiven = false;
    // A mask with holes (255.0.255.0) still selects 2^(zero bits) addresses; counted that way.
    bool contiguous = true;
    int prefixLength = 32; // meaningful only when contiguous
    // 2^(zero bits of the mask); 0 when the network has bits outside the mask
    // (10.1.2.3;255.255.0.0): the IMS matches (address AND mask) = net, which no address meets.
    double addressCount = 1;
    bool hostBitsSet = false;
};

Decoded<ImsRelayEntry> parseImsRelayEntry(std::string_view text);

} // namespace relayaudit
