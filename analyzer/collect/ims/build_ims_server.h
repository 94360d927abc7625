#pragma once
// Exchange 5.5 IMS servers in the snapshot: /snapshot/exchange/imsServer, one per registry export
// (schemas/snapshot.xsd). Flag words are split into named booleans for XPath (design.md).
#include "ims_parameters.h"

#include <pugixml.hpp>
#include <string>
#include <vector>

namespace relayaudit {

struct ImsServerExport {
    std::string name; // --ims-server, or the file name without its extension
    std::string file; // as given on the command line
    ImsParameters parameters;
};

// Appends one <imsServer> per export to <exchange> (created if missing), after what is there.
void appendImsServers(pugi::xml_document& snapshot, const std::vector<ImsServerExport>& servers);

// "RelayFlags 0x0000000A: allow list, authenticated clients" and the like, for messages and the
// inventory.
std::string describeRelayFlags(const ImsRelayFlags& flags);

} // namespace relayaudit
