#include "ip_range_union.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace relayaudit {

namespace {

using U128 = unsigned __int128;
constexpr U128 kMax = std::numeric_limits<U128>::max();

U128 valueOf(const std::array<std::uint8_t, 16>& bytes, std::size_t width) {
    U128 value = 0;
    for (std::size_t i = 0; i < width; ++i)
        value = (value << 8) | bytes[i];
    return value;
}

U128 saturatingAdd(U128 a, U128 b) {
    return a > kMax - b ? kMax : a + b;
}

FamilyCoverage merge(std::vector<std::pair<U128, U128>> intervals, U128 familyMax) {
    FamilyCoverage coverage;
    std::sort(intervals.begin(), intervals.end());
    bool open = false;
    U128 start = 0, end = 0;
    auto close = [&] {
        if (!open)
            return;
        coverage.everything = coverage.everything || (start == 0 && end == familyMax);
        // end - start + 1 overflows only for the whole IPv6 space, hence saturation.
        coverage.addresses = saturatingAdd(coverage.addresses, saturatingAdd(end - start, 1));
    };
    for (const auto& [first, last] : intervals) {
        // Adjacent (end + 1 == first) merges too; end == familyMax has no successor.
        if (open && (first <= end || (end != familyMax && first == end + 1))) {
            end = std::max(end, last);
            continue;
        }
        close();
        open = true;
        start = first;
        end = last;
    }
    close();
    return coverage;
}

} // namespace

double FamilyCoverage::approximate() const {
    if (addresses == kMax)
        return std::ldexp(1.0, 128);
    return static_cast<double>(addresses);
}

RangeCoverage coverageOf(const std::vector<IpRange>& ranges) {
    std::vector<std::pair<U128, U128>> v4, v6;
    for (const auto& range : ranges) {
        const std::size_t width = range.ipv6 ? 16 : 4;
        auto& target = range.ipv6 ? v6 : v4;
        target.emplace_back(valueOf(range.firstBytes, width), valueOf(range.lastBytes, width));
    }
    return RangeCoverage{merge(std::move(v4), 0xFFFFFFFFu), merge(std::move(v6), kMax)};
}

} // namespace relayaudit
