#include "inventory.h"

#include <future>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

namespace {
std::string attribute(pugi::xml_node node, const char* name) {
    return node.attribute(name).value();
}

std::string guestDetail(pugi::xml_node domain) {
    auto guest = domain.child("guest");
    std::string status = attribute(domain, "guestStatus");
    if (status != "found")
        return "Guest: " + status + " (" + attribute(domain, "reason") + ")";
    std::string enabled = attribute(guest, "enabled");
    if (enabled == "true")
        return "Guest: ENABLED (userAccountControl " + attribute(guest, "userAccountControl") + ")";
    if (enabled == "false")
        return "Guest: disabled (userAccountControl " + attribute(guest, "userAccountControl") +
               ")";
    return "Guest: unknown (" + attribute(guest, "reason") + ")";
}

// "RelayFlags 0x0000000A: allow list, authenticated clients; RelayAllowList: 3 entries, in use;
// ...; from FILE".
std::string imsDetail(pugi::xml_node server) {
    std::string detail = attribute(server, "relayFlagsSummary");
    for (auto list : server.children("addressList")) {
        detail += "; " + attribute(list, "value") + ": ";
        std::string status = attribute(list, "status");
        if (status == "absent")
            detail += "absent";
        else
            detail +=
                attribute(list, "entryCount") +
                (attribute(list, "entryCount") == "1" ? " entry" : " entries") +
                (status == "invalid" ? " (unreadable: " + attribute(list, "reason") + ")" : "");
        std::string inUse = attribute(list, "inUse");
        detail += inUse == "true" ? ", in use" : inUse == "false" ? ", not used" : ", use unknown";
    }
    return detail + "; from " + attribute(server, "source");
}

// "a, b, c (+2 more)": connectors can list hundreds of ranges; the snapshot keeps them all.
std::string valueList(pugi::xml_node parent, const char* child, const char* name) {
    constexpr std::size_t kShown = 5;
    std::string list;
    std::size_t count = 0;
    for (auto node : parent.children(child)) {
        if (count++ < kShown)
            list += (list.empty() ? "" : ", ") + attribute(node, name);
    }
    if (count > kShown)
        list += " (+" + std::to_string(count - kShown) + " more)";
    return list.empty() ? "none" : list;
}

std::string receiveConnectorDetail(pugi::xml_node node) {
    std::string ranges = attribute(node, "remoteRangesPresent") == "false"
                             ? std::string("every address (attribute absent)")
                             : valueList(node, "remoteIpRange", "value");
    const std::string v4 = attribute(node, "remoteIpv4Addresses");
    const std::string v6 = attribute(node, "remoteIpv6Addresses");
    ranges +=
        " (IPv4: " + (v4 == "4294967296" ? std::string("every address") : v4) + ", IPv6: " +
        (v6 == "340282366920938463463374607431768211456" ? std::string("every address") : v6) + ")";
    std::string relayers;
    for (auto right : node.child("permissions").children("extendedRight"))
        if (attribute(right, "right") == "ms-Exch-SMTP-Accept-Any-Recipient" &&
            attribute(right, "effective") == "allow") {
            const std::string name = attribute(right, "trusteeName");
            relayers += (relayers.empty() ? "" : ", ") +
                        (name.empty() ? attribute(right, "trustee") : name);
        }
    return "server " + attribute(node, "server") + "; enabled " + attribute(node, "enabled") +
           "; AuthMechanism " + attribute(node, "authMechanismNames") + " (" +
           attribute(node, "authMechanism") + ")" + "; bindings " +
           valueList(node, "binding", "value") + "; remote IP ranges " + ranges + "; permissions " +
           attribute(node.child("permissions"), "status") +
           (relayers.empty() ? "" : "; Accept-Any-Recipient for " + relayers);
}

std::string smtpConnectorDetail(pugi::xml_node node) {
    std::string spaces = valueList(node, "addressSpace", "value");
    if (attribute(node, "everyDomain") == "true")
        spaces += " (every domain)";
    if (attribute(node, "routingGroupScope") == "true")
        spaces += " (routing-group scope)";
    return "routing group " + attribute(node, "routingGroup") + "; address spaces " + spaces +
           "; smart hosts " + valueList(node, "smartHost", "host");
}
} // namespace

