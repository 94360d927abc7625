#pragma once
// <receiveConnector>: an Exchange 2007+ receive connector (msExchSmtpReceiveConnector) with its
// remote IP ranges parsed and its DACL decoded into <permissions>.
#include "build_common.h"
#include "directory.h"
#include "dn.h"

#include <pugixml.hpp>

namespace relayaudit::build {

// parsedDn: the entry's DN as the snapshot builder parsed it once for every use.
void appendReceiveConnector(pugi::xml_node exchange, const DirectoryEntry& entry,
                            const ParsedDn& parsedDn, bool rawValues);

} // namespace relayaudit::build
