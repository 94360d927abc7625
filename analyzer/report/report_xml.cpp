// The machine-readable report: everything the HTML shows plus the full evidence lists. Its shape
// is pinned by schemas/report.xsd; bump formatVersion on any incompatible change.
#include "report_xml_probes.h"
#include "reporters.h"
#include "severity_counts.h"
#include "text_encoding.h"

#include <pugixml.hpp>
#include <sstream>

namespace relayaudit {

namespace {

void setAttribute(pugi::xml_node node, const char* name, std::string_view value) {
    node.append_attribute(name).set_value(xmlSafeText(value).c_str());
}

void setAttribute(pugi::xml_node node, const char* name, std::size_t value) {
    node.append_attribute(name).set_value(static_cast<unsigned long long>(value));
}

pugi::xml_node appendText(pugi::xml_node parent, const char* name, std::string_view text) {
    auto child = parent.append_child(name);
    child.append_child(pugi::node_pcdata).set_value(xmlSafeText(text).c_str());
    return child;
}

void appendRun(pugi::xml_node root, const RunInfo& run) {
    auto node = root.append_child("run");
    setAttribute(node, "tool", "relayaudit");
    setAttribute(node, "version", run.toolVersion);
    setAttribute(node, "generatedAt", run.generatedAt);
    setAttribute(node, "target", run.target);
    for (const auto& input : run.inputs)
        appendText(node, "input", input);
    for (const auto& pack : run.packs) {
        auto child = node.append_child("rulePack");
        setAttribute(child, "name", pack.name);
        setAttribute(child, "version", pack.version);
        setAttribute(child, "source", pack.source);
    }
    for (const auto& note : run.notes)
        appendText(node, "note", note);
}

void appendSummary(pugi::xml_node root, const AuditReport& report) {
    const auto& findings = report.findings;
    SeverityCounts counts = countBySeverity(findings);
    auto summary = root.append_child("summary");
    setAttribute(summary, "findings", findings.size());
    setAttribute(summary, "fail", counts.totalFail);
    setAttribute(summary, "unknown", counts.totalUnknown);
    if (report.waiversGiven)
        setAttribute(summary, "accepted", acceptedCount(report));
    if (report.comparison.enabled) {
        setAttribute(summary, "new", report.comparison.newFindings);
        setAttribute(summary, "resolved", report.comparison.resolved.size());
    }
    for (Severity severity : kSeveritiesMostSevereFirst) {
        auto index = static_cast<std::size_t>(severity);
        auto count = summary.append_child("count");
        setAttribute(count, "severity", toString(severity));
        setAttribute(count, "fail", counts.fail[index]);
        setAttribute(count, "unknown", counts.unknown[index]);
    }
}

void appendFinding(pugi::xml_node parent, const Finding& finding, bool accepted = false) {
    const Rule& rule = *finding.rule;
    auto node = parent.append_child("finding");
    setAttribute(node, "rule", rule.id);
    setAttribute(node, "severity", toString(rule.severity));
    setAttribute(node, "kind", toString(rule.kind));
    setAttribute(node, "status", accepted ? "accepted" : finding.status());
    setAttribute(node, "object", finding.object);
    setAttribute(node, "objectName", finding.objectName);
    if (!rule.pack.empty())
        setAttribute(node, "pack", rule.pack);
    if (!finding.change.empty()) {
        setAttribute(node, "change", finding.change);
        setAttribute(node, "firstSeen", finding.firstSeen);
    }
    appendText(node, "title", rule.title);
    appendText(node, "message", finding.message);
    auto evidence = node.append_child("evidence");
    for (const auto& item : finding.evidence) {
        auto child = evidence.append_child("item");
        setAttribute(child, "attribute", item.attribute);
        setAttribute(child, "observed", item.observed);
        setAttribute(child, "expected", item.expected);
    }
    appendText(node, "why", rule.why);
    auto remediation = node.append_child("remediation");
    for (std::size_t i = 0; i < rule.remediation.size(); ++i)
        setAttribute(appendText(remediation, "step", rule.remediation[i]), "n", i + 1);
    auto references = node.append_child("references");
    for (const auto& reference : rule.references)
        setAttribute(appendText(references, "reference", reference.title), "url", reference.url);
}

// Findings of the previous run that this one no longer reports.
void appendComparison(pugi::xml_node root, const Comparison& comparison) {
    auto node = root.append_child("comparison");
    setAttribute(node, "baseline", comparison.baseline);
    setAttribute(node, "baselineGeneratedAt", comparison.baselineGeneratedAt);
    for (const auto& finding : comparison.resolved) {
        auto child = appendText(node, "resolved", finding.title);
        setAttribute(child, "rule", finding.rule);
        setAttribute(child, "severity", finding.severity);
        setAttribute(child, "status", finding.status);
        setAttribute(child, "object", finding.object);
        setAttribute(child, "objectName", finding.objectName);
        setAttribute(child, "firstSeen", finding.firstSeen);
    }
}

// Each waiver with its state and the findings it covers, which carry status="accepted".
void appendAcceptedRisks(pugi::xml_node root, const std::vector<WaiverOutcome>& waivers) {
    auto node = root.append_child("acceptedRisks");
    for (const auto& outcome : waivers) {
        const Waiver& waiver = outcome.waiver;
        auto child = node.append_child("waiver");
        setAttribute(child, "rule", waiver.rule);
        setAttribute(child, "object", waiver.object);
        setAttribute(child, "owner", waiver.owner);
        setAttribute(child, "expires", waiver.expires);
        setAttribute(child, "state", toString(outcome.state));
        setAttribute(child, "source", waiver.source);
        if (outcome.state == WaiverState::Expired)
            setAttribute(child, "expiredMatches", outcome.expiredMatches);
        appendText(child, "reason", waiver.reason);
        for (const auto& finding : outcome.accepted)
            appendFinding(child, finding, true);
    }
}

void appendInventory(pugi::xml_node root, const std::vector<InventoryItem>& inventory) {
    auto node = root.append_child("inventory");
    for (const auto& item : inventory) {
        auto child = appendText(node, "item", item.detail);
        setAttribute(child, "kind", item.kind);
        setAttribute(child, "dn", item.dn);
        setAttribute(child, "name", item.name);
    }
}

void appendManualChecks(pugi::xml_node root, const std::vector<std::string>& checks) {
    auto node = root.append_child("manualChecks");
    for (const auto& check : checks)
        appendText(node, "check", check);
}

} // namespace

std::string renderXmlReport(const AuditReport& report) {
    pugi::xml_document document;
    auto declaration = document.append_child(pugi::node_declaration);
    declaration.append_attribute("version").set_value("1.0");
    declaration.append_attribute("encoding").set_value("UTF-8");

    auto root = document.append_child("relayauditReport");
    root.append_attribute("formatVersion").set_value("1");
    appendRun(root, report.run);
    appendSummary(root, report);

    auto findings = root.append_child("findings");
    for (const auto& finding : report.findings) // already ordered by the engine
        appendFinding(findings, finding);
    if (report.comparison.enabled)
        appendComparison(root, report.comparison);
    if (report.waiversGiven)
        appendAcceptedRisks(root, report.waivers);

    appendInventory(root, report.inventory);
    appendManualChecks(root, report.manualChecks);
    appendWireEvidence(root, report);

    std::ostringstream out;
    document.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

} // namespace relayaudit
