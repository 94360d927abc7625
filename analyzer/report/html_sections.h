#pragma once
// The parts of the HTML report's page, in page order; each appends its escaped HTML to `out`.
// report_html.cpp assembles them (with the verdict and the CSP) into the page.
#include "audit_model.h"
#include "severity_counts.h"

#include <map>
#include <string>
#include <vector>

namespace relayaudit {

// Title, target, every domain audited (the inventory's domains), time, tool, rule packs, inputs
// and run notes.
void renderRunHeader(std::string& out, const RunInfo& run,
                     const std::vector<InventoryItem>& inventory);

// Problems and could-not-judge items per severity.
void renderSeverityCounts(std::string& out, const SeverityCounts& counts);

// One line per generation (2003, 2007+, 5.5, directory): objects examined, unsafe, unknown.
void renderScores(std::string& out, const AuditReport& report);

// Probed SMTP endpoints (html_wire_evidence.cpp); nothing when the run did not probe.
void renderWireEvidence(std::string& out, const AuditReport& report);

// An index (when more than one rule fired), then one card per rule, in the order of the rules'
// first findings (the engine's: most severe first). causeAnchors: see html_causes.h.
void renderFindings(std::string& out, const std::vector<Finding>& findings,
                    const std::map<std::string, std::string>& causeAnchors);

// The rules of kind unsafe or non-default that gave no finding.
void renderPassedRules(std::string& out, const AuditReport& report);

// Every object examined (capped per kind), with a one-line tally by kind.
void renderInventory(std::string& out, const std::vector<InventoryItem>& inventory);

// What the tool could not read and a person must check.
void renderManualChecks(std::string& out, const std::vector<std::string>& checks);

} // namespace relayaudit
