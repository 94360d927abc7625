// The report as JSON for scripts and monitors: the same content as the XML report
// (report_xml.cpp), element for element, with its shape pinned by schemas/report.schema.json.
// Strings are the XML report's strings (json_text.h), so both can be compared value by value.
#include "json_text.h"
#include "reporters.h"
#include "severity_counts.h"

namespace relayaudit {

namespace {

// Writes objects and arrays with the commas in the right places; two-space indentation so a
// person can read or diff the file. Text collects in a small buffer that goes to the sink at
// element boundaries (pass()), so the document is never held whole.
class JsonWriter {
public:
    explicit JsonWriter(OutputSink& sink) : sink_(sink) {}
    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }
    void key(std::string_view name) {
        separate();
        appendJsonString(out_, name);
        out_ += ": ";
        afterKey_ = true;
    }
    void string(std::string_view value) {
        separate();
        appendJsonString(out_, value);
    }
    void number(std::size_t value) {
        separate();
        out_ += std::to_string(value);
    }
    void field(std::string_view name, std::string_view value) {
        key(name);
        string(value);
    }
    void field(std::string_view name, const char* value) { field(name, std::string_view(value)); }
    void count(std::string_view name, std::size_t value) {
        key(name);
        number(value);
    }
    void pass() {
        if (out_.size() >= OutputSink::kBufferSize) {
            sink_.append(out_);
            out_.clear();
        }
    }
    void finish() {
        out_ += '\n';
        sink_.append(out_);
        out_.clear();
    }

private:
    void separate() {
        if (afterKey_) {
            afterKey_ = false;
            return;
        }
        if (!first_)
            out_ += ',';
        if (depth_ > 0) {
            out_ += '\n';
            out_.append(2 * depth_, ' ');
        }
        first_ = false;
    }
    void open(char bracket) {
        separate();
        out_ += bracket;
        ++depth_;
        first_ = true;
    }
    void close(char bracket) {
        --depth_;
        if (!first_) {
            out_ += '\n';
            out_.append(2 * depth_, ' ');
        }
        out_ += bracket;
        first_ = false;
    }

