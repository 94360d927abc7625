#pragma once
// How much of the address space a set of remote IP ranges covers together: overlapping and
// adjacent ranges are merged, so duplicates do not inflate the size and several small ranges
// add up. Each family is counted on its own, exactly (128-bit arithmetic).
#include "ip_range.h"

#include <cstdint>
#include <vector>

namespace relayaudit {

struct FamilyCoverage {
    // Addresses covered, saturated at 2^128 - 1 (only the whole IPv6 space reaches it).
    unsigned __int128 addresses = 0;
    bool everything = false;    // the whole space of the family
    double approximate() const; // for display: exact up to 2^53
    bool moreThan(std::uint64_t count) const { return addresses > count; }
};

struct RangeCoverage {
    FamilyCoverage ipv4;
    FamilyCoverage ipv6;
};

RangeCoverage coverageOf(const std::vector<IpRange>& ranges);

} // namespace relayaudit
