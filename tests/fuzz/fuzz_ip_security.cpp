// IPSecurity (relay list) decoder: any bytes in; every decoded entry is a dotted quad and mask
// whose prefix and host-bit counts agree with the mask, and a list without names re-encodes (with
// the tests' independent encoder) to a blob that decodes to the same entries.
#include "directory_builder.h"
#include "fuzz_check.h"
#include "ip_range.h"
#include "ip_security.h"

#include <algorithm>
#include <bit>

using namespace relayaudit;

namespace {

std::uint32_t quadValue(const std::string& text) {
    auto parsed = parseIpAddress(text);
    FUZZ_CHECK(parsed.ok() && !parsed.value().ipv6, "dotted quad: " + text);
    FUZZ_CHECK(formatIpAddress(parsed.value()) == text, "canonical dotted quad: " + text);
    const auto& b = parsed.value().bytes;
    return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) |
           std::uint32_t(b[3]);
}

void checkEntry(const IpAddressEntry& entry) {
    quadValue(entry.address);
    const std::uint32_t mask = quadValue(entry.mask);
    FUZZ_CHECK(entry.hostBits == std::popcount(~mask), "host bits of " + entry.mask);
    const bool contiguous = std::countl_one(mask) + std::countr_zero(mask) == 32;
    FUZZ_CHECK(entry.prefixLength == (contiguous ? std::countl_one(mask) : -1),
               "prefix length of " + entry.mask);
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs sortedPairs(const std::vector<IpAddressEntry>& entries) {
    Pairs pairs;
    for (const auto& entry : entries)
        pairs.emplace_back(entry.address, entry.mask);
    std::sort(pairs.begin(), pairs.end());
    return pairs;
}

std::vector<testsupport::AddressGrant> grantsOf(const Pairs& pairs) {
    std::vector<testsupport::AddressGrant> grants;
    for (const auto& [address, mask] : pairs)
        grants.push_back({address, mask});
    return grants;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto decoded = decodeIpSecurity(std::span<const std::uint8_t>(data, size));
    if (!decoded.ok()) {
        FUZZ_CHECK(decoded.error().offset <= size, "error offset inside the input");
        return 0;
    }
    const auto& list = decoded.value();
    for (const auto* entries : {&list.grantAddresses, &list.denyAddresses})
        for (const auto& entry : *entries)
            checkEntry(entry);
    for (const auto* names : {&list.grantNames, &list.denyNames})
        for (const auto& name : *names)
            FUZZ_CHECK(name.name.find('\0') == std::string::npos, "a name stops at its NUL");
    if (!list.grantNames.empty() || !list.denyNames.empty())
        return 0;
    Pairs grants = sortedPairs(list.grantAddresses);
    Pairs denies = sortedPairs(list.denyAddresses);
    auto grantsWritten = grantsOf(grants);
    if (list.emptyListSentinel)
        grantsWritten.push_back({"0.0.0.0", "255.255.255.255"});
    std::string blob = testsupport::ipSecurityBlob(grantsWritten, grantsOf(denies));
    auto again = decodeIpSecurity(fuzzsupport::bytesOf(blob));
    FUZZ_CHECK(again.ok(), "re-encoded list decodes: " +
                               (again.ok() ? std::string() : again.error().describe()));
    FUZZ_CHECK(sortedPairs(again.value().grantAddresses) == grants, "grant entries round trip");
    FUZZ_CHECK(sortedPairs(again.value().denyAddresses) == denies, "deny entries round trip");
    FUZZ_CHECK(again.value().emptyListSentinel == list.emptyListSentinel, "sentinel round trips");
    return 0;
}
