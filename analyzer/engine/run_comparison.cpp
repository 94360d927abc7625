#include "run_comparison.h"

#include "string_helpers.h"
#include "text_encoding.h"

#include <algorithm>
#include <map>
#include <pugixml.hpp>
#include <unordered_map>

namespace relayaudit {

namespace {

// The previous report holds values as the XML writer wrote them (bytes XML cannot carry as
// \XX), so this run's values are compared in that same form.
std::string matchKey(std::string_view rule, std::string_view object) {
    return toLowerAscii(rule) + '\n' + toLowerAscii(object);
}

// Format 1 repeated the rule's title in each finding; format 2 gives it once in <rules>, and
// format 4 leaves out a finding's severity and status when they are what its rule gives.
struct RuleFacts {
    std::string title;
    std::string severity;
    std::string kind;
};
using Rules = std::map<std::string, RuleFacts, std::less<>>;
// Format 3 gives a finding on an inventory object as item="ID"; the item's DN is dn="..." or
// rdn="..." under an earlier item in="ID" (report_xml_inventory.h). Format 4 leaves out the
// finding's objectName when the item gives it: the item's name, after "SERVER: " when it is in a
// server item.
struct ItemFacts {
    std::string dn;
    std::string name;
    bool isServer = false;
    const ItemFacts* server = nullptr; // the item it is in, when that is a server
};
using ItemsById = std::unordered_map<std::string, ItemFacts>;

ItemsById inventoryItems(pugi::xml_node inventory) {
    ItemsById items;
    for (auto item : inventory.children("item")) {
        auto id = item.attribute("id");
        if (!id)
            continue;
        ItemFacts facts{item.attribute("dn").value(), item.attribute("name").value(),
                        std::string_view(item.attribute("kind").value()) == "server"};
        if (auto parent = item.attribute("in")) {
            auto found = items.find(parent.value());
            const ItemFacts* in = found == items.end() ? nullptr : &found->second;
            facts.dn = std::string(item.attribute("rdn").value()) + "," + (in ? in->dn : "");
            if (in && in->isServer)
                facts.server = in;
        }
        items.emplace(id.value(), std::move(facts));
    }
    return items;
}

ResolvedFinding readFinding(pugi::xml_node node, const std::string& runDate, const Rules& rules,
                            const ItemsById& items, bool accepted) {
    ResolvedFinding finding;
    finding.rule = node.attribute("rule").value();
    const RuleFacts* rule = nullptr;
    if (auto found = rules.find(finding.rule); found != rules.end())
        rule = &found->second;
    if (auto severity = node.attribute("severity"))
        finding.severity = severity.value();
    else if (rule)
        finding.severity = rule->severity;
    if (auto status = node.attribute("status"))
        finding.status = status.value();
    else
        finding.status = accepted                               ? "accepted"
                         : rule && rule->kind == "cannot-judge" ? "unknown"
                                                                : "fail";
    finding.object = node.attribute("object").value();
    finding.objectName = node.attribute("objectName").value();
    if (auto item = node.attribute("item")) {
        auto found = items.find(item.value());
        if (found != items.end()) {
            finding.object = found->second.dn;
            if (!node.attribute("objectName")) {
                const ItemFacts& facts = found->second;
                finding.objectName =
                    facts.server ? facts.server->name + ": " + facts.name : facts.name;
            }
        }
    }
    if (auto title = node.child("title")) {
        finding.title = title.child_value();
    } else if (rule) {
        finding.title = rule->title;
    }
    finding.firstSeen = node.attribute("firstSeen").value();
    if (finding.firstSeen.empty())
        finding.firstSeen = runDate;
    return finding;
}

} // namespace

std::optional<std::string> parsePreviousReport(std::string_view text, const std::string& source,
                                               PreviousReport& previous) {
    pugi::xml_document document;
    auto parsed = document.load_buffer(text.data(), text.size(), pugi::parse_default);
    if (!parsed)
        return source + ": not a readable XML report: " + parsed.description();
    auto root = document.child("relayauditReport");
    if (!root)
        return source + ": not a relayaudit XML report (no <relayauditReport> root)";
    previous.source = source;
    previous.generatedAt = root.child("run").attribute("generatedAt").value();
    std::string runDate = previous.generatedAt.substr(0, 10);
    Rules rules;
    for (auto rule : root.child("rules").children("rule"))
        rules.emplace(rule.attribute("id").value(),
                      RuleFacts{rule.child_value("title"), rule.attribute("severity").value(),
                                rule.attribute("kind").value()});
    ItemsById items = inventoryItems(root.child("inventory"));
    for (auto finding : root.child("findings").children("finding"))
        previous.findings.push_back(readFinding(finding, runDate, rules, items, false));
    for (auto waiver : root.child("acceptedRisks").children("waiver"))
        for (auto finding : waiver.children("finding"))
            previous.findings.push_back(readFinding(finding, runDate, rules, items, true));
    return std::nullopt;
}

void compareWithPrevious(AuditReport& report, const PreviousReport* previous,
                         std::string_view today) {
    auto& comparison = report.comparison;
    comparison.enabled = true;
    std::multimap<std::string, std::size_t> unmatched;
    if (previous) {
        comparison.baseline = previous->source;
        comparison.baselineGeneratedAt = previous->generatedAt;
        for (std::size_t i = 0; i < previous->findings.size(); ++i)
            unmatched.emplace(matchKey(previous->findings[i].rule, previous->findings[i].object),
                              i);
    }
    auto mark = [&](Finding& finding) {
        auto found = unmatched.lower_bound(matchKey(finding.rule->id, xmlSafeText(finding.object)));
        if (found == unmatched.end() ||
            found->first != matchKey(finding.rule->id, xmlSafeText(finding.object))) {
            finding.change = "new";
            finding.firstSeen = std::string(today);
            comparison.newFindings++;
        } else {
            finding.change = "open";
            finding.firstSeen = previous->findings[found->second].firstSeen;
            unmatched.erase(found);
        }
    };
    for (auto& finding : report.findings)
        mark(finding);
    for (auto& outcome : report.waivers)
        for (auto& finding : outcome.accepted)
            mark(finding);
    std::vector<std::size_t> gone;
    for (const auto& [key, index] : unmatched)
        gone.push_back(index);
    std::sort(gone.begin(), gone.end()); // the previous report's order: most severe first
    for (auto index : gone)
        comparison.resolved.push_back(previous->findings[index]);
}

} // namespace relayaudit
