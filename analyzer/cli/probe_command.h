#pragma once
// "relayaudit probe": probe the endpoints given with --target and print each result with its
// transcript. Also turns ProbeOptions into the probe layer's settings for analyze/audit --probe.
#include "audit_model.h"
#include "options.h"
#include "probe_runner.h"

#include <iosfwd>
#include <pugixml.hpp>
#include <vector>

namespace relayaudit {

// Throws RunFailure on a malformed --probe-map, --probe-from/--probe-to that could inject a
// command, or a timeout/parallelism out of range.
probe::ProbeSettings probeSettingsFrom(const ProbeOptions& options);

// One block per endpoint: class, reason, what EHLO offered, the transcript (terminal-safe).
void printProbeResults(const std::vector<probe::ProbeResult>& results, std::ostream& out);

class RuleCatalogue;

// analyze/audit --probe: probes every endpoint the snapshot describes, writes the results into it
// (/snapshot/probes) and records which listening objects the configuration findings call open,
// so the probe pack can confirm or contradict them. Progress and the endpoint count go to err.
void probeSnapshotEndpoints(pugi::xml_document& snapshot, const RuleCatalogue& catalogue,
                            const ProbeOptions& options, std::ostream& err);

// The probe results a snapshot holds (/snapshot/probes), for the reports: each endpoint with its
// listening objects and whether the wire confirms or contradicts their configuration findings.
void addWireEvidence(const pugi::xml_document& snapshot, AuditReport& report);

int runProbe(const ProbeCommandOptions& options, std::ostream& out);

} // namespace relayaudit
