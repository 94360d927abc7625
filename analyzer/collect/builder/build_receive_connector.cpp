#include "build_receive_connector.h"

#include "build_common.h"
#include "build_permissions.h"
#include "ip_binding.h"
#include "ip_range.h"
#include "ip_range_union.h"

#include <cstdio>
#include <string>
#include <vector>

namespace relayaudit::build {

namespace {

// AuthMechanism bits (facts section 4.1), named as Set-ReceiveConnector -AuthMechanism names them.
struct MechanismBit {
    std::uint32_t bit;
    const char* name;      // the Exchange Management Shell name
    const char* attribute; // the snapshot attribute carrying it as a boolean
};
constexpr MechanismBit kMechanismBits[] = {
    {1, "Tls", "authTls"},
    {2, "Integrated", "authIntegrated"},
    {4, "BasicAuth", "authBasic"},
    {8, "BasicAuthRequireTLS", "authBasicRequireTls"},
    {16, "ExchangeServer", "authExchangeServer"},
    {32, "ExternalAuthoritative", "authExternalAuthoritative"},
};
constexpr std::uint32_t kKnownMechanismBits = 63;
constexpr std::uint32_t kAuthMechanismExternalAuthoritative = 32;
constexpr std::int64_t kDefaultAuthMechanism = 29;

// A remote range wider than this many addresses of one family (IPv6: wider than /120) makes an
// externally secured connector critical (issue 7).
constexpr std::uint64_t kWideRangeAddresses = 256;

std::string hexText(std::uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%X", value);
    return text;
}

void appendAuthMechanism(pugi::xml_node node, const DirectoryEntry& entry,
                         std::vector<std::string>& invalid) {
    auto mechanism =
        readInteger(entry, "msExchSMTPReceiveInboundSecurityFlag", kDefaultAuthMechanism);
    if (!mechanism.valid) {
        set(node, "authMechanism", "invalid");
        set(node, "authMechanismPresent", boolText(mechanism.present));
        set(node, "authMechanismNames", "unknown");
        set(node, "externallySecured", "unknown");
        for (const auto& bit : kMechanismBits)
            set(node, bit.attribute, "unknown");
        invalid.push_back("msExchSMTPReceiveInboundSecurityFlag");
        return;
    }
    // AD INTEGERs are 32-bit signed: a value with bit 31 set reads as negative.
    const std::int64_t value = mechanism.value;
    const auto bits = static_cast<std::uint32_t>(value);
    std::string names;
    for (const auto& bit : kMechanismBits)
        if (bits & bit.bit)
            names += (names.empty() ? "" : ", ") + std::string(bit.name);
    // Bits Exchange does not define are shown, never dropped: the value was not written by it.
    if (const std::uint32_t unknown = bits & ~kKnownMechanismBits; unknown != 0)
        names += (names.empty() ? "" : ", ") + std::string("unknown bits ") + hexText(unknown);
    set(node, "authMechanism", std::to_string(value));
    set(node, "authMechanismPresent", boolText(mechanism.present));
    set(node, "authMechanismNames", names.empty() ? "None" : names);
    set(node, "externallySecured", boolText(bits & kAuthMechanismExternalAuthoritative));
    for (const auto& bit : kMechanismBits)
        set(node, bit.attribute, boolText(bits & bit.bit));
}

void appendBindings(pugi::xml_node connector, const DirectoryEntry& entry) {
    const auto* bindings = entry.find("msExchSmtpReceiveBindings");
    if (!bindings)
        return;
    for (const auto& value : bindings->values) {
        auto node = connector.append_child("binding");
        set(node, "value", value);
        auto parsed = parseBinding(value);
        if (parsed.ok()) {
            set(node, "status", "valid");
            set(node, "address", formatIpAddress(parsed.value().address));
            set(node, "port", std::to_string(parsed.value().port));
            set(node, "anyAddress", boolText(parsed.value().anyAddress()));
        } else {
            // A binding decides where the connector listens, not who may relay: shown, not judged.
            set(node, "status", "invalid");
            set(node, "reason", parsed.error().describe());
        }
    }
}

std::string exactCount(const FamilyCoverage& coverage) {
    // Up to 2^128 - 1 in decimal; the whole IPv6 space is 2^128 and is written as such.
    if (coverage.everything && coverage.addresses == ~static_cast<unsigned __int128>(0))
        return "340282366920938463463374607431768211456";
    std::string digits;
    auto value = coverage.addresses;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
        value /= 10;
    } while (value != 0);
    return digits;
}

// <remoteIpRange> children and the connector's coverage attributes: the union of the ranges
// per family, and whether it is "wide" (more than 256 addresses of one family).
void appendRemoteRanges(pugi::xml_node connector, const DirectoryEntry& entry,
                        std::vector<std::string>& invalid) {
    const auto* ranges = entry.find("msExchSmtpReceiveRemoteIPRanges");
    std::vector<IpRange> parsedRanges;
    bool anyInvalid = false;
    if (ranges) {
        for (const auto& value : ranges->values) {
            auto rangeNode = connector.append_child("remoteIpRange");
            set(rangeNode, "value", value);
            auto parsed = parseRemoteIpRange(value);
            if (parsed.ok()) {
                set(rangeNode, "status", "valid");
                set(rangeNode, "family", parsed.value().ipv6 ? "ipv6" : "ipv4");
                set(rangeNode, "first", parsed.value().first);
                set(rangeNode, "last", parsed.value().last);
                setNumber(rangeNode, "addresses", parsed.value().addressCount);
                set(rangeNode, "coversEverything", boolText(parsed.value().coversEverything));
                parsedRanges.push_back(parsed.value());
            } else {
                set(rangeNode, "status", "invalid");
                set(rangeNode, "reason", parsed.error().describe());
                invalid.push_back("msExchSmtpReceiveRemoteIPRanges");
                anyInvalid = true;
            }
        }
    } else {
        // The default remote range is every address (facts 4.1).
        for (const char* everything :
             {"0.0.0.0-255.255.255.255", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"})
            parsedRanges.push_back(parseRemoteIpRange(everything).value());
    }
    const auto coverage = coverageOf(parsedRanges);
    const bool wide =
        coverage.ipv4.moreThan(kWideRangeAddresses) || coverage.ipv6.moreThan(kWideRangeAddresses);
    const bool everything = coverage.ipv4.everything || coverage.ipv6.everything;
    set(connector, "remoteRangesPresent", boolText(ranges != nullptr));
    set(connector, "remoteRangesCoverEverything", boolText(everything));
    set(connector, "remoteIpv4Addresses", exactCount(coverage.ipv4));
    set(connector, "remoteIpv6Addresses", exactCount(coverage.ipv6));
    // An unreadable range may hold anything: "not wide" cannot be claimed, "wide" still can.
    set(connector, "remoteRangesWide", wide ? "true" : anyInvalid ? "unknown" : "false");
}

} // namespace

void appendReceiveConnector(pugi::xml_node exchange, const DirectoryEntry& entry,
                            const ParsedDn& parsedDn, bool rawValues) {
    auto node = exchange.append_child("receiveConnector");
    set(node, "dn", entry.dn);
    set(node, "name", friendlyName(entry));
    set(node, "server", rdnBefore(parsedDn, "Servers"));
    if (rawValues) // where the entry came from: like the raw copies, read only when written
        set(node, "origin", entry.origin);
    auto invalid = dnProblems(parsedDn);
    if (auto enabled = readBoolean(entry, "msExchSmtpReceiveEnabled"); enabled.present) {
        set(node, "enabled", enabled.value ? boolText(*enabled.value) : "invalid");
        if (!enabled.value)
            invalid.push_back("msExchSmtpReceiveEnabled");
    } else {
        set(node, "enabled", "true");
    }
    appendAuthMechanism(node, entry, invalid);
    appendBindings(node, entry);
    appendRemoteRanges(node, entry, invalid);
    setInvalidAttributes(node, invalid);
    appendPermissions(node, entry);
    if (rawValues)
        appendRaw(node, entry);
}

} // namespace relayaudit::build
