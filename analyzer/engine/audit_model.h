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

struct AuditReport {
    RunInfo run;
    std::vector<Finding> findings; // most severe first
    std::vector<InventoryItem> inventory;
    std::vector<std::string> manualChecks; // what the tool could not read and a person must check
    std::vector<const Rule*> rules; // every rule evaluated, in catalogue order (for "passed")
};

} // namespace relayaudit
