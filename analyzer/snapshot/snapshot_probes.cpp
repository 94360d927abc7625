// Validation of /snapshot/probes: the SMTP probe results the probe pack (rules/probe.xml) reads.
// A hand-edited class or a missing flag must fail loudly rather than silence PRB-OPEN-RELAY.
#include "snapshot_validation.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace relayaudit {

namespace {

bool oneOf(std::string_view value, const std::vector<std::string_view>& allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::optional<std::string> problemWith(pugi::xml_node node, const char* attribute,
                                       const std::vector<std::string_view>& allowed) {
    auto present = node.attribute(attribute);
    std::string_view value = present.value();
    if (present && !value.empty() && (allowed.empty() || oneOf(value, allowed)))
        return std::nullopt;
    std::string where =
        std::string("<") + node.name() + " key=\"" + node.attribute("key").value() + "\">";
    return where + (present ? " has " + std::string(attribute) + "=\"" + std::string(value) +
                                  "\", which is not allowed"
                            : " lacks the attribute " + std::string(attribute));
}

} // namespace

std::optional<std::string> validateProbes(pugi::xml_node probes) {
    const std::vector<std::string_view> classes = {
        "open-relay",         "refused", "temporary-refusal", "tls-required", "auth-required",
        "connection-refused", "dropped", "timeout",           "inconclusive"};
    const std::vector<std::string_view> phases = {"connect", "banner", "EHLO", "MAIL", "RCPT"};
    const std::vector<std::string_view> booleans = {"true", "false"};
    for (auto endpoint : probes.children("endpoint")) {
        for (const auto& [name, allowed] :
             std::vector<std::pair<const char*, std::vector<std::string_view>>>{
                 {"key", {}},
                 {"host", {}},
                 {"port", {}},
                 {"class", classes},
                 {"phase", phases},
                 {"reached", booleans},
                 {"esmtp", booleans},
                 {"startTls", booleans}})
            if (auto problem = problemWith(endpoint, name, allowed))
                return problem;
        if (endpoint.attribute("tls"))
            if (auto problem =
                    problemWith(endpoint, "tls",
                                {"not-tried", "not-offered", "refused", "failed", "established"}))
                return problem;
        if (!endpoint.attribute("authBeforeTls"))
            return problemWith(endpoint, "authBeforeTls", {});
        for (auto form : endpoint.children("form"))
            if (!form.attribute("address") || !oneOf(form.attribute("class").value(), classes))
                return "a <form> of <endpoint key=\"" +
                       std::string(endpoint.attribute("key").value()) +
                       "\"> lacks its address or has a class that is not allowed";
        if (auto guest = endpoint.child("guest")) {
            if (!oneOf(guest.attribute("accepted").value(), booleans))
                return "the <guest> of <endpoint key=\"" +
                       std::string(endpoint.attribute("key").value()) + "\"> lacks accepted";
            if (guest.attribute("class") && !oneOf(guest.attribute("class").value(), classes))
                return "the <guest> of <endpoint key=\"" +
                       std::string(endpoint.attribute("key").value()) + "\"> has class=\"" +
                       guest.attribute("class").value() + "\", which is not allowed";
        }
        for (auto object : endpoint.children("object")) {
            if (!object.attribute("dn") || !object.attribute("kind"))
                return "an <object> of <endpoint key=\"" +
                       std::string(endpoint.attribute("key").value()) + "\"> lacks dn or kind";
            if (auto says = object.attribute("configSaysOpen");
                says && !oneOf(says.value(), booleans))
                return "an <object> of <endpoint key=\"" +
                       std::string(endpoint.attribute("key").value()) +
                       "\"> has configSaysOpen=\"" + says.value() + "\", which is not allowed";
        }
    }
    return std::nullopt;
}

} // namespace relayaudit