    OutputSink& sink_;
    std::string out_;
    int depth_ = 0;
    bool first_ = true;
    bool afterKey_ = false;
};

void writeStrings(JsonWriter& json, std::string_view name, const std::vector<std::string>& items) {
    json.key(name);
    json.beginArray();
    for (const auto& item : items)
        json.string(item);
    json.endArray();
}

void writeRun(JsonWriter& json, const RunInfo& run) {
    json.key("run");
    json.beginObject();
    json.field("tool", "relayaudit");
    json.field("version", run.toolVersion);
    json.field("generatedAt", run.generatedAt);
    json.field("target", run.target);
    writeStrings(json, "inputs", run.inputs);
    json.key("rulePacks");
    json.beginArray();
    for (const auto& pack : run.packs) {
        json.beginObject();
        json.field("name", pack.name);
        json.field("version", pack.version);
        json.field("source", pack.source);
        json.endObject();
    }
    json.endArray();
    writeStrings(json, "notes", run.notes);
    json.endObject();
}

void writeSummary(JsonWriter& json, const AuditReport& report) {
    SeverityCounts counts = countBySeverity(report.findings);
    json.key("summary");
    json.beginObject();
    json.count("findings", report.findings.size());
    json.count("fail", counts.totalFail);
    json.count("unknown", counts.totalUnknown);
    if (report.waiversGiven)
        json.count("accepted", acceptedCount(report));
    if (report.comparison.enabled) {
        json.count("new", report.comparison.newFindings);
        json.count("resolved", report.comparison.resolved.size());
    }
    json.key("counts");
    json.beginArray();
    for (Severity severity : kSeveritiesMostSevereFirst) {
        auto index = static_cast<std::size_t>(severity);
        json.beginObject();
        json.field("severity", toString(severity));
        json.count("fail", counts.fail[index]);
        json.count("unknown", counts.unknown[index]);
        json.endObject();
    }
    json.endArray();
    json.endObject();
}

void writeFinding(JsonWriter& json, const Finding& finding, bool accepted) {
    const Rule& rule = *finding.rule;
    json.beginObject();
    json.field("rule", rule.id);
    json.field("severity", toString(rule.severity));
    json.field("kind", toString(rule.kind));
    json.field("status", accepted ? "accepted" : finding.status());
    json.field("object", finding.object);
    json.field("objectName", finding.objectName);
    if (!rule.pack.empty())
        json.field("pack", rule.pack);
    if (!finding.change.empty()) {
        json.field("change", finding.change);
        json.field("firstSeen", finding.firstSeen);
    }
    json.field("title", rule.title);
    json.field("message", finding.message);
    json.key("evidence");
    json.beginArray();
    for (const auto& item : finding.evidence) {
        json.beginObject();
        json.field("attribute", item.attribute);
        json.field("observed", item.observed);
        json.field("expected", item.expected);
        json.endObject();
    }
    json.endArray();
    json.field("why", rule.why);
    writeStrings(json, "remediation", rule.remediation);
    json.key("references");
    json.beginArray();
    for (const auto& reference : rule.references) {
        json.beginObject();
        json.field("title", reference.title);
        json.field("url", reference.url);
        json.endObject();
    }
    json.endArray();
    json.endObject();
    json.pass();
}

void writeComparison(JsonWriter& json, const Comparison& comparison) {
    json.key("comparison");
    json.beginObject();
    json.field("baseline", comparison.baseline);
    json.field("baselineGeneratedAt", comparison.baselineGeneratedAt);
    json.key("resolved");
    json.beginArray();
    for (const auto& finding : comparison.resolved) {
        json.beginObject();
        json.field("rule", finding.rule);
        json.field("severity", finding.severity);
        json.field("status", finding.status);
        json.field("object", finding.object);
        json.field("objectName", finding.objectName);
        json.field("firstSeen", finding.firstSeen);
        json.field("title", finding.title);
        json.endObject();
    }
    json.endArray();
    json.endObject();
}

void writeAcceptedRisks(JsonWriter& json, const std::vector<WaiverOutcome>& waivers) {
    json.key("acceptedRisks");
    json.beginArray();
    for (const auto& outcome : waivers) {
        const Waiver& waiver = outcome.waiver;
        json.beginObject();
        json.field("rule", waiver.rule);
        json.field("object", waiver.object);
        json.field("owner", waiver.owner);
        json.field("expires", waiver.expires);
        json.field("state", toString(outcome.state));
        json.field("source", waiver.source);
        if (outcome.state == WaiverState::Expired)
            json.count("expiredMatches", outcome.expiredMatches);
        json.field("reason", waiver.reason);
        json.key("findings");
        json.beginArray();
        for (const auto& finding : outcome.accepted)
            writeFinding(json, finding, true);
        json.endArray();
        json.endObject();
    }
    json.endArray();
}

void writeInventory(JsonWriter& json, const std::vector<InventoryItem>& inventory) {
    json.key("inventory");
    json.beginArray();
    for (const auto& item : inventory) {
        json.beginObject();
        json.field("kind", item.kind);
        json.field("dn", item.dn);
        json.field("name", item.name);
        json.field("detail", item.detail);
        json.endObject();
        json.pass();
    }
    json.endArray();
}

} // namespace

void writeJsonReport(const AuditReport& report, OutputSink& out) {
    JsonWriter json(out);
    json.beginObject();
    json.field("formatVersion", "1");
    writeRun(json, report.run);
    writeSummary(json, report);
    json.key("findings");
    json.beginArray();
    for (const auto& finding : report.findings)
        writeFinding(json, finding, false);
    json.endArray();
    if (report.comparison.enabled)
        writeComparison(json, report.comparison);
    if (report.waiversGiven)
        writeAcceptedRisks(json, report.waivers);
    writeInventory(json, report.inventory);
    writeStrings(json, "manualChecks", report.manualChecks);
    json.endObject();
    json.finish();
}

std::string renderJsonReport(const AuditReport& report) {
    std::string text;
    OutputSink out(text);
    writeJsonReport(report, out);
    out.flush();
    return text;
}

} // namespace relayaudit
