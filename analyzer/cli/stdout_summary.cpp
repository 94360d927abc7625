#include "stdout_summary.h"

#include "text_encoding.h"

#include <array>
#include <ostream>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace relayaudit {

namespace {

constexpr std::size_t kLongDn = 60;

std::string shownObject(const Finding& finding, bool terminal) {
    if (finding.object.empty())
        return "(forest-wide)";
    if (terminal && finding.object.size() > kLongDn && !finding.objectName.empty())
        return terminalSafeText(finding.objectName);
    return terminalSafeText(finding.object);
}

void printTally(std::ostream& out, const AuditReport& report, const RunOutcome& outcome) {
    out << report.findings.size() << " finding(s), " << outcome.atThreshold << " at or above "
        << toString(outcome.threshold);
    if (outcome.failOnNew)
        out << " and new";
    if (outcome.manualAtThreshold > 0)
        out << "; " << outcome.manualAtThreshold << " manual check(s) at or above it";
    out << "\n";
}

// Counted in an array by severity and status: a map keyed by (severity, status text) cost a
// string and a tree lookup per finding, 2M instructions at 14,000 findings on the path to exit.
void printCounts(std::ostream& out, const AuditReport& report) {
    constexpr std::array kOrder = {Severity::Critical, Severity::Error, Severity::Warning,
                                   Severity::NonDefault, Severity::Info};
    constexpr std::array<const char*, 3> kStatuses = {"fail", "unknown", "accepted"};
    std::array<std::array<std::size_t, kStatuses.size()>, kOrder.size()> counts{};
    auto count = [&](const Finding& finding, std::string_view status) {
        for (std::size_t s = 0; s < kOrder.size(); ++s)
            if (kOrder[s] == finding.severity())
                for (std::size_t t = 0; t < kStatuses.size(); ++t)
                    if (status == kStatuses[t])
                        ++counts[s][t];
    };
    for (const auto& finding : report.findings)
        count(finding, finding.status());
    for (const auto& waiver : report.waivers)
        for (const auto& finding : waiver.accepted)
            count(finding, "accepted");
    out << "Counts:";
    bool any = false;
    for (std::size_t s = 0; s < kOrder.size(); ++s)
        for (std::size_t t = 0; t < kStatuses.size(); ++t)
            if (counts[s][t] > 0) {
                out << " " << toString(kOrder[s]) << " " << kStatuses[t] << " " << counts[s][t]
                    << ";";
                any = true;
            }
    if (!any)
        out << " none";
    out << "\n";
}

void printChanges(std::ostream& out, const AuditReport& report) {
    const Comparison& comparison = report.comparison;
    if (!comparison.enabled)
        return;
    out << "Changes: " << comparison.newFindings << " new, " << comparison.resolved.size()
        << " resolved";
    if (comparison.baseline.empty())
        out << " (first run: nothing to compare with)";
    else
        out << " since " << terminalSafeText(comparison.baselineGeneratedAt);
    out << "\n";
}

void printWaivers(std::ostream& out, const AuditReport& report) {
    if (!report.waiversGiven)
        return;
    std::size_t accepted = 0, expired = 0, stale = 0;
    for (const auto& waiver : report.waivers) {
        accepted += waiver.accepted.size();
        expired += waiver.state == WaiverState::Expired;
        stale += waiver.state == WaiverState::Stale;
    }
    out << "Waivers: " << accepted << " finding(s) accepted; " << expired << " waiver(s) expired, "
        << stale << " stale\n";
}

// One line per rule, in the engine's order (most severe first): count and first object. Rules by
// their address: a map keyed by the rule's id built a string per finding.
void printRules(std::ostream& out, const AuditReport& report, bool terminal) {
    struct Line {
        std::size_t count;
        const Finding* first;
    };
    std::vector<Line> lines;
    std::unordered_map<const Rule*, std::size_t> lineOf;
    for (const auto& finding : report.findings) {
        auto [entry, added] = lineOf.try_emplace(finding.rule, lines.size());
        if (added)
            lines.push_back({0, &finding});
        ++lines[entry->second].count;
    }
    for (const auto& [count, first] : lines) {
        out << "  " << terminalSafeText(first->rule->id) << "  " << toString(first->severity())
            << " " << first->status() << "  " << count << "  " << shownObject(*first, terminal);
        if (count > 1)
            out << " and " << count - 1 << " more";
        out << "\n";
    }
}

} // namespace

void printSummary(std::ostream& out, const AuditReport& report, const RunOutcome& outcome,
                  bool terminal) {
    out << "Verdict: "
        << (outcome.exitCode == 0 ? "PASS: nothing counts at or above "
                                  : "FAIL: findings count at or above ")
        << toString(outcome.threshold) << (outcome.failOnNew ? " (new findings only)" : "") << "\n";
    printCounts(out, report);
    printChanges(out, report);
    printWaivers(out, report);
    printRules(out, report, terminal);
    if (!outcome.written.empty()) {
        out << "Reports:";
        for (const auto& [what, path] : outcome.written)
            out << " " << what << " " << terminalSafeText(path) << ";";
        out << "\n";
    }
    printTally(out, report, outcome);
}

// One TSV line per finding, collected in a buffer that goes to the stream in large pieces: an
// ostream insertion per field (synchronised with stdio) was most of the cost at 10,000 findings.
void printFindingList(std::ostream& out, const AuditReport& report, const RunOutcome& outcome,
                      bool terminal) {
    constexpr std::size_t kChunk = 64 * 1024;
    std::string buffer;
    buffer.reserve(kChunk + 1024);
    auto line = [&](const Finding& finding, const char* status) {
        buffer += finding.rule->id;
        buffer += '\t';
        buffer += toString(finding.severity());
        buffer += '\t';
        buffer += status;
        buffer += '\t';
        buffer += terminal ? shownObject(finding, true) : terminalSafeText(finding.object);
        buffer += '\t';
        buffer += terminalSafeText(finding.message);
        buffer += '\n';
        if (buffer.size() >= kChunk) {
            out.write(buffer.data(), std::streamsize(buffer.size()));
            buffer.clear();
        }
    };
    for (const auto& finding : report.findings)
        line(finding, finding.status());
    for (const auto& waiver : report.waivers)
        for (const auto& finding : waiver.accepted)
            line(finding, "accepted");
    out.write(buffer.data(), std::streamsize(buffer.size()));
    printTally(out, report, outcome);
}

} // namespace relayaudit
