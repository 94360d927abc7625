// What the rules rely on, checked when a saved snapshot is read back: a damaged or hand-edited
// snapshot must fail loudly, not read as a clean forest (a missing attribute matches no rule).
#include "snapshot_validation.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace relayaudit {

namespace {

struct AttributeCheck {
    const char* name;
    std::vector<const char*> allowed; // empty: any non-empty value
};

const std::vector<const char*> kBool = {"true", "false"};
const std::vector<const char*> kTristate = {"true", "false", "unknown", "invalid"};
const std::vector<const char*> kValidity = {"valid", "invalid"};

std::optional<std::string> checkAttributes(pugi::xml_node node,
                                           const std::vector<AttributeCheck>& checks) {
    for (const auto& check : checks) {
        auto attribute = node.attribute(check.name);
        std::string_view value = attribute.value();
        bool ok = attribute && !value.empty();
        if (ok && !check.allowed.empty())
            ok = std::any_of(check.allowed.begin(), check.allowed.end(),
                             [&](const char* allowed) { return value == allowed; });
        if (!ok) {
            // Objects are named by their DN; IMS servers, which have none, by their name.
            const char* key = node.attribute("dn") || !node.attribute("name") ? "dn" : "name";
            std::string where = std::string("<") + node.name() + " " + key + "=\"" +
                                node.attribute(key).value() + "\">";
            return where + (attribute ? " has " + std::string(check.name) + "=\"" +
                                            std::string(value) + "\", which is not allowed"
                                      : " lacks the attribute " + std::string(check.name));
        }
    }
    return std::nullopt;
}

std::optional<std::string> checkForest(pugi::xml_node forest) {
    for (auto malformed : forest.children("malformedDn"))
        if (auto problem = checkAttributes(malformed, {{"dn", {}}, {"reason", {}}}))
            return problem;
    for (auto unreadable : forest.children("unreadable"))
        if (auto problem = checkAttributes(unreadable, {{"what", {}}, {"reason", {}}}))
            return problem;
    return std::nullopt;
}

std::optional<std::string> checkDomains(pugi::xml_node domains) {
    for (auto domain : domains.children("domain")) {
        if (auto problem = checkAttributes(
                domain, {{"dn", {}},
                         {"guestStatus", {"found", "not-found", "not-in-input", "unreadable"}}}))
            return problem;
        if (std::string_view(domain.attribute("guestStatus").value()) == "found") {
            if (!domain.child("guest"))
                return "a <domain> with guestStatus=\"found\" has no <guest>";
            if (auto problem = checkAttributes(
                    domain.child("guest"), {{"dn", {}}, {"enabled", {"true", "false", "unknown"}}}))
                return problem;
        }
    }
    return std::nullopt;
}

std::optional<std::string> checkRelayList(pugi::xml_node server) {
    auto list = server.child("relayList");
    if (!list)
        return "<virtualServer dn=\"" + std::string(server.attribute("dn").value()) +
               "\"> has no <relayList>";
    if (auto problem =
            checkAttributes(list, {{"present", kBool}, {"status", {"valid", "invalid", "absent"}}}))
        return problem;
    if (std::string_view(list.attribute("status").value()) != "invalid")
        if (auto problem =
                checkAttributes(list, {{"mode", {"only-list-below", "all-except-list-below"}}}))
            return problem;
    int widestGrant = -1;
    for (auto address : list.children("address")) {
        if (auto problem = checkAttributes(
                address, {{"list", {"grant", "deny"}}, {"mask", {}}, {"hostBits", {}}}))
            return problem;
        int hostBits = address.attribute("hostBits").as_int(-1);
        if (hostBits < 0 || hostBits > 32)
            return "an <address> of a relay list has hostBits outside 0..32";
        if (std::string_view(address.attribute("list").value()) == "grant")
            widestGrant = std::max(widestGrant, hostBits);
    }
    // EXS-RELAY-WIDE names the granted range with this many host bits: it must be the widest.
    auto widest = list.attribute("widestGrantHostBits");
    if (widestGrant >= 0 && !widest)
        return "a <relayList> with granted addresses has no widestGrantHostBits (snapshot written "
               "by an older relayaudit: collect it again)";
    if (widest && widestGrant < 0)
        return "a <relayList> has widestGrantHostBits but grants no address";
    if (widest && widest.as_int(-1) != widestGrant)
        return "a <relayList> has widestGrantHostBits=\"" + std::string(widest.value()) +
               "\", but its widest granted address has " + std::to_string(widestGrant) +
               " host bits";
    return std::nullopt;
}

// A count the visibility rules compare with 0: digits only, so a damaged value cannot read
// as "something is visible".
std::optional<std::string> checkCounts(pugi::xml_node node, std::vector<const char*> names) {
    for (const char* name : names) {
        std::string_view value = node.attribute(name).value();
        if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos)
            return "<" + std::string(node.name()) + " dn=\"" + node.attribute("dn").value() +
                   "\"> has " + name + "=\"" + std::string(value) + "\", which is not a count";
    }
    return std::nullopt;
}

