#include "html_finding.h"

#include "html_escape.h"
#include "html_evidence.h"
#include "html_labels.h"

namespace relayaudit {

namespace {

std::string objectHtml(const Finding& finding) {
    if (finding.object.empty() && finding.objectName.empty())
        return "<span class=\"muted\">Forest-wide (no single object)</span>";
    std::string out;
    if (!finding.objectName.empty())
        out += "<span class=\"object-name\">" + htmlText(finding.objectName) + "</span>";
    if (!finding.object.empty())
        out += (out.empty() ? "" : " ") +
               ("<code class=\"dn\">" + htmlText(finding.object) + "</code>");
    return out;
}

void renderReferences(std::string& out, const std::vector<Reference>& references) {
    if (references.empty())
        return;
    out += "<h4>References</h4>\n<ul class=\"refs\">\n";
    for (const auto& reference : references) {
        const std::string& label = reference.title.empty() ? reference.url : reference.title;
        out += "<li>";
        if (isSafeWebLink(reference.url))
            out += "<a href=\"" + htmlAttribute(reference.url) + "\" rel=\"noreferrer noopener\">" +
                   htmlText(label) + "</a>";
        else
            out += htmlText(label) +
                   (reference.title.empty() || reference.url.empty()
                        ? ""
                        : " <code class=\"url\">" + htmlText(reference.url) + "</code>");
        out += "</li>\n";
    }
    out += "</ul>\n";
}

void renderRuleProse(std::string& out, const Rule& rule) {
    if (!rule.why.empty())
        out += "<h4>Why it matters</h4>\n<p class=\"why\">" + htmlText(rule.why) + "</p>\n";
    if (!rule.remediation.empty()) {
        out += "<h4>How to fix</h4>\n<ol class=\"steps\">\n";
        for (const auto& step : rule.remediation)
            out += "<li>" + htmlText(step) + "</li>\n";
        out += "</ol>\n";
    }
}

} // namespace

void renderFinding(std::string& out, const Finding& finding, std::size_t number,
                   std::size_t firstOfRule) {
    const Rule& rule = *finding.rule;
    const char* severity = toString(rule.severity);
    const char* kind = toString(rule.kind);
    out += "<article class=\"finding sev-" + std::string(severity) + " kind-" + kind +
           "\" id=\"finding-" + std::to_string(number) + "\">\n<div class=\"finding-meta\">";
    out += "<span class=\"badge sev-" + std::string(severity) + "\">" +
           severityLabel(rule.severity) + "</span> <span class=\"kind kind-" + kind + "\">" +
           kindLabel(rule.kind) + "</span> <span class=\"rule-id\">" + htmlText(rule.id) +
           "</span></div>\n";
    out += "<h3>" + htmlText(rule.title) + "</h3>\n";
    out += "<p class=\"object\">" + objectHtml(finding) + "</p>\n";
    if (!finding.message.empty())
        out += "<p class=\"message\">" + htmlText(finding.message) + "</p>\n";
    if (firstOfRule != 0) {
        renderEvidence(out, finding.evidence);
        out += "<p class=\"see-also\">Why it matters and how to fix it: see <a href=\"#finding-" +
               std::to_string(firstOfRule) + "\">finding " + std::to_string(firstOfRule) +
               "</a>, the same rule.</p>\n</article>\n";
        return;
    }
    renderRuleProse(out, rule);
    renderEvidence(out, finding.evidence);
    renderReferences(out, rule.references);
    out += "</article>\n";
}

} // namespace relayaudit
