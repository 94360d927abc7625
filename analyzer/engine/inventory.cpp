#include "inventory.h"

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
} // namespace

std::vector<InventoryItem> inventoryOf(const pugi::xml_document& snapshot) {
    std::vector<InventoryItem> items;
    auto root = snapshot.child("snapshot");
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
    for (auto node : exchange.children("virtualServer")) {
        std::string detail = "server " + attribute(node, "server") +
                             "; relay: " + attribute(node.child("relayList"), "summary") +
                             "; relay for authenticated: " + attribute(node, "relayForAuth") +
                             "; authentication flags " + attribute(node, "authFlags") +
                             "; TLS required: " + attribute(node, "requireTls");
        items.push_back({"virtual-server", attribute(node, "dn"), attribute(node, "name"), detail});
    }
    for (auto node : exchange.children("receiveConnector")) {
        std::string detail = "server " + attribute(node, "server") + "; enabled " +
                             attribute(node, "enabled") + "; AuthMechanism " +
                             attribute(node, "authMechanism") + "; permissions " +
                             attribute(node.child("permissions"), "status");
        items.push_back(
            {"receive-connector", attribute(node, "dn"), attribute(node, "name"), detail});
    }
    for (auto node : exchange.children("smtpConnector"))
        items.push_back({"smtp-connector", attribute(node, "dn"), attribute(node, "name"),
                         "listed, not judged"});
    return items;
}

} // namespace relayaudit
