#pragma once
// The audit model, what the reporters read: the findings plus run metadata and an inventory of what
// was examined.
#include "findings.h"

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
    std::vector<std::string> manualChecks;  // what the tool could not read and a person must check
    std::vector<WireEvidence> wireEvidence; // empty unless the snapshot holds probe results
    std::string probeStatement;             // what the probe sent, for the reader
};

} // namespace relayaudit
