// The text decoders of addresses: remote IP ranges (all four notations, IPv4 and IPv6), single
// addresses, receive bindings, Exchange 2003 address spaces and Exchange 5.5 IMS relay lines, plus
// the coverage union over several ranges. Properties: an address prints in canonical text that
// parses back to the same bytes and zone; a range's first address is not above its last and its
// canonical ends parse back to its bytes; the union of ranges covers at least the largest range
// and at most their sum; errors point inside the text.
#include "address_space.h"
#include "fuzz_check.h"
#include "ims_relay_entry.h"
#include "ip_binding.h"
#include "ip_range.h"
#include "ip_range_union.h"

#include <algorithm>

using namespace relayaudit;

namespace {

template <class T> void checkErrorOffset(const Decoded<T>& decoded, std::string_view text) {
    if (!decoded.ok())
        FUZZ_CHECK(decoded.error().offset <= text.size(), "error offset inside the text");
}

void checkAddressRoundTrip(const IpAddress& address) {
    const std::string text = formatIpAddress(address);
    auto again = parseIpAddress(text);
    FUZZ_CHECK(again.ok(), "canonical address parses back: " + text);
    FUZZ_CHECK(again.value().ipv6 == address.ipv6, "family round trips: " + text);
    FUZZ_CHECK(again.value().bytes == address.bytes, "bytes round trip: " + text);
    FUZZ_CHECK(again.value().zone == address.zone, "zone round trips: " + text);
}

void checkRange(const IpRange& range) {
    const std::size_t width = range.ipv6 ? 16 : 4;
    FUZZ_CHECK(
        !std::lexicographical_compare(range.lastBytes.begin(), range.lastBytes.begin() + width,
                                      range.firstBytes.begin(), range.firstBytes.begin() + width),
        "first <= last: " + range.first + " - " + range.last);
    for (const auto& [text, bytes] :
         {std::pair{range.first, range.firstBytes}, std::pair{range.last, range.lastBytes}}) {
        auto parsed = parseIpAddress(text);
        FUZZ_CHECK(parsed.ok() && parsed.value().ipv6 == range.ipv6, "range end parses: " + text);
        FUZZ_CHECK(parsed.value().bytes == bytes, "range end text matches its bytes: " + text);
    }
    FUZZ_CHECK(range.addressCount >= 1, "a range holds an address");
}

unsigned __int128 countOf(const IpRange& range) {
    unsigned __int128 first = 0, last = 0;
    const std::size_t width = range.ipv6 ? 16 : 4;
    for (std::size_t i = 0; i < width; ++i) {
        first = (first << 8) | range.firstBytes[i];
        last = (last << 8) | range.lastBytes[i];
    }
    const unsigned __int128 span = last - first;
    return span == ~static_cast<unsigned __int128>(0) ? span : span + 1;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzzsupport::textOf(data, size);

    auto address = parseIpAddress(text);
    checkErrorOffset(address, text);
    if (address.ok())
        checkAddressRoundTrip(address.value());

    auto binding = parseBinding(text);
    checkErrorOffset(binding, text);
    if (binding.ok())
        checkAddressRoundTrip(binding.value().address);

    auto space = parseAddressSpace(text);
    checkErrorOffset(space, text);
    if (space.ok())
        FUZZ_CHECK(space.value().cost >= 1 && space.value().cost <= 100, "address space cost");

    auto relayEntry = parseImsRelayEntry(text);
    checkErrorOffset(relayEntry, text);
    if (relayEntry.ok()) {
        auto network = parseIpAddress(relayEntry.value().network);
        auto mask = parseIpAddress(relayEntry.value().mask);
        FUZZ_CHECK(network.ok() && mask.ok(), "IMS entry holds dotted quads");
    }

    // Each line is one range value; their union is bounded by the largest and the sum.
    std::vector<IpRange> ranges;
    std::string_view rest = text;
    while (!rest.empty() && ranges.size() < 16) {
        const std::size_t newline = rest.find('\n');
        const std::string_view line = rest.substr(0, newline);
        auto range = parseRemoteIpRange(line);
        checkErrorOffset(range, line);
        if (range.ok()) {
            checkRange(range.value());
            ranges.push_back(range.value());
        }
        if (newline == std::string_view::npos)
            break;
        rest.remove_prefix(newline + 1);
    }
    const RangeCoverage coverage = coverageOf(ranges);
    for (bool ipv6 : {false, true}) {
        const FamilyCoverage& family = ipv6 ? coverage.ipv6 : coverage.ipv4;
        unsigned __int128 largest = 0, sum = 0;
        bool saturated = false;
        for (const auto& range : ranges) {
            if (range.ipv6 != ipv6)
                continue;
            const unsigned __int128 count = countOf(range);
            largest = std::max(largest, count);
            if (sum + count < sum)
                saturated = true;
            sum += count;
        }
        FUZZ_CHECK(family.addresses >= largest, "union covers the largest range");
        FUZZ_CHECK(saturated || family.addresses <= sum, "union covers no more than the sum");
    }
    return 0;
}