std::optional<std::string> checkServers(pugi::xml_node exchange) {
    for (auto organization : exchange.children("organization"))
        if (auto problem =
                checkCounts(organization, {"servers", "virtualServers", "receiveConnectors"}))
            return problem;
    for (auto server : exchange.children("server")) {
        if (auto problem =
                checkAttributes(server, {{"generation", {"5.5", "2000-2003", "2007+", "unknown"}},
                                         {"transportRole", {"true", "false", "unknown"}}}))
            return problem;
        if (auto problem = checkCounts(server, {"virtualServers", "receiveConnectors"}))
            return problem;
    }
    return std::nullopt;
}

std::optional<std::string> checkVirtualServer(pugi::xml_node server) {
    if (auto problem = checkAttributes(server, {{"dn", {}},
                                                {"relayForAuthPresent", kBool},
                                                {"relayForAuth", {"true", "false", "invalid"}},
                                                {"authFlagsPresent", kBool},
                                                {"authFlags", {}},
                                                {"anonymous", kTristate},
                                                {"basicAuth", kTristate},
                                                {"integratedAuth", kTristate},
                                                {"sslFlagsPresent", kBool},
                                                {"sslFlags", {}},
                                                {"requireTls", kTristate}}))
        return problem;
    return checkRelayList(server);
}

