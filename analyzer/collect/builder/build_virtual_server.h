#pragma once
// <virtualServer>: an Exchange 2000/2003 SMTP virtual server (protocolCfgSMTPServer) with its
// authentication and TLS flags split into booleans and its IPSecurity relay list decoded.
#include "build_common.h"
#include "directory.h"
#include "dn.h"

#include <pugixml.hpp>

namespace relayaudit::build {

// parsedDn: the entry's DN as the snapshot builder parsed it once for every use.
void appendVirtualServer(pugi::xml_node exchange, const DirectoryEntry& entry,
                         const ParsedDn& parsedDn, bool rawValues);

} // namespace relayaudit::build