namespace {

// One item per virtual server (most of a large inventory): the detail is appended in place from
// the document's values instead of joined from temporary strings.
InventoryItem virtualServerItem(pugi::xml_node node) {
    InventoryItem item{"virtual-server", attribute(node, "dn"), attribute(node, "name"), {}};
    std::string& detail = item.detail;
    detail.reserve(160);
    detail.append("server ").append(node.attribute("server").value());
    detail.append("; relay: ").append(node.child("relayList").attribute("summary").value());
    detail.append("; relay for authenticated: ").append(node.attribute("relayForAuth").value());
    detail.append("; authentication flags ").append(node.attribute("authFlags").value());
    detail.append("; TLS required: ").append(node.attribute("requireTls").value());
    return item;
}

// From this many virtual servers on, the second half of their items is made on a second thread
// (the audit's client has two cores; below it, starting a thread costs more than it saves).
constexpr std::size_t kVirtualServersForTwoThreads = 2048;

} // namespace

std::vector<InventoryItem> inventoryOf(const pugi::xml_document& snapshot) {
    std::vector<InventoryItem> items;
    auto root = snapshot.child("snapshot");
    auto exchange = root.child("exchange");
    // One walk over the Exchange objects, sorting them by kind: a walk over all of them for each
    // of the six kinds, comparing every name, was most of the inventory's time at 10,000 virtual
    // servers.
    std::vector<pugi::xml_node> organizations, servers, virtualServers, receiveConnectors,
        smtpConnectors, imsServers;
    for (auto node : exchange.children()) {
        std::string_view name = node.name();
        if (name == "virtualServer")
            virtualServers.push_back(node);
        else if (name == "server")
            servers.push_back(node);
        else if (name == "organization")
            organizations.push_back(node);
        else if (name == "receiveConnector")
            receiveConnectors.push_back(node);
        else if (name == "smtpConnector")
            smtpConnectors.push_back(node);
        else if (name == "imsServer")
            imsServers.push_back(node);
    }
    items.reserve(organizations.size() + servers.size() + virtualServers.size() +
                  receiveConnectors.size() + smtpConnectors.size() + imsServers.size() + 16);
    for (auto domain : root.child("domains").children("domain"))
        items.push_back({"domain", attribute(domain, "dn"), attribute(domain, "dnsName"),
                         "SID " +
                             (attribute(domain, "sid").empty() ? std::string("unknown")
                                                               : attribute(domain, "sid")) +
                             "; " + guestDetail(domain)});
    for (auto node : organizations)
        items.push_back({"organization", attribute(node, "dn"), attribute(node, "name"), ""});
    for (auto node : servers)
        items.push_back(
            {"server", attribute(node, "dn"), attribute(node, "name"), attribute(node, "version")});
    const std::size_t firstVirtualServer = items.size();
    items.resize(firstVirtualServer + virtualServers.size());
    auto makeVirtualServerItems = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            items[firstVirtualServer + i] = virtualServerItem(virtualServers[i]);
    };
    if (virtualServers.size() >= kVirtualServersForTwoThreads) {
        const std::size_t half = virtualServers.size() / 2;
        auto secondHalf =
            std::async(std::launch::async, makeVirtualServerItems, half, virtualServers.size());
        makeVirtualServerItems(0, half);
        secondHalf.get();
    } else {
        makeVirtualServerItems(0, virtualServers.size());
    }
    for (auto node : receiveConnectors)
        items.push_back({"receive-connector", attribute(node, "dn"), attribute(node, "name"),
                         receiveConnectorDetail(node)});
    for (auto node : smtpConnectors)
        items.push_back({"smtp-connector", attribute(node, "dn"), attribute(node, "name"),
                         smtpConnectorDetail(node)});
    for (auto node : imsServers)
        items.push_back(
            {"ims-server", attribute(node, "key"), attribute(node, "name"), imsDetail(node)});
    return items;
}

} // namespace relayaudit
