#include "build_virtual_server.h"

#include "build_common.h"
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
void appendIpSecurity(pugi::xml_node virtualServer, const char* element,
                      const DirectoryEntry& entry, const char* attributeName) {
    auto list = virtualServer.append_child(element);
    set(list, "attribute", attributeName);
    const auto* blob = entry.first(attributeName);
    if (!blob) {
        // Absent msExchSmtpRelayIpList = "Only the list below" with nobody on it (facts 2).
        set(list, "present", "false");
        set(list, "status", "absent");
        set(list, "mode", toString(RelayListMode::OnlyListBelow));
        set(list, "summary", "attribute absent: only the list below, with nobody on it (default)");
        return;
    }
    set(list, "present", "true");
    if (auto count = valueCount(entry, attributeName); count > 1) {
        std::string reason =
            std::string(attributeName) + " has " + std::to_string(count) +
            " values; it is single-valued, and which one the server uses is unknown";
        set(list, "status", "invalid");
        set(list, "reason", reason);
        set(list, "summary", reason);
        return;
    }
    if (blob->empty()) {
        // An empty value means nobody may relay by IP (facts 2): safe, not undecodable.
        set(list, "status", "valid");
        set(list, "mode", toString(RelayListMode::OnlyListBelow));
        set(list, "emptyListSentinel", "false");
        set(list, "grantCount", "0");
        set(list, "denyCount", "0");
        set(list, "summary", "empty value: only the list below, with nobody on it");
        return;
    }
    auto decoded = decodeIpSecurity(bytesOf(*blob));
    if (!decoded.ok()) {
        set(list, "status", "invalid");
        set(list, "reason", decoded.error().describe());
        set(list, "summary", "does not parse: " + decoded.error().describe());
        return;
    }
    const auto& value = decoded.value();
    set(list, "status", "valid");
    set(list, "mode", toString(value.mode));
    set(list, "flags", std::to_string(value.flags));
    set(list, "emptyListSentinel", boolText(value.emptyListSentinel));
    std::string granted, denied;
    auto appendAddresses = [&](const std::vector<IpAddressEntry>& entries, const char* which,
                               std::string& summary) {
        for (const auto& address : entries) {
            auto node = list.append_child("address");
            set(node, "list", which);
            set(node, "address", address.address);
            set(node, "mask", address.mask);
            set(node, "prefix", std::to_string(address.prefixLength));
            set(node, "hostBits", std::to_string(address.hostBits));
            setNumber(node, "addresses", std::ldexp(1.0, address.hostBits));
            summary += (summary.empty() ? "" : ", ") + addressSummary(address);
        }
    };
    auto appendNames = [&](const std::vector<NameEntry>& entries, const char* which,
                           std::string& summary) {
        for (const auto& name : entries) {
            auto node = list.append_child("name");
            set(node, "list", which);
            set(node, "name", name.name);
            set(node, "exact", boolText(name.exactName));
            summary += (summary.empty() ? "" : ", ") + (name.exactName ? "" : std::string("*.")) +
                       name.name;
        }
    };
    appendAddresses(value.grantAddresses, "grant", granted);
    appendNames(value.grantNames, "grant", granted);
    appendAddresses(value.denyAddresses, "deny", denied);
    appendNames(value.denyNames, "deny", denied);
    set(list, "grantCount", std::to_string(value.grantAddresses.size() + value.grantNames.size()));
    // The widest granted range, computed once here so that EXS-RELAY-WIDE finds it in one pass
    // instead of comparing every address with every other (quadratic on a long list).
    if (!value.grantAddresses.empty()) {
        int widest = 0;
        for (const auto& address : value.grantAddresses)
            widest = std::max(widest, address.hostBits);
        set(list, "widestGrantHostBits", std::to_string(widest));
    }
    set(list, "denyCount", std::to_string(value.denyAddresses.size() + value.denyNames.size()));
    if (value.mode == RelayListMode::OnlyListBelow)
        set(list, "summary",
            "only the list below: " + (granted.empty() ? std::string("nobody") : granted));
    else
        set(list, "summary",
            "all except the list below: every address may relay except " +
                (denied.empty() ? std::string("none") : denied));
}

} // namespace

void appendVirtualServer(pugi::xml_node exchange, const DirectoryEntry& entry,
                         const ParsedDn& parsedDn, bool rawValues) {
    auto node = exchange.append_child("virtualServer");
    set(node, "dn", entry.dn);
    set(node, "name", friendlyName(entry));
    set(node, "server", rdnBefore(parsedDn, "Servers"));
    set(node, "organization", rdnBefore(parsedDn, "Microsoft Exchange"));
    if (rawValues) // where the entry came from: like the raw copies, read only when written
        set(node, "origin", entry.origin);
    auto invalid = dnProblems(parsedDn);

    // msExchSmtpRelayForAuth: default TRUE when absent (facts 2).
    if (auto relayForAuth = readBoolean(entry, "msExchSmtpRelayForAuth"); relayForAuth.present) {
        set(node, "relayForAuthPresent", "true");
        if (relayForAuth.value) {
            set(node, "relayForAuth", boolText(*relayForAuth.value));
        } else {
            set(node, "relayForAuth", "invalid");
            invalid.push_back("msExchSmtpRelayForAuth");
        }
    } else {
        set(node, "relayForAuthPresent", "false");
        set(node, "relayForAuth", "true");
    }

    auto auth = readInteger(entry, "msExchAuthenticationFlags", kDefaultAuthenticationFlags);
    set(node, "authFlagsPresent", boolText(auth.present));
    if (auth.valid) {
        set(node, "authFlags", std::to_string(auth.value));
        set(node, "anonymous", boolText(auth.value & kAuthAnonymous));
        set(node, "basicAuth", boolText(auth.value & kAuthBasic));
        set(node, "integratedAuth", boolText(auth.value & kAuthIntegrated));
    } else {
        set(node, "authFlags", "invalid");
        for (const char* name : {"anonymous", "basicAuth", "integratedAuth"})
            set(node, name, "unknown");
        invalid.push_back("msExchAuthenticationFlags");
    }

    auto ssl = readInteger(entry, "msExchAccessSSLFlags", 0);
    set(node, "sslFlagsPresent", boolText(ssl.present));
    if (ssl.valid) {
        set(node, "sslFlags", std::to_string(ssl.value));
        set(node, "requireTls", boolText(ssl.value & kSslRequireTls));
    } else {
        set(node, "sslFlags", "invalid");
        set(node, "requireTls", "unknown");
        invalid.push_back("msExchAccessSSLFlags");
    }
    setInvalidAttributes(node, invalid);

    appendIpSecurity(node, "relayList", entry, "msExchSmtpRelayIpList");
    if (entry.first("msExchIPSecurity"))
        appendIpSecurity(node, "connectionList", entry, "msExchIPSecurity");
    if (rawValues)
        appendRaw(node, entry);
}

} // namespace relayaudit::build
