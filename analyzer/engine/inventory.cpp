#include "inventory.h"

#include <iterator>
#include <string>

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

std::vector<InventoryItem> inventoryOf(const pugi::xml_document& snapshot) {
    std::vector<InventoryItem> items;
    auto root = snapshot.child("snapshot");
    const auto exchangeObjects =
        std::distance(root.child("exchange").begin(), root.child("exchange").end());
    items.reserve(std::size_t(exchangeObjects) + 16);
    for (auto domain : root.child("domains").children("domain"))
        items.push_back({"domain", attribute(domain, "dn"), attribute(domain, "dnsName"),
                         "SID " +
                             (attribute(domain, "sid").empty() ? std::string("unknown")
                                                               : attribute(domain, "sid")) +
                             "; " + guestDetail(domain)});
    auto exchange = root.child("exchange");
    for (auto node : exchange.children("organization"))
        items.push_back({"organization", attribute(node, "dn"), attribute(node, "name"), ""});
    for (auto node : exchange.children("server"))
        items.push_back(
            {"server", attribute(node, "dn"), attribute(node, "name"), attribute(node, "version")});
    // One item per virtual server (most of a large inventory): the detail is appended in place
    // from the document's values instead of joined from temporary strings.
    for (auto node : exchange.children("virtualServer")) {
        InventoryItem item{"virtual-server", attribute(node, "dn"), attribute(node, "name"), {}};
        std::string& detail = item.detail;
        detail.reserve(160);
        detail.append("server ").append(node.attribute("server").value());
        detail.append("; relay: ").append(node.child("relayList").attribute("summary").value());
        detail.append("; relay for authenticated: ").append(node.attribute("relayForAuth").value());
        detail.append("; authentication flags ").append(node.attribute("authFlags").value());
        detail.append("; TLS required: ").append(node.attribute("requireTls").value());
        items.push_back(std::move(item));
    }
    for (auto node : exchange.children("receiveConnector"))
        items.push_back({"receive-connector", attribute(node, "dn"), attribute(node, "name"),
                         receiveConnectorDetail(node)});
    for (auto node : exchange.children("smtpConnector"))
        items.push_back({"smtp-connector", attribute(node, "dn"), attribute(node, "name"),
                         smtpConnectorDetail(node)});
    for (auto node : exchange.children("imsServer"))
        items.push_back(
            {"ims-server", attribute(node, "key"), attribute(node, "name"), imsDetail(node)});
    return items;
}

} // namespace relayaudit
