#pragma once
// The HTML sections of history and waivers: what changed since the last run, and the accepted
// risks. Each appends escaped HTML to `out` and writes nothing when its feature was not used.
#include "audit_model.h"

#include <string>

namespace relayaudit {

// New findings, how many are still open, and the findings of the previous run that are gone.
void renderChanges(std::string& out, const AuditReport& report);

// Every waiver: who accepted what, why, until when, and the findings it covers; expired and
// stale waivers say so.
void renderAcceptedRisks(std::string& out, const AuditReport& report);

} // namespace relayaudit
