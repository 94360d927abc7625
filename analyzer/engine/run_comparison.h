#pragma once
// What changed since the last run: the findings of a previous XML report (--history keeps them,
// --baseline names one) are matched to this run's by rule ID and object DN, both compared ASCII
// case-insensitively, so a re-ordered or re-cased directory changes nothing. A match is "open"
// and keeps the date it was first seen; the rest are "new"; previous findings with no match are
// "resolved". Accepted findings take part like any other: accepting a risk does not resolve it.
#include "audit_model.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

struct PreviousReport {
    std::string source;
    std::string generatedAt;
    std::vector<ResolvedFinding> findings; // every finding of that run, accepted ones included
};

// Reads a report written by renderXmlReport, in format 2 (rule prose in <rules>) or format 1
// (each finding with its own <title>). Returns "source: what is wrong" when it is not one.
std::optional<std::string> parsePreviousReport(std::string_view text, const std::string& source,
                                               PreviousReport& previous);

// previous may be null (a first run with --history): then every finding is new. today is
// YYYY-MM-DD. Call after applyWaivers, so accepted findings are marked too.
void compareWithPrevious(AuditReport& report, const PreviousReport* previous,
                         std::string_view today);

} // namespace relayaudit
