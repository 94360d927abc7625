// The XML report's <wireEvidence> (analyze/audit --probe): each probed endpoint, the objects
// listening there with the wire's verdict on their configuration, and the dialogue.
#include "report_xml_probes.h"

namespace relayaudit {

void writeWireEvidence(XmlWriter& xml, const AuditReport& report) {
    if (report.wireEvidence.empty())
        return;
    xml.start("wireEvidence");
    xml.attribute("sent", report.probeStatement);
    for (const auto& endpoint : report.wireEvidence) {
        xml.start("endpoint");
        xml.attribute("key", endpoint.endpoint);
        xml.attribute("class", endpoint.probeClass);
        xml.attribute("phase", endpoint.phase);
        xml.attribute("reason", endpoint.reason);
        for (const auto& object : endpoint.objects) {
            xml.start("object");
            xml.attribute("dn", object.dn);
            xml.attribute("name", object.name);
            xml.attribute("server", object.server);
            xml.attribute("configFindings", object.configFindings);
            xml.attribute("status", object.status);
            xml.end();
        }
        for (const auto& line : endpoint.transcript)
            xml.textElement("line", line);
        xml.end();
    }
    xml.end();
}

} // namespace relayaudit
