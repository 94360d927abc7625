#include "html_escape.h"
#include "html_history_sections.h"
#include "html_labels.h"

namespace relayaudit {

namespace {

std::string objectCell(std::string_view object, std::string_view name) {
    if (object.empty())
        return "<td class=\"muted\">(forest-wide)</td>";
    std::string cell = "<td><span class=\"dn\">" + htmlText(object) + "</span>";
    if (!name.empty())
        cell += "<br><span class=\"muted\">" + htmlText(name) + "</span>";
    return cell + "</td>";
}

void renderNewFindings(std::string& out, const AuditReport& report) {
    std::string rows;
    auto addRows = [&rows](const std::vector<Finding>& findings, bool accepted) {
        for (const auto& finding : findings)
            if (finding.change == "new")
                rows += "<tr><td class=\"rule-id\">" + htmlText(finding.rule->id) + "</td><td>" +
                        severityLabel(finding.severity()) + (accepted ? " (accepted)" : "") +
                        "</td>" + objectCell(finding.object, finding.objectName) + "</tr>\n";
    };
    addRows(report.findings, false);
    for (const auto& outcome : report.waivers)
        addRows(outcome.accepted, true);
    if (rows.empty())
        return;
    out += "<h3>New</h3>\n<table class=\"changes-new\">\n<thead><tr><th>Rule</th><th>Severity</th>"
           "<th>Object</th></tr></thead>\n<tbody>\n" +
           rows + "</tbody>\n</table>\n";
}

void renderResolved(std::string& out, const Comparison& comparison) {
    if (comparison.resolved.empty())
        return;
    out += "<h3>Resolved</h3>\n<table class=\"changes-resolved\">\n<thead><tr><th>Rule</th>"
           "<th>Severity</th><th>Object</th><th>First seen</th></tr></thead>\n<tbody>\n";
    for (const auto& finding : comparison.resolved)
        out += "<tr><td class=\"rule-id\">" + htmlText(finding.rule) + "</td><td>" +
               htmlText(finding.severity) + "</td>" +
               objectCell(finding.object, finding.objectName) + "<td>" +
               htmlText(finding.firstSeen) + "</td></tr>\n";
    out += "</tbody>\n</table>\n";
}

} // namespace

void renderChanges(std::string& out, const AuditReport& report) {
    const Comparison& comparison = report.comparison;
    if (!comparison.enabled)
        return;
    std::size_t total = report.findings.size();
    for (const auto& outcome : report.waivers)
        total += outcome.accepted.size();
    out += "<section id=\"changes\" aria-labelledby=\"changes-title\">\n"
           "<h2 id=\"changes-title\">What changed since the last run</h2>\n<p>";
    if (comparison.baseline.empty())
        out += "No previous report to compare with: this run starts the history, so every "
               "finding is new.";
    else
        out += "Compared with the report of " + htmlText(comparison.baselineGeneratedAt) + ".";
    out += "</p>\n<p class=\"change-counts\">" + std::to_string(comparison.newFindings) + " new, " +
           std::to_string(total - comparison.newFindings) + " still open, " +
           std::to_string(comparison.resolved.size()) + " resolved.</p>\n";
    renderNewFindings(out, report);
    renderResolved(out, comparison);
    out += "</section>\n";
}

} // namespace relayaudit
