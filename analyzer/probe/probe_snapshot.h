#pragma once
// The probe and the snapshot document: which SMTP endpoints the configuration describes (Exchange
// 2000/2003 virtual servers: msExchServerBindings on the server's host name; 2007+ receive
// connectors: msExchSmtpReceiveBindings), and the results written back as /snapshot/probes so
// the rules (rules/probe.xml) and the reports read them like any other fact.
#include "probe_result.h"
#include "probe_runner.h"

#include <map>
#include <pugixml.hpp>
#include <string>
#include <vector>

namespace relayaudit::probe {

// A configuration object that listens on an endpoint.
struct ListeningObject {
    std::string kind; // "virtualServer" or "receiveConnector"
    std::string dn;
    std::string name;
    std::string server;
};

struct SnapshotEndpoint {
    ProbeEndpoint endpoint;
    ListeningObject object;
};

std::vector<SnapshotEndpoint> endpointsOfSnapshot(const pugi::xml_document& snapshot);

// Replaces /snapshot/probes with the results, each endpoint listing the objects that listen on
// it. Text from the wire is stored XML-safe (escaped bytes), as all directory data is.
void writeProbeResults(pugi::xml_document& snapshot, const std::vector<SnapshotEndpoint>& listening,
                       const std::vector<ProbeResult>& results, const ProbeSettings& settings);

// Records, per listening object, what the configuration findings say of its relay: dn -> the IDs
// of the open-relay findings on it (empty: the configuration says closed). The probe pack's
// PRB-CONTRADICTS-CONFIG compares this with the wire.
void recordConfigurationVerdicts(
    pugi::xml_document& snapshot,
    const std::map<std::string, std::vector<std::string>>& openFindings);

} // namespace relayaudit::probe
