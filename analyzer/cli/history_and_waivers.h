#pragma once
// The inputs of history and waivers, read before any collection so that a malformed waiver file
// or baseline fails the run before a long LDAP read, then applied to the audit model.
#include "audit_model.h"
#include "options.h"
#include "run_comparison.h"

#include <optional>
#include <vector>

namespace relayaudit {

struct HistoryAndWaivers {
    bool compare = false;
    std::optional<PreviousReport> previous; // none on a first --history run
    bool waiversGiven = false;
    std::vector<Waiver> waivers;
};

// Throws RunFailure on an option combination that makes no sense, an unreadable or malformed
// waiver file (file:line), or a baseline that is not a relayaudit XML report.
HistoryAndWaivers readHistoryAndWaivers(const AnalyzeOptions& options);

// Waivers first, then the comparison, so accepted findings are marked new or open too.
void applyHistoryAndWaivers(AuditReport& report, const HistoryAndWaivers& inputs);

} // namespace relayaudit
