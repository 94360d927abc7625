#include "html_escape.h"
#include "html_finding.h"
#include "html_labels.h"
#include "html_sections.h"

#include <map>

namespace relayaudit {

namespace {

// A table of contents: number, severity, title (linking to the article) and object.
void renderFindingIndex(std::string& out, const std::vector<Finding>& findings) {
    out += "<table class=\"index\">\n<thead><tr><th scope=\"col\">#</th>"
           "<th scope=\"col\">Severity</th><th scope=\"col\">Finding</th>"
           "<th scope=\"col\">Object</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Rule& rule = *findings[i].rule;
        std::string anchor = "finding-" + std::to_string(i + 1);
        out +=
            "<tr><td class=\"num\">" + std::to_string(i + 1) + "</td><td><span class=\"badge sev-";
        out += toString(rule.severity);
        out += "\">";
        out += severityLabel(rule.severity);
        out += "</span></td><td><a href=\"#" + anchor + "\">" + htmlText(rule.title) + "</a>";
        if (rule.kind != RuleKind::Unsafe) {
            out += " <span class=\"kind kind-";
            out += toString(rule.kind);
            out += "\">";
            out += kindLabel(rule.kind);
            out += "</span>";
        }
        const auto& name =
            findings[i].objectName.empty() ? findings[i].object : findings[i].objectName;
        out += "</td><td>" + htmlText(name) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
}

} // namespace

void renderFindings(std::string& out, const std::vector<Finding>& findings) {
    out += "<section id=\"findings\" aria-labelledby=\"findings-title\">\n"
           "<h2 id=\"findings-title\">Findings</h2>\n";
    if (findings.empty()) {
        out += "<p class=\"muted\">No rule fired.</p>\n";
    } else {
        if (findings.size() > 1)
            renderFindingIndex(out, findings);
        std::map<const Rule*, std::size_t> firstFindingOf;
        for (std::size_t i = 0; i < findings.size(); ++i) {
            auto [first, isNew] = firstFindingOf.emplace(findings[i].rule, i + 1);
            renderFinding(out, findings[i], i + 1, isNew ? 0 : first->second);
        }
    }
    out += "</section>\n";
}

} // namespace relayaudit
