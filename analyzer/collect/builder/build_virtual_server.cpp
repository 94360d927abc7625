#include "build_virtual_server.h"

#include "build_common.h"
#include "element_builder.h"
#include "ip_security.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace relayaudit::build {

namespace {

// msExchAuthenticationFlags when the attribute is absent (KB 321757): anonymous, basic, integrated.
constexpr std::int64_t kDefaultAuthenticationFlags = 7;
constexpr std::int64_t kAuthAnonymous = 0x1;
constexpr std::int64_t kAuthBasic = 0x2;
constexpr std::int64_t kAuthIntegrated = 0x4;
constexpr std::int64_t kSslRequireTls = 0x8;

std::string addressSummary(const IpAddressEntry& entry) {
    if (entry.prefixLength >= 0)
        return entry.address + "/" + std::to_string(entry.prefixLength);
    return entry.address + "(" + entry.mask + ")";
}

// <relayList> / <connectionList>: an IPSecurity blob decoded into mode, entries and a summary.
// The counts and the summary are attributes of the list, so they are found before its entries
// are appended.
void appendIpSecurity(pugi::xml_node virtualServer, LiteralName element,
                      const DirectoryEntry& entry, const char* attributeName) {
    thread_local AttributeList list; // one buffer for every list of the thread
    list.clear();
    list.set("attribute", attributeName);
    const auto* blob = entry.first(attributeName);
    if (!blob) {
        // Absent msExchSmtpRelayIpList = "Only the list below" with nobody on it (facts 2).
        list.set("present", "false");
        list.set("status", "absent");
        list.set("mode", toString(RelayListMode::OnlyListBelow));
        list.set("summary", "attribute absent: only the list below, with nobody on it (default)");
        appendElement(virtualServer, element, list);
        return;
    }
    list.set("present", "true");
    if (auto count = valueCount(entry, attributeName); count > 1) {
        std::string reason =
            std::string(attributeName) + " has " + std::to_string(count) +
            " values; it is single-valued, and which one the server uses is unknown";
        list.set("status", "invalid");
        list.set("reason", reason);
        list.set("summary", reason);
        appendElement(virtualServer, element, list);
        return;
    }
    if (blob->empty()) {
        // An empty value means nobody may relay by IP (facts 2): safe, not undecodable.
        list.set("status", "valid");
        list.set("mode", toString(RelayListMode::OnlyListBelow));
        list.set("emptyListSentinel", "false");
        list.set("grantCount", "0");
        list.set("denyCount", "0");
        list.set("summary", "empty value: only the list below, with nobody on it");
        appendElement(virtualServer, element, list);
        return;
    }
    auto decoded = decodeIpSecurity(bytesOf(*blob));
    if (!decoded.ok()) {
        list.set("status", "invalid");
        list.set("reason", decoded.error().describe());
        list.set("summary", "does not parse: " + decoded.error().describe());
        appendElement(virtualServer, element, list);
        return;
    }
    const auto& value = decoded.value();
    list.set("status", "valid");
    list.set("mode", toString(value.mode));
    list.setInteger("flags", value.flags);
    list.setBool("emptyListSentinel", value.emptyListSentinel);
    std::string granted, denied;
    auto summarizeAddresses = [](const std::vector<IpAddressEntry>& entries, std::string& summary) {
        for (const auto& address : entries)
            summary += (summary.empty() ? "" : ", ") + addressSummary(address);
    };
    auto summarizeNames = [](const std::vector<NameEntry>& entries, std::string& summary) {
        for (const auto& name : entries)
            summary += (summary.empty() ? "" : ", ") + (name.exactName ? "" : std::string("*.")) +
                       name.name;
    };
    summarizeAddresses(value.grantAddresses, granted);
    summarizeNames(value.grantNames, granted);
    summarizeAddresses(value.denyAddresses, denied);
    summarizeNames(value.denyNames, denied);
    list.setInteger("grantCount",
                    std::int64_t(value.grantAddresses.size() + value.grantNames.size()));
    // The widest granted range, computed once here so that EXS-RELAY-WIDE finds it in one pass
    // instead of comparing every address with every other (quadratic on a long list).
    if (!value.grantAddresses.empty()) {
        int widest = 0;
        for (const auto& address : value.grantAddresses)
            widest = std::max(widest, address.hostBits);
        list.setInteger("widestGrantHostBits", widest);
    }
    list.setInteger("denyCount", std::int64_t(value.denyAddresses.size() + value.denyNames.size()));
    if (value.mode == RelayListMode::OnlyListBelow)
        list.set("summary",
                 "only the list below: " + (granted.empty() ? std::string("nobody") : granted));
    else
        list.set("summary", "all except the list below: every address may relay except " +
                                (denied.empty() ? std::string("none") : denied));
    auto node = appendElement(virtualServer, element, list);
    auto appendAddresses = [&](const std::vector<IpAddressEntry>& entries, const char* which) {
        for (const auto& address : entries) {
            list.clear();
            list.set("list", which);
            list.set("address", address.address);
            list.set("mask", address.mask);
            list.setInteger("prefix", address.prefixLength);
            list.setInteger("hostBits", address.hostBits);
            list.setNumber("addresses", std::ldexp(1.0, address.hostBits));
            appendElement(node, "address", list);
        }
    };
    auto appendNames = [&](const std::vector<NameEntry>& entries, const char* which) {
        for (const auto& name : entries) {
            list.clear();
            list.set("list", which);
            list.set("name", name.name);
            list.setBool("exact", name.exactName);
            appendElement(node, "name", list);
        }
    };
    appendAddresses(value.grantAddresses, "grant");
    appendNames(value.grantNames, "grant");
    appendAddresses(value.denyAddresses, "deny");
    appendNames(value.denyNames, "deny");
}

} // namespace

