#include "html_escape.h"
#include "html_history_sections.h"
#include "html_labels.h"

namespace relayaudit {

namespace {

// A page of 10,000 findings must stay small: the tables show this many rows, the XML has all.
constexpr std::size_t kRowsShown = 50;

std::string moreRow(std::size_t total, int columns) {
    if (total <= kRowsShown)
        return {};
    return "<tr class=\"more\"><td colspan=\"" + std::to_string(columns) + "\">+" +
           std::to_string(total - kRowsShown) + " more, see the XML report</td></tr>\n";
}

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
    std::size_t count = 0;
    auto addRows = [&rows, &count](const std::vector<Finding>& findings, bool accepted) {
        for (const auto& finding : findings)
            if (finding.change == "new" && ++count <= kRowsShown)
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
           rows + moreRow(count, 3) + "</tbody>\n</table>\n";
}

void renderResolved(std::string& out, const Comparison& comparison) {
    if (comparison.resolved.empty())
        return;
    out += "<h3>Resolved</h3>\n<table class=\"changes-resolved\">\n<thead><tr><th>Rule</th>"
           "<th>Severity</th><th>Object</th><th>First seen</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < comparison.resolved.size() && i < kRowsShown; ++i) {
        const auto& finding = comparison.resolved[i];
        out += "<tr><td class=\"rule-id\">" + htmlText(finding.rule) + "</td><td>" +
               htmlText(finding.severity) + "</td>" +
               objectCell(finding.object, finding.objectName) + "<td>" +
               htmlText(finding.firstSeen) + "</td></tr>\n";
    }
    out += moreRow(comparison.resolved.size(), 4) + "</tbody>\n</table>\n";
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
    if (!comparison.baseline.empty()) // on a first run the findings list is the new list
        renderNewFindings(out, report);
    renderResolved(out, comparison);
    out += "</section>\n";
}

} // namespace relayaudit
