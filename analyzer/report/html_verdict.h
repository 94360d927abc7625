#pragma once
// The report's headline: one sentence an administrator can act on without reading further.
#include "audit_model.h"
#include "severity_counts.h"

#include <string>

namespace relayaudit {

struct Verdict {
    std::string cssClass; // only colours the sentence: verdict-critical, -problem, -nondefault,
                          // -unknown or -ok
    std::string sentence; // already escaped HTML
};

Verdict verdictFor(const AuditReport& report, const SeverityCounts& counts);

} // namespace relayaudit