void appendVirtualServer(pugi::xml_node exchange, const DirectoryEntry& entry,
                         const ParsedDn& parsedDn, bool rawValues) {
    thread_local AttributeList attributes; // one buffer for every virtual server of the thread
    attributes.clear();
    attributes.set("dn", entry.dn);
    attributes.set("name", friendlyName(entry));
    attributes.set("server", rdnBefore(parsedDn, "Servers"));
    attributes.set("organization", rdnBefore(parsedDn, "Microsoft Exchange"));
    if (rawValues) // where the entry came from: like the raw copies, read only when written
        attributes.set("origin", entry.origin);
    auto invalid = dnProblems(parsedDn);

    // msExchSmtpRelayForAuth: default TRUE when absent (facts 2).
    if (auto relayForAuth = readBoolean(entry, "msExchSmtpRelayForAuth"); relayForAuth.present) {
        attributes.set("relayForAuthPresent", "true");
        if (relayForAuth.value) {
            attributes.setBool("relayForAuth", *relayForAuth.value);
        } else {
            attributes.set("relayForAuth", "invalid");
            invalid.push_back("msExchSmtpRelayForAuth");
        }
    } else {
        attributes.set("relayForAuthPresent", "false");
        attributes.set("relayForAuth", "true");
    }

    auto auth = readInteger(entry, "msExchAuthenticationFlags", kDefaultAuthenticationFlags);
    attributes.setBool("authFlagsPresent", auth.present);
    if (auth.valid) {
        attributes.setInteger("authFlags", auth.value);
        attributes.setBool("anonymous", auth.value & kAuthAnonymous);
        attributes.setBool("basicAuth", auth.value & kAuthBasic);
        attributes.setBool("integratedAuth", auth.value & kAuthIntegrated);
    } else {
        attributes.set("authFlags", "invalid");
        attributes.set("anonymous", "unknown");
        attributes.set("basicAuth", "unknown");
        attributes.set("integratedAuth", "unknown");
        invalid.push_back("msExchAuthenticationFlags");
    }

    auto ssl = readInteger(entry, "msExchAccessSSLFlags", 0);
    attributes.setBool("sslFlagsPresent", ssl.present);
    if (ssl.valid) {
        attributes.setInteger("sslFlags", ssl.value);
        attributes.setBool("requireTls", ssl.value & kSslRequireTls);
    } else {
        attributes.set("sslFlags", "invalid");
        attributes.set("requireTls", "unknown");
        invalid.push_back("msExchAccessSSLFlags");
    }
    if (auto list = invalidAttributesText(invalid); !list.empty())
        attributes.set("invalidAttributes", list);
    auto node = appendElement(exchange, "virtualServer", attributes);

    appendIpSecurity(node, "relayList", entry, "msExchSmtpRelayIpList");
    if (entry.first("msExchIPSecurity"))
        appendIpSecurity(node, "connectionList", entry, "msExchIPSecurity");
    if (rawValues)
        appendRaw(node, entry);
}

} // namespace relayaudit::build
