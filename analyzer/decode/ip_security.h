#pragma once
// Decoder of the Exchange 2000/2003 "IPSecurity" blob (msExchSmtpRelayIpList, msExchIPSecurity).
// Layout: docs/exchange-relay-facts.md section 3. Pure: bytes in, value or DecodeError out.
#include "decode_error.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace relayaudit {

struct IpAddressEntry {
    std::string address;   // dotted quad, e.g. "10.1.0.0"
    std::string mask;      // dotted quad, e.g. "255.255.0.0"
    int prefixLength = -1; // leading one bits when the mask is contiguous, else -1
    int hostBits = 0;      // zero bits in the mask: the entry covers 2^hostBits addresses
};

struct NameEntry {
    std::string name;
    bool exactName = false; // bit 31 of the component count: exact host, else the domain and below
};

enum class RelayListMode {
    OnlyListBelow,     // G > D: deny by default; the grant list is the list
    AllExceptListBelow // G <= D: grant by default; everybody not denied may relay
};

struct IpSecurityList {
    RelayListMode mode = RelayListMode::OnlyListBelow;
    std::uint32_t flags = 0;        // header flags word (bit 0: reverse DNS lookup)
    bool emptyListSentinel = false; // "only the list below" with nobody, written as 0.0.0.0/32
    std::vector<IpAddressEntry> grantAddresses; // sentinel left out
    std::vector<IpAddressEntry> denyAddresses;
    std::vector<NameEntry> grantNames;
    std::vector<NameEntry> denyNames;
};

Decoded<IpSecurityList> decodeIpSecurity(std::span<const std::uint8_t> blob);

const char* toString(RelayListMode mode); // "only-list-below" / "all-except-list-below"

} // namespace relayaudit
