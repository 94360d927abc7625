#include "html_rule_card.h"

#include "html_escape.h"
#include "html_evidence.h"
#include "html_labels.h"
#include "html_location.h"

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

std::string locationHtml(const Finding& finding) {
    std::string location = locationOf(finding);
    return location.empty() ? "<span class=\"muted\">—</span>"
                            : "<span class=\"where\">" + htmlText(location) + "</span>";
}

void renderCauseLink(std::string& out, const Finding& finding,
                     const std::map<std::string, std::string>& causeAnchors) {
    auto anchor = causeAnchors.find(finding.cause);
    if (finding.cause.empty() || anchor == causeAnchors.end())
        return;
    out += "<p class=\"cause-link\">Shared cause: <a href=\"#" + anchor->second + "\">" +
           htmlText(finding.cause) + "</a></p>\n";
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

void renderSingleObject(std::string& out, const Finding& finding, std::size_t number,
                        const std::map<std::string, std::string>& causeAnchors) {
    out += "<div class=\"occurrence\" id=\"finding-" + std::to_string(number) + "\">\n";
    out += "<p class=\"object\">" + objectHtml(finding) + " " + locationHtml(finding) + "</p>\n";
    if (!finding.message.empty())
        out += "<p class=\"message\">" + htmlText(finding.message) + "</p>\n";
    renderCauseLink(out, finding, causeAnchors);
    renderEvidence(out, finding.evidence);
    out += "</div>\n";
}

// One row per object: what it is, where it lives, and its own message and evidence.
void renderObjectTable(std::string& out, const RuleCard& card,
                       const std::map<std::string, std::string>& causeAnchors) {
    out += "<table class=\"objects\">\n<thead><tr><th scope=\"col\">Object</th>"
           "<th scope=\"col\">Domain or server</th><th scope=\"col\">Details</th></tr></thead>\n"
           "<tbody>\n";
    std::size_t shown = std::min(card.findings.size(), kHtmlObjectRowsShown);
    for (std::size_t i = 0; i < shown; ++i) {
        const Finding& finding = *card.findings[i];
        out += "<tr id=\"finding-" + std::to_string(card.firstNumber + i) + "\"><td>" +
               objectHtml(finding) + "</td><td>" + locationHtml(finding) + "</td><td>";
        if (!finding.message.empty())
            out += "<p class=\"message\">" + htmlText(finding.message) + "</p>\n";
        renderCauseLink(out, finding, causeAnchors);
        renderEvidence(out, finding.evidence);
        out += "</td></tr>\n";
    }
    if (card.findings.size() > shown)
        out += "<tr class=\"more\"><td colspan=\"3\">+" +
               std::to_string(card.findings.size() - shown) +
               " more, see the XML report</td></tr>\n";
    out += "</tbody>\n</table>\n";
}

} // namespace

std::vector<RuleCard> ruleCardsOf(const std::vector<Finding>& findings) {
    std::vector<RuleCard> cards;
    std::map<const Rule*, std::size_t> cardOf;
    for (const auto& finding : findings) {
        auto [it, isNew] = cardOf.emplace(finding.rule, cards.size());
        if (isNew)
            cards.push_back({finding.rule, {}, 0});
        cards[it->second].findings.push_back(&finding);
    }
    // Findings are numbered card by card, so a card's objects have consecutive anchors.
    std::size_t next = 1;
    for (auto& card : cards) {
        card.firstNumber = next;
        next += card.findings.size();
    }
    return cards;
}

void renderRuleCard(std::string& out, const RuleCard& card, std::size_t cardNumber,
                    const std::map<std::string, std::string>& causeAnchors) {
    const Rule& rule = *card.rule;
    const char* severity = toString(rule.severity);
    const char* kind = toString(rule.kind);
    std::size_t count = card.findings.size();
    out += "<article class=\"finding sev-" + std::string(severity) + " kind-" + kind +
           "\" id=\"rule-" + std::to_string(cardNumber) + "\">\n<div class=\"finding-meta\">";
    out += "<span class=\"badge sev-" + std::string(severity) + "\">" +
           severityLabel(rule.severity) + "</span> <span class=\"kind kind-" + kind + "\">" +
           kindLabel(rule.kind) + "</span>";
    if (count > 1)
        out += " <span class=\"count\">" + std::to_string(count) + " objects</span>";
    out += " <span class=\"rule-id\">" + htmlText(rule.id) + "</span></div>\n";
    out += "<h3>" + htmlText(rule.title) + "</h3>\n";
    if (count == 1)
        renderSingleObject(out, *card.findings.front(), card.firstNumber, causeAnchors);
    else
        renderObjectTable(out, card, causeAnchors);
    renderRuleProse(out, rule);
    renderReferences(out, rule.references);
    out += "</article>\n";
}

} // namespace relayaudit
