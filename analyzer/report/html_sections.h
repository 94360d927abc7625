#pragma once
// The parts of the HTML report's page, in page order; each appends its escaped HTML to `out`.
// report_html.cpp assembles them (with the verdict and the CSP) into the page.
#include "audit_model.h"
#include "severity_counts.h"

#include <string>
#include <vector>

namespace relayaudit {

// Title, target, time, tool, rule packs, inputs and run notes.
void renderRunHeader(std::string& out, const RunInfo& run);

// Problems and could-not-judge items per severity.
void renderSeverityCounts(std::string& out, const SeverityCounts& counts);

// An index (when there is more than one finding), then one article per finding in the given
// order (the engine's: most severe first).
void renderFindings(std::string& out, const std::vector<Finding>& findings);

// Probed SMTP endpoints (html_wire_evidence.cpp); nothing when the run did not probe.
void renderWireEvidence(std::string& out, const AuditReport& report);

// Every object examined, with a one-line tally by kind.
void renderInventory(std::string& out, const std::vector<InventoryItem>& inventory);

// What the tool could not read and a person must check.
void renderManualChecks(std::string& out, const std::vector<std::string>& checks);

} // namespace relayaudit
