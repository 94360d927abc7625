#pragma once
// Probes a list of endpoints: one dialogue per distinct endpoint, at most `parallel` at a time,
// each bounded by its own deadline.
#include "probe_result.h"
#include "smtp_dialogue.h"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace relayaudit::probe {

struct ProbeSettings {
    DialogueSettings dialogue;
    std::chrono::milliseconds timeout{10000}; // per endpoint, connect to QUIT
    unsigned parallel = 4;
    std::string caFile; // trust anchors for STARTTLS (empty: the system's)
    // --probe-map NAME=ADDRESS: NAME (case-insensitive) is connected to as ADDRESS.
    std::map<std::string, std::string> addressMap;
};

// "host", "host:25", "192.0.2.1:2525", "[2001:db8::1]:25". nullopt when malformed.
std::optional<ProbeEndpoint> parseEndpoint(std::string_view text, std::uint16_t defaultPort = 25);

// "NAME=ADDRESS" into settings.addressMap; false when malformed.
bool addAddressMapping(std::string_view text, ProbeSettings& settings);

// One dialogue against one endpoint (connect included).
ProbeResult probeEndpoint(const ProbeEndpoint& endpoint, const ProbeSettings& settings);

// Results in the order of the endpoints, duplicates (same key()) probed once.
std::vector<ProbeResult> probeEndpoints(const std::vector<ProbeEndpoint>& endpoints,
                                        const ProbeSettings& settings);

} // namespace relayaudit::probe
