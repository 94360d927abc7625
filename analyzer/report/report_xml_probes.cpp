// The XML report's <wireEvidence> (analyze/audit --probe): each probed endpoint, the objects
// listening there with the wire's verdict on their configuration, and the dialogue.
#include "report_xml_probes.h"

#include "text_encoding.h"

namespace relayaudit {

void appendWireEvidence(pugi::xml_node root, const AuditReport& report) {
    if (report.wireEvidence.empty())
        return;
    auto set = [](pugi::xml_node node, const char* name, const std::string& value) {
        node.append_attribute(name).set_value(xmlSafeText(value).c_str());
    };
    auto section = root.append_child("wireEvidence");
    set(section, "sent", report.probeStatement);
    for (const auto& endpoint : report.wireEvidence) {
        auto node = section.append_child("endpoint");
        set(node, "key", endpoint.endpoint);
        set(node, "class", endpoint.probeClass);
        set(node, "phase", endpoint.phase);
        set(node, "reason", endpoint.reason);
        for (const auto& object : endpoint.objects) {
            auto child = node.append_child("object");
            set(child, "dn", object.dn);
            set(child, "name", object.name);
            set(child, "server", object.server);
            set(child, "configFindings", object.configFindings);
            set(child, "status", object.status);
        }
        for (const auto& line : endpoint.transcript)
            node.append_child("line").text().set(xmlSafeText(line).c_str());
    }
}

} // namespace relayaudit
