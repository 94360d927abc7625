#include "html_verdict.h"

#include "html_escape.h"

#include <algorithm>
#include <string_view>

namespace relayaudit {

namespace {

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
    return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

const Finding* firstWhere(const std::vector<Finding>& findings, auto predicate) {
    auto it = std::find_if(findings.begin(), findings.end(), predicate);
    return it == findings.end() ? nullptr : &*it;
}

} // namespace

Verdict verdictFor(const AuditReport& report, const SeverityCounts& counts) {
    const auto& findings = report.findings;
    auto isUnsafe = [](const Finding& f) { return f.rule->kind == RuleKind::Unsafe; };
    auto isNonDefault = [](const Finding& f) { return f.rule->kind == RuleKind::NonDefault; };
    auto isCriticalProblem = [](const Finding& f) {
        return f.rule->severity == Severity::Critical && f.rule->kind != RuleKind::CannotJudge;
    };
    std::size_t unsafe = std::count_if(findings.begin(), findings.end(), isUnsafe);
    std::size_t nonDefault = std::count_if(findings.begin(), findings.end(), isNonDefault);
    std::size_t virtualServers =
        std::count_if(report.inventory.begin(), report.inventory.end(),
                      [](const InventoryItem& item) { return item.kind == "virtual-server"; });

    // What relay settings were actually read: without any, cannot-judge findings mean that
    // nothing was judged, and "no relay problems found" would be the silence issue 7 forbids.
    std::size_t judged = std::count_if(
        report.inventory.begin(), report.inventory.end(), [](const InventoryItem& item) {
            return item.kind == "virtual-server" || item.kind == "receive-connector" ||
                   item.kind.starts_with("ims");
        });
    auto isCannotJudge = [](const Finding& f) { return f.rule->kind == RuleKind::CannotJudge; };

    std::string where = virtualServers > 0
                            ? " in " + plural(virtualServers, "virtual server", "virtual servers")
                            : "";
    std::string unknown =
        counts.totalUnknown == 0
            ? ""
            : "; " + plural(counts.totalUnknown, "item", "items") + " could not be judged";

    Verdict v;
    std::size_t critical = counts.failOf(Severity::Critical);
    if (critical > 0) {
        std::size_t others = counts.totalFail - critical;
        v.cssClass = "verdict-critical";
        v.sentence = htmlText(plural(critical, "critical problem", "critical problems")) +
                     ", starting with “" +
                     htmlText(firstWhere(findings, isCriticalProblem)->rule->title) + "” — fix " +
                     (critical == 1 ? "it" : "these") + " first";
        if (others > 0)
            v.sentence += "; " + plural(others, "other finding", "other findings") + " below";
        v.sentence += htmlText(unknown) + ".";
    } else if (unsafe > 0) {
        v.cssClass = "verdict-problem";
        v.sentence = plural(unsafe, "relay problem", "relay problems") + " found" +
                     htmlText(where) + "; the most severe is “" +
                     htmlText(firstWhere(findings, isUnsafe)->rule->title) + "”" +
                     htmlText(unknown) + ".";
    } else if (nonDefault > 0) {
        v.cssClass = "verdict-nondefault";
        v.sentence = "No unsafe settings found" + htmlText(where) + "; " +
                     plural(nonDefault, "setting differs", "settings differ") +
                     " from the Exchange default" + htmlText(unknown) + ".";
    } else if (counts.totalUnknown > 0 && judged == 0) {
        v.cssClass = "verdict-unknown";
        v.sentence = "Nothing could be judged: “" +
                     htmlText(firstWhere(findings, isCannotJudge)->rule->title) + "”" +
                     htmlText(unknown) + " — read the findings below.";
    } else if (counts.totalUnknown > 0) {
        v.cssClass = "verdict-unknown";
        v.sentence = "No relay problems found" + htmlText(where) + htmlText(unknown) + " — check " +
                     (counts.totalUnknown == 1 ? "it" : "them") + " by hand.";
    } else if (counts.totalFail > 0) {
        // Only informational findings, such as "no Exchange configuration in the input": that
        // is not a clean bill of health, so the headline is neutral and names the note.
        v.cssClass = "verdict-unknown";
        v.sentence = "No problem to fix" + htmlText(where) + ", but read " +
                     (counts.totalFail == 1 ? std::string("the note below") : "the notes below") +
                     " first: “" + htmlText(findings.front().rule->title) + "”.";
    } else if (virtualServers > 0) {
        v.cssClass = "verdict-ok";
        v.sentence = "No relay problems found" + htmlText(where) + ".";
    } else {
        v.cssClass = "verdict-ok";
        v.sentence = "Nothing found.";
    }
    return v;
}

} // namespace relayaudit
