#include "html_causes.h"

#include "html_escape.h"
#include "html_location.h"
#include "html_rule_card.h"

#include <algorithm>
#include <set>

namespace relayaudit {

namespace {

std::string capitalized(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

} // namespace

std::vector<SharedCause> sharedCausesOf(const std::vector<Finding>& findings) {
    std::vector<SharedCause> causes;
    std::map<std::string, std::size_t> indexOf;
    for (const auto& finding : findings) {
        if (finding.cause.empty())
            continue;
        auto [it, isNew] = indexOf.emplace(finding.cause, causes.size());
        if (isNew)
            causes.push_back({finding.cause, {}});
        causes[it->second].findings.push_back(&finding);
    }
    std::erase_if(causes, [](const SharedCause& cause) { return cause.findings.size() < 2; });
    return causes;
}

std::map<std::string, std::string> causeAnchorsOf(const std::vector<SharedCause>& causes) {
    std::map<std::string, std::string> anchors;
    for (std::size_t i = 0; i < causes.size(); ++i)
        anchors.emplace(causes[i].text, "cause-" + std::to_string(i + 1));
    return anchors;
}

void renderSharedCauses(std::string& out, const std::vector<SharedCause>& causes) {
    if (causes.empty())
        return;
    out += "<section id=\"causes\" aria-labelledby=\"causes-title\">\n"
           "<h2 id=\"causes-title\">Fix first: one change, several findings</h2>\n";
    for (std::size_t i = 0; i < causes.size(); ++i) {
        const auto& cause = causes[i];
        std::set<std::string> locations;
        for (const auto* finding : cause.findings)
            locations.insert(locationOf(*finding));
        locations.erase("");
        out += "<div class=\"cause\" id=\"cause-" + std::to_string(i + 1) +
               "\">\n<p class=\"cause-fix\">" + htmlText(capitalized(cause.text)) + " resolves " +
               std::to_string(cause.findings.size()) + " findings";
        if (!locations.empty())
            out += " on " + std::to_string(locations.size()) +
                   (locations.size() == 1 ? " server or domain" : " servers and domains");
        out += ".</p>\n<table class=\"cause-objects\">\n<thead><tr><th scope=\"col\">Rule</th>"
               "<th scope=\"col\">Object</th><th scope=\"col\">Domain or server</th></tr></thead>\n"
               "<tbody>\n";
        std::size_t shown = std::min(cause.findings.size(), kHtmlObjectRowsShown);
        for (std::size_t row = 0; row < shown; ++row) {
            const Finding& finding = *cause.findings[row];
            const auto& name = finding.objectName.empty() ? finding.object : finding.objectName;
            out += "<tr><td><span class=\"rule-id\">" + htmlText(finding.rule->id) +
                   "</span></td><td>" + htmlText(name) + "</td><td>" +
                   htmlText(locationOf(finding)) + "</td></tr>\n";
        }
        if (cause.findings.size() > shown)
            out += "<tr class=\"more\"><td colspan=\"3\">+" +
                   std::to_string(cause.findings.size() - shown) +
                   " more, see the XML report</td></tr>\n";
        out += "</tbody>\n</table>\n</div>\n";
    }
    out += "</section>\n";
}

} // namespace relayaudit
