#pragma once
// The audit model, what the reporters read: the findings plus run metadata and an inventory of what
// was examined.
#include "findings.h"

#include <cstddef>
#include <string>
#include <vector>

namespace relayaudit {

struct PackInfo {
    std::string name;
    std::string version;
    std::string source;
};

struct InventoryItem {
    std::string kind; // "domain", "guest", "organization", "server", "virtual-server", ...
    std::string dn;
    std::string name;
    std::string detail; // one line, e.g. "relay: only the list below (2 entries); anonymous on"
};

struct RunInfo {
    std::string toolVersion;
    std::string generatedAt; // ISO 8601 UTC
    std::string target;      // forest root / URI / snapshot name
    std::vector<std::string> inputs;
    std::vector<PackInfo> packs;
    std::vector<std::string> notes; // e.g. "certificate checks were disabled (--tls-insecure)"
};

// A finding of the previous run that this run no longer reports (run_comparison.h).
struct ResolvedFinding {
    std::string rule;
    std::string severity;
    std::string status;
    std::string object;
    std::string objectName;
    std::string title;
    std::string firstSeen;
};

// What this run was compared with; enabled by --history or --baseline.
struct Comparison {
    bool enabled = false;
    std::string baseline;            // the previous report's file; empty on a first run
    std::string baselineGeneratedAt; // its run's time
    std::size_t newFindings = 0;     // findings and accepted findings with change "new"
    std::vector<ResolvedFinding> resolved;
};

// One accepted risk of the --waivers file (waivers.h).
struct Waiver {
    std::string rule;    // a rule ID, compared case-insensitively
    std::string object;  // a DN or a pattern where '*' matches any run of characters
    std::string owner;   // who accepted the risk
    std::string expires; // YYYY-MM-DD, the last day the waiver applies
    std::string reason;
    std::string source; // file:line, for the report
};

enum class WaiverState { Active, Expired, Stale };

// A waiver and what it did in this run. Accepted findings are kept here, out of
// AuditReport::findings, so they never count for the exit code or the verdict.
struct WaiverOutcome {
    Waiver waiver;
    WaiverState state = WaiverState::Active;
    std::vector<Finding> accepted;  // active: the findings it covers (status "accepted")
    std::size_t expiredMatches = 0; // expired: findings it would cover, which count again
};

// An object listening on a probed SMTP endpoint and what the wire says of its configuration.
struct WireObject {
    std::string dn;
    std::string name;
    std::string server;
    std::string configFindings; // IDs of the open-relay findings on it, space-separated
    std::string status; // "confirmed", "contradicted", "not reached", "consistent", "no verdict"
};

// One probed SMTP endpoint (analyze/audit --probe): the outcome and the whole dialogue.
struct WireEvidence {
    std::string endpoint; // host:port
    std::string probeClass;
    std::string phase;
    std::string reason;
    std::vector<WireObject> objects;
    std::vector<std::string> transcript; // "client: RCPT TO:<...>", "server: 250 ..."
};

struct AuditReport {
    RunInfo run;
    std::vector<Finding> findings; // most severe first
    std::vector<InventoryItem> inventory;
    std::vector<std::string> manualChecks; // what the tool could not read and a person must check
    std::vector<const Rule*> rules; // every rule evaluated, in catalogue order (for "passed")
    Comparison comparison;
    bool waiversGiven = false;              // --waivers: the report lists the outcomes below
    std::vector<WaiverOutcome> waivers;     // in file order
    std::vector<WireEvidence> wireEvidence; // empty unless the snapshot holds probe results
    std::string probeStatement;             // what the probe sent, for the reader
};

} // namespace relayaudit
