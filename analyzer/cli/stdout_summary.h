#pragma once
// What a run prints on standard output: by default a short summary a person or a monitor reads
// at a glance; --list the one-line-per-finding TSV for scripts. Both end with the line
// "N finding(s), M at or above SEVERITY". Directory text is made terminal-safe; on a terminal a
// long DN is replaced by its object's friendly name (the reports keep the DN).
#include "audit_model.h"

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace relayaudit {

struct RunOutcome {
    Severity threshold = Severity::Warning;
    bool failOnNew = false;
    std::size_t atThreshold = 0;       // findings that count for the exit code
    std::size_t manualAtThreshold = 0; // manual checks that count for it
    int exitCode = 0;
    std::vector<std::pair<std::string, std::string>> written; // ("XML report", path), ...
};

void printSummary(std::ostream& out, const AuditReport& report, const RunOutcome& outcome,
                  bool terminal);
void printFindingList(std::ostream& out, const AuditReport& report, const RunOutcome& outcome,
                      bool terminal);

} // namespace relayaudit
