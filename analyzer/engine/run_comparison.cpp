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

// Format 1 repeated the rule's title in each finding; format 2 gives it once in <rules>.
using Titles = std::map<std::string, std::string, std::less<>>;
// Format 3 gives a finding on an inventory object as item="ID"; the item's DN is dn="..." or
// rdn="..." under an earlier item in="ID" (report_xml_inventory.h).
using DnById = std::unordered_map<std::string, std::string>;

DnById inventoryDns(pugi::xml_node inventory) {
    DnById dns;
    for (auto item : inventory.children("item")) {
        auto id = item.attribute("id");
        if (!id)
            continue;
        std::string dn = item.attribute("dn").value();
        if (auto parent = item.attribute("in")) {
            auto found = dns.find(parent.value());
            dn = std::string(item.attribute("rdn").value()) + "," +
                 (found == dns.end() ? std::string() : found->second);
        }
        dns.emplace(id.value(), std::move(dn));
    }
    return dns;
}

ResolvedFinding readFinding(pugi::xml_node node, const std::string& runDate, const Titles& titles,
                            const DnById& dns) {
    ResolvedFinding finding;
    finding.rule = node.attribute("rule").value();
    finding.severity = node.attribute("severity").value();
    finding.status = node.attribute("status").value();
    finding.object = node.attribute("object").value();
    if (auto item = node.attribute("item")) {
        auto found = dns.find(item.value());
        if (found != dns.end())
            finding.object = found->second;
    }
    finding.objectName = node.attribute("objectName").value();
    if (auto title = node.child("title")) {
        finding.title = title.child_value();
    } else if (auto found = titles.find(finding.rule); found != titles.end()) {
        finding.title = found->second;
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
    Titles titles;
    for (auto rule : root.child("rules").children("rule"))
        titles.emplace(rule.attribute("id").value(), rule.child_value("title"));
    DnById dns = inventoryDns(root.child("inventory"));
    for (auto finding : root.child("findings").children("finding"))
        previous.findings.push_back(readFinding(finding, runDate, titles, dns));
    for (auto waiver : root.child("acceptedRisks").children("waiver"))
        for (auto finding : waiver.children("finding"))
            previous.findings.push_back(readFinding(finding, runDate, titles, dns));
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
