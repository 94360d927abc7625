#include "html_escape.h"
#include "html_sections.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace relayaudit {

namespace {

// A generation: the pack whose rules judge it and the inventory kinds it examines.
struct Generation {
    std::string_view label;
    std::string_view pack;
    std::vector<std::string_view> kinds;
    std::string_view noun; // what its objects are called
};

const std::vector<Generation>& generations() {
    static const std::vector<Generation> list = {
        {"Exchange 2003", "exchange-2003", {"virtual-server"}, "SMTP virtual servers"},
        {"Exchange 2007+", "exchange-2007", {"receive-connector"}, "receive connectors"},
        {"Exchange 5.5", "exchange-55", {"ims-server"}, "Internet Mail Services"},
        {"Directory", "directory", {"domain"}, "domains"},
    };
    return list;
}

// Distinct objects, an object being its DN and name joined by a newline. Without a newline in a
// DN the pair says the same, and is compared without building a string per finding.
std::size_t objectsOf(const Generation& generation, const AuditReport& report, RuleKind kind) {
    std::vector<std::pair<std::string_view, std::string_view>> objects;
    bool newlineInDn = false;
    for (const auto& finding : report.findings)
        if (finding.rule->pack == generation.pack && finding.rule->kind == kind) {
            objects.emplace_back(finding.object, finding.objectName);
            newlineInDn = newlineInDn || finding.object.find('\n') != std::string::npos;
        }
    if (newlineInDn) {
        std::set<std::string> joined;
        for (const auto& [object, name] : objects)
            joined.insert(std::string(object) + '\n' + std::string(name));
        return joined.size();
    }
    std::sort(objects.begin(), objects.end());
    return std::size_t(std::unique(objects.begin(), objects.end()) - objects.begin());
}

} // namespace

void renderScores(std::string& out, const AuditReport& report) {
    out += "<ul class=\"scores\">\n";
    for (const auto& generation : generations()) {
        auto examined = std::count_if(
            report.inventory.begin(), report.inventory.end(), [&](const InventoryItem& item) {
                return std::find(generation.kinds.begin(), generation.kinds.end(), item.kind) !=
                       generation.kinds.end();
            });
        out += "<li><span class=\"generation\">";
        out += generation.label;
        out += "</span> ";
        if (examined == 0) {
            out += "<span class=\"muted\">none in the input</span></li>\n";
            continue;
        }
        std::size_t unsafe = objectsOf(generation, report, RuleKind::Unsafe);
        std::size_t unknown = objectsOf(generation, report, RuleKind::CannotJudge);
        out += std::to_string(examined) + " " + std::string(generation.noun) +
               " examined: " + "<span class=\"" + (unsafe ? "score-bad" : "score-good") + "\">" +
               std::to_string(unsafe) + " unsafe</span>, <span class=\"" +
               (unknown ? "score-unknown" : "score-good") + "\">" + std::to_string(unknown) +
               " unknown</span></li>\n";
    }
    out += "</ul>\n";
}

void renderPassedRules(std::string& out, const AuditReport& report) {
    std::set<const Rule*> fired;
    for (const auto& finding : report.findings)
        fired.insert(finding.rule);
    out += "<section id=\"passed\" aria-labelledby=\"passed-title\">\n"
           "<h2 id=\"passed-title\">Rules that passed</h2>\n";
    std::string rows;
    std::size_t count = 0;
    for (const Rule* rule : report.rules) {
        // Only checks that can fail are "passed"; notes and reminders never are.
        if (fired.count(rule) ||
            (rule->kind != RuleKind::Unsafe && rule->kind != RuleKind::NonDefault))
            continue;
        ++count;
        rows += "<tr><td><span class=\"rule-id\">" + htmlText(rule->id) + "</span></td><td>" +
                htmlText(rule->title) + "</td><td>" + htmlText(rule->pack) + "</td></tr>\n";
    }
    if (count == 0) {
        out += "<p class=\"muted\">None.</p>\n</section>\n";
        return;
    }
    out += "<p class=\"muted\">" + std::to_string(count) +
           " checks found nothing. A check passes trivially when nothing it examines was in "
           "the input: see the score per generation in the summary.</p>\n"
           "<table class=\"passed\">\n<thead><tr><th scope=\"col\">Rule</th>"
           "<th scope=\"col\">Check</th><th scope=\"col\">Pack</th></tr></thead>\n<tbody>\n" +
           rows + "</tbody>\n</table>\n</section>\n";
}

} // namespace relayaudit
