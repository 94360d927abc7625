// The HTML report's "On the wire" section (analyze/audit --probe): per probed endpoint, the
// outcome, the objects listening there with whether the wire confirms or contradicts their
// configuration finding (linked to it), and the whole SMTP dialogue. Everything in it came from
// the directory or from the server: all of it is escaped.
#include "html_escape.h"
#include "html_sections.h"

namespace relayaudit {

namespace {

// The anchor of the configuration finding about this object, "" when none is in the report.
std::string findingAnchor(const std::vector<Finding>& findings, const WireObject& object) {
    for (std::size_t i = 0; i < findings.size(); ++i)
        if (findings[i].object == object.dn &&
            object.configFindings.find(findings[i].rule->id) != std::string::npos)
            return "#finding-" + std::to_string(i + 1);
    return {};
}

} // namespace

void renderWireEvidence(std::string& out, const AuditReport& report) {
    if (report.wireEvidence.empty())
        return;
    out += "<section id=\"wire-evidence\" aria-labelledby=\"wire-title\">\n"
           "<h2 id=\"wire-title\">On the wire</h2>\n<p>" +
           htmlText(report.probeStatement) +
           " No message content was sent. A 250 at RCPT means accepted at RCPT; delivery was "
           "not verified (KB 304897).</p>\n";
    for (const auto& endpoint : report.wireEvidence) {
        out += "<article class=\"wire\">\n<h3>" + htmlText(endpoint.endpoint) + ": " +
               htmlText(endpoint.probeClass) + " at " + htmlText(endpoint.phase) + "</h3>\n<p>" +
               htmlText(endpoint.reason) + "</p>\n";
        if (!endpoint.objects.empty()) {
            out += "<ul>\n";
            for (const auto& object : endpoint.objects) {
                out += "<li>" + htmlText(object.server) + ": " + htmlText(object.name) +
                       " — configuration " +
                       htmlText(object.configFindings.empty() ? std::string("finds no open relay")
                                                              : object.configFindings) +
                       "; on the wire: <strong>" + htmlText(object.status) + "</strong>";
                if (auto anchor = findingAnchor(report.findings, object); !anchor.empty())
                    out += " (<a href=\"" + htmlAttribute(anchor) + "\">the finding</a>)";
                out += "</li>\n";
            }
            out += "</ul>\n";
        }
        out += "<pre class=\"transcript\">";
        for (const auto& line : endpoint.transcript)
            out += htmlText(line) + "\n";
        out += "</pre>\n</article>\n";
    }
    out += "</section>\n";
}

} // namespace relayaudit
