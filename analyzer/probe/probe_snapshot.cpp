#include "probe_snapshot.h"

#include "string_helpers.h"
#include "text_encoding.h"

#include <charconv>

namespace relayaudit::probe {

namespace {

void set(pugi::xml_node node, const char* name, const std::string& value) {
    node.append_attribute(name).set_value(xmlSafeText(value).c_str());
}

std::string hostOfServer(const pugi::xml_node exchange, const std::string& server) {
    for (auto node : exchange.children("server"))
        if (equalsIgnoreCase(node.attribute("name").as_string(), server)) {
            std::string host = node.attribute("hostName").as_string();
            if (!host.empty())
                return host;
        }
    return server; // the bare server name; --probe-map can say where it is
}

// msExchServerBindings "IP:port:host header"; an empty IP means every address of the server.
std::optional<ProbeEndpoint> virtualServerBinding(const std::string& value,
                                                  const std::string& serverHost) {
    auto first = value.find(':');
    if (first == std::string::npos)
        return std::nullopt;
    auto second = value.find(':', first + 1);
    std::string portText = value.substr(
        first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    unsigned port = 0;
    auto parsed = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (parsed.ec != std::errc() || port == 0 || port > 65535)
        return std::nullopt;
    std::string address = value.substr(0, first);
    return ProbeEndpoint{address.empty() ? serverHost : address, static_cast<std::uint16_t>(port)};
}

ListeningObject objectOf(pugi::xml_node node) {
    return {node.name(), node.attribute("dn").as_string(), node.attribute("name").as_string(),
            node.attribute("server").as_string()};
}

} // namespace

std::vector<SnapshotEndpoint> endpointsOfSnapshot(const pugi::xml_document& snapshot) {
    std::vector<SnapshotEndpoint> endpoints;
    auto exchange = snapshot.child("snapshot").child("exchange");
    for (auto node : exchange.children("virtualServer")) {
        auto host = hostOfServer(exchange, node.attribute("server").as_string());
        bool bound = false;
        for (auto raw : node.children("raw")) {
            if (!equalsIgnoreCase(raw.attribute("name").as_string(), "msExchServerBindings") ||
                std::string_view(raw.attribute("encoding").as_string()) != "text")
                continue;
            if (auto endpoint = virtualServerBinding(raw.text().as_string(), host)) {
                endpoints.push_back({*endpoint, objectOf(node)});
                bound = true;
            }
        }
        if (!bound) // no readable binding: the default of a virtual server, all addresses:25
            endpoints.push_back({ProbeEndpoint{host, 25}, objectOf(node)});
    }
    for (auto node : exchange.children("receiveConnector")) {
        if (std::string_view(node.attribute("enabled").as_string()) == "false")
            continue;
        auto host = hostOfServer(exchange, node.attribute("server").as_string());
        for (auto binding : node.children("binding")) {
            if (std::string_view(binding.attribute("status").as_string()) != "valid")
                continue;
            unsigned port = binding.attribute("port").as_uint();
            if (port == 0 || port > 65535)
                continue;
            bool any = std::string_view(binding.attribute("anyAddress").as_string()) == "true";
            endpoints.push_back(
                {ProbeEndpoint{any ? host : binding.attribute("address").as_string(),
                               static_cast<std::uint16_t>(port)},
                 objectOf(node)});
        }
    }
    return endpoints;
}

void writeProbeResults(pugi::xml_document& snapshot, const std::vector<SnapshotEndpoint>& listening,
                       const std::vector<ProbeResult>& results, const ProbeSettings& settings) {
    auto root = snapshot.child("snapshot");
    root.remove_child("probes");
    auto probes = root.append_child("probes");
    set(probes, "mailFrom", settings.dialogue.mailFrom);
    set(probes, "rcptTo", settings.dialogue.rcptTo);
    set(probes, "timeoutSeconds",
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(settings.timeout).count()));
    set(probes, "sent",
        "EHLO (HELO if refused), MAIL FROM, RCPT TO, RSET, QUIT; never DATA or BDAT");
    for (const auto& result : results) {
        auto node = probes.append_child("endpoint");
        set(node, "key", result.endpoint.key());
        set(node, "host", result.endpoint.host);
        set(node, "port", std::to_string(result.endpoint.port));
        if (!result.address.empty())
            set(node, "address", result.address);
        set(node, "class", std::string(toString(result.probeClass)));
        set(node, "phase", std::string(toString(result.phase)));
        set(node, "replyCode", std::to_string(result.replyCode));
        set(node, "reason", result.reason);
        set(node, "reached", result.reached ? "true" : "false");
        const auto& offered = result.capabilities;
        set(node, "esmtp", offered.esmtp ? "true" : "false");
        set(node, "startTls", offered.startTls ? "true" : "false");
        std::string mechanisms;
        for (const auto& mechanism : offered.authMechanisms)
            mechanisms += (mechanisms.empty() ? "" : " ") + mechanism;
        // The first EHLO is always in clear text.
        set(node, "authBeforeTls", mechanisms);
        set(node, "tls", result.tls.state);
        if (!result.tls.error.empty())
            set(node, "tlsError", result.tls.error);
        if (result.tls.state == "established") {
            std::string after;
            for (const auto& mechanism : result.tls.capabilitiesAfter.authMechanisms)
                after += (after.empty() ? "" : " ") + mechanism;
            set(node, "authAfterTls", after);
        }
        if (offered.sizeLimit)
            set(node, "sizeLimit", std::to_string(*offered.sizeLimit));
        set(node, "elapsedMs", std::to_string(result.elapsedMilliseconds));
        for (const auto& form : result.forms) {
            auto child = node.append_child("form");
            set(child, "name", form.name);
            set(child, "address", form.address);
            set(child, "class", std::string(toString(form.probeClass)));
            set(child, "replyCode", std::to_string(form.replyCode));
        }
        if (result.guest.attempted) {
            auto guest = node.append_child("guest");
            set(guest, "accepted", result.guest.accepted ? "true" : "false");
            set(guest, "authCode", std::to_string(result.guest.authCode));
            if (result.guest.relayClass)
                set(guest, "class", std::string(toString(*result.guest.relayClass)));
            set(guest, "reason", result.guest.reason);
        }
        for (const auto& entry : listening) {
            if (!equalsIgnoreCase(entry.endpoint.key(), result.endpoint.key()))
                continue;
            auto object = node.append_child("object");
            set(object, "kind", entry.object.kind);
            set(object, "dn", entry.object.dn);
            set(object, "name", entry.object.name);
            set(object, "server", entry.object.server);
        }
        for (const auto& line : result.transcript) {
            auto text = node.append_child("line");
            set(text, "direction",
                line.direction == TranscriptLine::Direction::Client   ? "client"
                : line.direction == TranscriptLine::Direction::Server ? "server"
                                                                      : "note");
            text.text().set(xmlSafeText(line.text).c_str());
        }
    }
}

void recordConfigurationVerdicts(
    pugi::xml_document& snapshot,
    const std::map<std::string, std::vector<std::string>>& openFindings) {
    for (auto endpoint : snapshot.child("snapshot").child("probes").children("endpoint"))
        for (auto object : endpoint.children("object")) {
            object.remove_attribute("configSaysOpen");
            object.remove_attribute("configFindings");
            std::string ids;
            for (const auto& [dn, found] : openFindings)
                if (equalsIgnoreCase(dn, object.attribute("dn").as_string()))
                    for (const auto& id : found)
                        ids += (ids.empty() ? "" : " ") + id;
            set(object, "configSaysOpen", ids.empty() ? "false" : "true");
            if (!ids.empty())
                set(object, "configFindings", ids);
        }
}

} // namespace relayaudit::probe