bool isDecimalCount(std::string_view text) {
    return !text.empty() && text.size() <= 39 && (text == "0" || text.front() != '0') &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> checkReceiveConnector(pugi::xml_node connector) {
    if (auto problem = checkAttributes(connector, {{"dn", {}},
                                                   {"enabled", kTristate},
                                                   {"authMechanism", {}},
                                                   {"authMechanismPresent", kBool},
                                                   {"authMechanismNames", {}},
                                                   {"externallySecured", kTristate},
                                                   {"authTls", kTristate},
                                                   {"authIntegrated", kTristate},
                                                   {"authBasic", kTristate},
                                                   {"authBasicRequireTls", kTristate},
                                                   {"authExchangeServer", kTristate},
                                                   {"authExternalAuthoritative", kTristate},
                                                   {"remoteRangesPresent", kBool},
                                                   {"remoteRangesCoverEverything", kBool},
                                                   {"remoteIpv4Addresses", {}},
                                                   {"remoteIpv6Addresses", {}},
                                                   {"remoteRangesWide", kTristate}}))
        return problem;
    const std::string where =
        "<receiveConnector dn=\"" + std::string(connector.attribute("dn").value()) + "\">";
    for (const char* count : {"remoteIpv4Addresses", "remoteIpv6Addresses"})
        if (!isDecimalCount(connector.attribute(count).value()))
            return where + " has " + count + " that is not a decimal count";
    for (auto range : connector.children("remoteIpRange"))
        if (auto problem = checkAttributes(range, {{"value", {}}, {"status", kValidity}}))
            return problem;
    for (auto binding : connector.children("binding"))
        if (auto problem = checkAttributes(binding, {{"value", {}}, {"status", kValidity}}))
            return problem;
    auto permissions = connector.child("permissions");
    if (!permissions)
        return where + " has no <permissions>";
    if (auto problem =
            checkAttributes(permissions, {{"status", {"valid", "invalid", "absent", "no-dacl"}}}))
        return problem;
    for (auto ace : permissions.children("ace"))
        if (auto problem = checkAttributes(ace, {{"type", {"allow", "deny", "other"}},
                                                 {"controlAccess", kBool},
                                                 {"genericAll", kBool},
                                                 {"inheritOnly", kBool},
                                                 {"inherited", kBool}}))
            return problem;
    for (auto right : permissions.children("extendedRight"))
        if (auto problem = checkAttributes(right, {{"trustee", {}},
                                                   {"right", {}},
                                                   {"rightGuid", {}},
                                                   {"allowed", kBool},
                                                   {"denied", kBool},
                                                   {"effective", {"allow", "deny"}}}))
            return problem;
    return std::nullopt;
}

std::optional<std::string> checkSmtpConnector(pugi::xml_node connector) {
    if (auto problem = checkAttributes(
            connector, {{"dn", {}}, {"everyDomain", kBool}, {"routingGroupScope", kBool}}))
        return problem;
    for (auto space : connector.children("addressSpace"))
        if (auto problem = checkAttributes(space, {{"value", {}}, {"status", kValidity}}))
            return problem;
    return std::nullopt;
}

// RelayFlags and its named bits must agree: the rules read only the bits.
std::optional<std::string> checkImsFlags(pugi::xml_node server) {
    const std::string_view status = server.attribute("relayFlagsStatus").value();
    const std::uint32_t value = server.attribute("relayFlags").as_uint();
    if (status == "valid" && std::string_view(server.attribute("relayFlags").value()).empty())
        return "<imsServer name=\"" + std::string(server.attribute("name").value()) +
               "\"> has relayFlagsStatus=\"valid\" but no relayFlags";
    const std::pair<const char*, std::uint32_t> bits[] = {{"useDenyList", 0x1},
                                                          {"useAllowList", 0x2},
                                                          {"useLocalIpList", 0x4},
                                                          {"relayForAuthenticated", 0x8}};
    for (const auto& [name, bit] : bits) {
        std::string expected = status == "invalid"                  ? "invalid"
                               : status == "valid" && (value & bit) ? "true"
                                                                    : "false";
        if (expected != server.attribute(name).value())
            return "<imsServer name=\"" + std::string(server.attribute("name").value()) +
                   "\"> has " + name + "=\"" + server.attribute(name).value() +
                   "\", which contradicts relayFlags (expected " + expected + ")";
    }
    return std::nullopt;
}

std::optional<std::string> checkImsServer(pugi::xml_node server) {
    const std::vector<const char*> kBit = {"true", "false", "invalid"};
    if (auto problem =
            checkAttributes(server, {{"name", {}},
                                     {"relayFlagsStatus", {"valid", "invalid", "absent"}},
                                     {"useDenyList", kBit},
                                     {"useAllowList", kBit},
                                     {"useLocalIpList", kBit},
                                     {"relayForAuthenticated", kBit}}))
        return problem;
    if (auto problem = checkImsFlags(server))
        return problem;
    std::vector<std::string> lists;
    for (auto list : server.children("addressList")) {
        if (auto problem = checkAttributes(
                list, {{"value", {"RelayDenyList", "RelayAllowList", "RelayLocalIPList"}},
                       {"use", {"deny", "allow", "local"}},
                       {"status", {"valid", "invalid", "absent"}},
                       {"inUse", {"true", "false", "unknown"}},
                       {"largestEntryAddresses", {}}}))
            return problem;
        lists.emplace_back(list.attribute("value").value());
        for (auto entry : list.children("entry")) {
            if (auto problem = checkAttributes(entry, {{"status", {"valid", "invalid"}}}))
                return problem;
            if (std::string_view(entry.attribute("status").value()) == "valid")
                if (auto problem = checkAttributes(entry, {{"addresses", {}}}))
                    return problem;
        }
    }
    std::sort(lists.begin(), lists.end());
    if (lists != std::vector<std::string>{"RelayAllowList", "RelayDenyList", "RelayLocalIPList"})
        return "<imsServer name=\"" + std::string(server.attribute("name").value()) +
               "\"> must have one <addressList> each for RelayDenyList, RelayAllowList and "
               "RelayLocalIPList";
    return std::nullopt;
}

} // namespace

std::optional<std::string> validateSnapshot(const pugi::xml_document& snapshot) {
    auto root = snapshot.document_element();
    for (const char* required : {"forest", "domains", "exchange"})
        if (!root.child(required))
            return std::string("the element <") + required + "> is missing";
    if (auto problem = checkForest(root.child("forest")))
        return problem;
    if (auto problem = checkDomains(root.child("domains")))
        return problem;
    auto exchange = root.child("exchange");
    if (auto problem = checkServers(exchange))
        return problem;
    for (auto server : exchange.children("virtualServer"))
        if (auto problem = checkVirtualServer(server))
            return problem;
    for (auto connector : exchange.children("receiveConnector"))
        if (auto problem = checkReceiveConnector(connector))
            return problem;
    for (auto connector : exchange.children("smtpConnector"))
        if (auto problem = checkSmtpConnector(connector))
            return problem;
    for (auto server : exchange.children("imsServer"))
        if (auto problem = checkImsServer(server))
            return problem;
    if (auto probes = root.child("probes"))
        return validateProbes(probes);
    return std::nullopt;
}

} // namespace relayaudit
