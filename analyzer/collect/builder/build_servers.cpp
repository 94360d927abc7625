#include "build_servers.h"

#include "build_common.h"
#include "dn.h"
#include "string_helpers.h"

#include <cstdlib>
#include <optional>
#include <string>

namespace relayaudit::build {

namespace {

// msExchCurrentServerRoles bit of the Hub Transport role on Exchange 2007 and 2010 (facts 4.6).
constexpr std::int64_t kRoleHubTransport = 0x20;

// "Version 6.5 (Build 7638.2: Service Pack 2)" -> 6; nothing when it does not say.
std::optional<int> majorVersion(const DirectoryEntry& entry) {
    const auto* serial = entry.first("serialNumber");
    if (!serial || !startsWithIgnoreCase(*serial, "Version "))
        return std::nullopt;
    const char* digits = serial->c_str() + 8;
    char* end = nullptr;
    long major = std::strtol(digits, &end, 10);
    if (end == digits || major <= 0 || major > 99)
        return std::nullopt;
    return int(major);
}

// Decision (docs/design.md): the version in serialNumber says the generation; without one, a
// server that carries msExchCurrentServerRoles is 2007 or later (earlier versions do not write
// it); otherwise the generation is unknown.
std::string generationOf(const DirectoryEntry& entry, std::optional<int> major) {
    if (major)
        return *major <= 5 ? "5.5" : *major == 6 ? "2000-2003" : "2007+";
    return entry.first("msExchCurrentServerRoles") ? "2007+" : "unknown";
}

// Whether the server runs SMTP transport, hence has receive connectors: Exchange 2007 and 2010
// servers without the Hub Transport role (Mailbox or Client Access only) have none. From 2013
// every server role that stays in AD receives SMTP; 2000/2003 servers have virtual servers.
std::string transportRoleOf(const DirectoryEntry& entry, const std::string& generation,
                            std::optional<int> major) {
    if (generation != "2007+")
        return "unknown";
    if (major && *major >= 15)
        return "true";
    auto roles = readInteger(entry, "msExchCurrentServerRoles", 0);
    if (!roles.present || !roles.valid)
        return "unknown";
    return boolText(roles.value & kRoleHubTransport);
}

// The server's DNS name, where the SMTP probe connects: dNSHostName when present, else the
// TCP/IP entry of networkAddress ("ncacn_ip_tcp:exch001.corp.example"), a fully qualified one
// preferred over a bare NetBIOS-like name.
std::string hostNameOf(const DirectoryEntry& entry) {
    if (const auto* dns = entry.first("dNSHostName"); dns && !dns->empty())
        return *dns;
    std::string found;
    if (const auto* addresses = entry.find("networkAddress"))
        for (const auto& value : addresses->values)
            if (startsWithIgnoreCase(value, "ncacn_ip_tcp:") && value.size() > 13 &&
                (found.empty() || value.find('.') != std::string::npos))
                found = value.substr(13);
    return found;
}

} // namespace

void appendOrganizationsAndServers(pugi::xml_node exchange,
                                   const std::vector<const DirectoryEntry*>& unique,
                                   const VisibleObjectsOf& visibleUnder) {
    for (const auto* entry : unique) {
        if (!entry->hasObjectClass("msExchOrganizationContainer"))
            continue;
        auto node = exchange.append_child("organization");
        set(node, "dn", entry->dn);
        set(node, "name", friendlyName(*entry));
        auto seen = visibleUnder(*entry);
        set(node, "servers", std::to_string(seen.servers));
        set(node, "virtualServers", std::to_string(seen.virtualServers));
        set(node, "receiveConnectors", std::to_string(seen.receiveConnectors));
        setInvalidAttributes(node, dnProblems(*entry));
    }
    for (const auto* entry : unique) {
        if (!entry->hasObjectClass("msExchExchangeServer"))
            continue;
        auto node = exchange.append_child("server");
        set(node, "dn", entry->dn);
        set(node, "name", friendlyName(*entry));
        if (const auto* serial = entry->first("serialNumber"))
            set(node, "version", *serial);
        if (auto host = hostNameOf(*entry); !host.empty())
            set(node, "hostName", host);
        auto major = majorVersion(*entry);
        auto generation = generationOf(*entry, major);
        set(node, "generation", generation);
        set(node, "transportRole", transportRoleOf(*entry, generation, major));
        auto seen = visibleUnder(*entry);
        set(node, "virtualServers", std::to_string(seen.virtualServers));
        set(node, "receiveConnectors", std::to_string(seen.receiveConnectors));
        setInvalidAttributes(node, dnProblems(*entry));
    }
}

void appendUnreadable(pugi::xml_node forest, bool organizationSeen,
                      const std::optional<std::string>& exchangeContainerDn,
                      const CollectionContext& context) {
    for (const auto& refused : context.unreadableObjects) {
        auto node = forest.append_child("unreadable");
        set(node, "dn", refused.dn);
        set(node, "what", refused.what);
        set(node, "reason", refused.reason);
    }
    if (organizationSeen || !exchangeContainerDn)
        return;
    auto node = forest.append_child("unreadable");
    set(node, "dn", *exchangeContainerDn);
    set(node, "what", "the Exchange configuration container");
    set(node, "reason", "it is visible, but no Exchange organisation under it is");
}

bool isExchangeServicesContainer(const ParsedDn& names) {
    if (!names.ok() || names.size() <= 2)
        return false;
    return equalsIgnoreCase(names[0].type(), "CN") &&
           equalsIgnoreCase(names[0].value(), "Microsoft Exchange") &&
           equalsIgnoreCase(names[1].value(), "Services");
}

} // namespace relayaudit::build
