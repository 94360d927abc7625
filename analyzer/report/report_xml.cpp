// The machine-readable report: everything the HTML shows plus the full evidence lists. Its shape
// is pinned by schemas/report.xsd; bump formatVersion on any incompatible change. Written by
// streaming (xml_writer.h): each rule's prose once in <rules>, findings naming their rule by ID,
// each DN once (report_xml_inventory.h).
#include "report_xml_inventory.h"
#include "report_xml_probes.h"
#include "report_xml_shared.h"
#include "reporters.h"
#include "severity_counts.h"
#include "xml_writer.h"

#include <future>
#include <set>
#include <string>

namespace relayaudit {

namespace {

void writeRun(XmlWriter& xml, const RunInfo& run) {
    xml.start("run");
    xml.attribute("tool", "relayaudit");
    xml.attribute("version", run.toolVersion);
    xml.attribute("generatedAt", run.generatedAt);
    xml.attribute("target", run.target);
    for (const auto& input : run.inputs)
        xml.textElement("input", input);
    for (const auto& pack : run.packs) {
        xml.start("rulePack");
        xml.attribute("name", pack.name);
        xml.attribute("version", pack.version);
        xml.attribute("source", pack.source);
        xml.end();
    }
    for (const auto& note : run.notes)
        xml.textElement("note", note);
    xml.end();
}

void writeSummary(XmlWriter& xml, const AuditReport& report) {
    const auto& findings = report.findings;
    SeverityCounts counts = countBySeverity(findings);
    xml.start("summary");
    xml.attribute("findings", findings.size());
    xml.attribute("fail", counts.totalFail);
    xml.attribute("unknown", counts.totalUnknown);
    if (report.waiversGiven)
        xml.attribute("accepted", acceptedCount(report));
    if (report.comparison.enabled) {
        xml.attribute("new", report.comparison.newFindings);
        xml.attribute("resolved", report.comparison.resolved.size());
    }
    for (Severity severity : kSeveritiesMostSevereFirst) {
        auto index = static_cast<std::size_t>(severity);
        xml.start("count");
        xml.attribute("severity", toString(severity));
        xml.attribute("fail", counts.fail[index]);
        xml.attribute("unknown", counts.unknown[index]);
        xml.end();
    }
    xml.end();
}

// The rules with at least one finding (accepted ones included), in order of first appearance.
std::vector<const Rule*> rulesOf(const AuditReport& report) {
    std::vector<const Rule*> rules;
    std::set<const Rule*> seen;
    auto add = [&](const Finding& finding) {
        if (seen.insert(finding.rule).second)
            rules.push_back(finding.rule);
    };
    for (const auto& finding : report.findings)
        add(finding);
    for (const auto& outcome : report.waivers)
        for (const auto& finding : outcome.accepted)
            add(finding);
    return rules;
}

// A rule's prose, once: what every finding of it shares. Format 4 adds the evidence rows' numbers
// and the messages several findings share, which findings refer to by number.
void writeRule(XmlWriter& xml, const Rule& rule, const SharedMessages& messages) {
    xml.start("rule");
    xml.attribute("id", rule.id);
    xml.attribute("severity", toString(rule.severity));
    xml.attribute("kind", toString(rule.kind));
    if (!rule.pack.empty())
        xml.attribute("pack", rule.pack);
    xml.textElement("title", rule.title);
    xml.textElement("why", rule.why);
    xml.start("remediation");
    for (std::size_t i = 0; i < rule.remediation.size(); ++i) {
        xml.start("step");
        xml.attribute("n", i + 1);
        xml.text(rule.remediation[i]);
        xml.end();
    }
    xml.end();
    xml.start("references");
    for (const auto& reference : rule.references) {
        xml.start("reference");
        xml.attribute("url", reference.url);
        xml.text(reference.title);
        xml.end();
    }
    xml.end();
    for (std::size_t i = 0; i < rule.evidence.size(); ++i) {
        xml.start("evidence");
        xml.attribute("row", i + 1);
        xml.attribute("attribute", rule.evidence[i].attribute);
        xml.attribute("expected", rule.evidence[i].expected);
        xml.end();
    }
    const auto& shared = messages.of(rule);
    for (std::size_t i = 0; i < shared.size(); ++i) {
        xml.start("message");
        xml.attribute("n", i + 1);
        xml.text(shared[i]);
        xml.end();
    }
    xml.end();
}

// A finding on one line with only what is its own (format 4, schemas/report.xsd): severity and
// status are its rule's (and "accepted" inside <acceptedRisks>), objectName is left to its item
// when the item gives it, a message shared with other findings of the rule and an evidence row's
// label and expected value are the rule's, by number.
void writeFinding(XmlWriter& xml, const InventoryLayout& layout, const SharedMessages& messages,
                  const Finding& finding) {
    const Rule& rule = *finding.rule;
    xml.startOneLine("finding");
    xml.attribute("rule", rule.id);
    layout.writeObjectOf(xml, finding);
    if (!layout.objectNameFollowsFromItem(finding))
        xml.attribute("objectName", finding.objectName);
    if (!finding.change.empty()) {
        xml.attribute("change", finding.change);
        xml.attribute("firstSeen", finding.firstSeen);
    }
    if (auto shared = messages.numberOf(finding))
        xml.attribute("message", *shared);
    else
        xml.textElement("message", finding.message);
    EvidenceRows rows(rule);
    for (const auto& item : finding.evidence) {
        xml.start("evidence");
        if (auto row = rows.rowOf(item)) {
            xml.attribute("row", *row + 1);
        } else {
            xml.attribute("attribute", item.attribute);
            xml.attribute("expected", item.expected);
        }
        xml.attribute("observed", item.observed);
        xml.end();
    }
    xml.end();
}

// Findings of the previous run that this one no longer reports. Their rule may be gone from this
// run, so each keeps its title.
void writeComparison(XmlWriter& xml, const Comparison& comparison) {
    xml.start("comparison");
    xml.attribute("baseline", comparison.baseline);
    xml.attribute("baselineGeneratedAt", comparison.baselineGeneratedAt);
    for (const auto& finding : comparison.resolved) {
        xml.start("resolved");
        xml.attribute("rule", finding.rule);
        xml.attribute("severity", finding.severity);
        xml.attribute("status", finding.status);
        xml.attribute("object", finding.object);
        xml.attribute("objectName", finding.objectName);
        xml.attribute("firstSeen", finding.firstSeen);
        xml.text(finding.title);
        xml.end();
    }
    xml.end();
}

// Each waiver with its state and the findings it covers, which carry status="accepted".
void writeAcceptedRisks(XmlWriter& xml, const InventoryLayout& layout,
                        const SharedMessages& messages, const std::vector<WaiverOutcome>& waivers) {
    xml.start("acceptedRisks");
    for (const auto& outcome : waivers) {
        const Waiver& waiver = outcome.waiver;
        xml.start("waiver");
        xml.attribute("rule", waiver.rule);
        xml.attribute("object", waiver.object);
        xml.attribute("owner", waiver.owner);
        xml.attribute("expires", waiver.expires);
        xml.attribute("state", toString(outcome.state));
        xml.attribute("source", waiver.source);
        if (outcome.state == WaiverState::Expired)
            xml.attribute("expiredMatches", outcome.expiredMatches);
        xml.textElement("reason", waiver.reason);
        for (const auto& finding : outcome.accepted)
            writeFinding(xml, layout, messages, finding);
        xml.end();
    }
    xml.end();
}

void writeManualChecks(XmlWriter& xml, const std::vector<std::string>& checks) {
    xml.start("manualChecks");
    for (const auto& check : checks)
        xml.textElement("check", check);
    xml.end();
}

} // namespace

void writeXmlReport(const AuditReport& report, OutputSink& out) {
    // The shared messages and the inventory's layout are each a pass over every finding (5 and
    // 7 ms at 10,000 virtual servers), and neither needs the other: the messages are found on a
    // second thread while this one lays out the inventory.
    auto messagesFound =
        std::async(std::launch::async, [&report] { return SharedMessages(report); });
    XmlWriter xml(out);
    xml.declaration();
    xml.start("relayauditReport");
    xml.attribute("formatVersion", "4");
    writeRun(xml, report.run);
    writeSummary(xml, report);
    InventoryLayout layout(report.inventory, report);
    // The inventory, about half the report at 10,000 virtual servers, is rendered on a second
    // thread while the findings stream, then copied in after them (about 3 MB held for that
    // while, after the snapshot's memory was released).
    std::string inventoryText;
    auto inventoryRendered = std::async(std::launch::async, [&layout, &inventoryText] {
        OutputSink inventoryOut(inventoryText);
        XmlWriter part(inventoryOut);
        part.continueInside("relayauditReport");
        layout.writeInventory(part);
    });
    const SharedMessages messages = messagesFound.get();
    xml.start("rules");
    for (const Rule* rule : rulesOf(report))
        writeRule(xml, *rule, messages);
    xml.end();
    xml.start("findings");
    for (const auto& finding : report.findings) // already ordered by the engine
        writeFinding(xml, layout, messages, finding);
    xml.end();
    if (report.comparison.enabled)
        writeComparison(xml, report.comparison);
    if (report.waiversGiven)
        writeAcceptedRisks(xml, layout, messages, report.waivers);
    inventoryRendered.get();
    xml.markup(inventoryText);
    writeManualChecks(xml, report.manualChecks);
    writeWireEvidence(xml, report);
    xml.end();
}

std::string renderXmlReport(const AuditReport& report) {
    std::string text;
    OutputSink out(text);
    writeXmlReport(report, out);
    out.flush();
    return text;
}

} // namespace relayaudit
