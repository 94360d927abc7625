#include "build_smtp_connector.h"

#include "address_space.h"
#include "build_common.h"

#include <string>
#include <string_view>
#include <vector>

namespace relayaudit::build {

namespace {

void appendAddressSpaces(pugi::xml_node connector, const DirectoryEntry& entry) {
    bool everyDomain = false, routingGroupScope = false;
    if (const auto* spaces = entry.find("routingList")) {
        for (const auto& value : spaces->values) {
            auto node = connector.append_child("addressSpace");
            set(node, "value", value);
            auto parsed = parseAddressSpace(value);
            if (!parsed.ok()) {
                // No rule judges an address space yet; the manual check shows the raw value.
                set(node, "status", "invalid");
                set(node, "reason", parsed.error().describe());
                continue;
            }
            const auto& space = parsed.value();
            set(node, "status", "valid");
            set(node, "type", space.type);
            set(node, "address", space.address);
            set(node, "cost", std::to_string(space.cost));
            set(node, "scope", space.routingGroupScope ? "routing-group" : "organization");
            everyDomain = everyDomain || space.everyDomain();
            routingGroupScope = routingGroupScope || space.routingGroupScope;
        }
    }
    set(connector, "everyDomain", boolText(everyDomain));
    set(connector, "routingGroupScope", boolText(routingGroupScope));
}

// Exchange System Manager writes several smart hosts into the one value, separated by ';' or
// ',' (e.g. "[192.0.2.25];relay.example.com").
void appendSmartHosts(pugi::xml_node connector, const DirectoryEntry& entry) {
    const auto* hosts = entry.find("msExchSmtpSmartHost");
    if (!hosts)
        return;
    for (const auto& value : hosts->values) {
        std::string_view rest = value;
        while (!rest.empty()) {
            const std::size_t end = rest.find_first_of(";,");
            std::string_view host = rest.substr(0, end);
            while (!host.empty() && host.front() == ' ')
                host.remove_prefix(1);
            while (!host.empty() && host.back() == ' ')
                host.remove_suffix(1);
            if (!host.empty())
                set(connector.append_child("smartHost"), "host", host);
            if (end == std::string_view::npos)
                break;
            rest.remove_prefix(end + 1);
        }
    }
}

} // namespace

void appendSmtpConnector(pugi::xml_node exchange, const DirectoryEntry& entry,
                         const ParsedDn& parsedDn, bool rawValues) {
    auto node = exchange.append_child("smtpConnector");
    set(node, "dn", entry.dn);
    set(node, "name", friendlyName(entry));
    set(node, "routingGroup", rdnBefore(parsedDn, "Routing Groups"));
    if (rawValues) // where the entry came from: like the raw copies, read only when written
        set(node, "origin", entry.origin);
    appendAddressSpaces(node, entry);
    appendSmartHosts(node, entry);
    setInvalidAttributes(node, dnProblems(parsedDn));
    if (rawValues)
        appendRaw(node, entry);
}

} // namespace relayaudit::build
