#include "html_escape.h"
#include "html_labels.h"
#include "html_location.h"
#include "html_rule_card.h"
#include "html_sections.h"

namespace relayaudit {

namespace {

// A table of contents, one row per rule: severity, title (linking to its card), how many
// objects, and the first object with its domain or server.
void renderFindingIndex(std::string& out, const std::vector<RuleCard>& cards) {
    out += "<table class=\"index\">\n<thead><tr><th scope=\"col\">#</th>"
           "<th scope=\"col\">Severity</th><th scope=\"col\">Finding</th>"
           "<th scope=\"col\" class=\"num\">Objects</th><th scope=\"col\">Object</th>"
           "<th scope=\"col\">Domain or server</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < cards.size(); ++i) {
        const Rule& rule = *cards[i].rule;
        const Finding& first = *cards[i].findings.front();
        out +=
            "<tr><td class=\"num\">" + std::to_string(i + 1) + "</td><td><span class=\"badge sev-";
        out += toString(rule.severity);
        out += "\">";
        out += severityLabel(rule.severity);
        out += "</span></td><td><a href=\"#rule-" + std::to_string(i + 1) + "\">" +
               htmlText(rule.title) + "</a>";
        if (rule.kind != RuleKind::Unsafe) {
            out += " <span class=\"kind kind-";
            out += toString(rule.kind);
            out += "\">";
            out += kindLabel(rule.kind);
            out += "</span>";
        }
        const auto& name = first.objectName.empty() ? first.object : first.objectName;
        std::size_t others = cards[i].findings.size() - 1;
        out += "</td><td class=\"num\">" + std::to_string(cards[i].findings.size()) + "</td><td>" +
               htmlText(name);
        if (others > 0)
            out += " <span class=\"muted\">and " + std::to_string(others) + " more</span>";
        out += "</td><td>" + htmlText(locationOf(first)) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
}

} // namespace

void renderFindings(std::string& out, const std::vector<Finding>& findings,
                    const std::map<std::string, std::string>& causeAnchors) {
    out += "<section id=\"findings\" aria-labelledby=\"findings-title\">\n"
           "<h2 id=\"findings-title\">Findings</h2>\n";
    if (findings.empty()) {
        out += "<p class=\"muted\">No rule fired.</p>\n";
    } else {
        auto cards = ruleCardsOf(findings);
        if (cards.size() > 1)
            renderFindingIndex(out, cards);
        for (std::size_t i = 0; i < cards.size(); ++i)
            renderRuleCard(out, cards[i], i + 1, causeAnchors);
    }
    out += "</section>\n";
}

} // namespace relayaudit
