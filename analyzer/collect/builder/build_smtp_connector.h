#pragma once
// <smtpConnector>: an Exchange 2000/2003 SMTP connector (msExchRoutingSMTPConnector) with its
// address spaces (routingList) and smart hosts (msExchSmtpSmartHost).
#include "build_common.h"
#include "directory.h"
#include "dn.h"

#include <pugixml.hpp>

namespace relayaudit::build {

// parsedDn: the entry's DN as the snapshot builder parsed it once for every use.
void appendSmtpConnector(pugi::xml_node exchange, const DirectoryEntry& entry,
                         const ParsedDn& parsedDn, bool rawValues);

} // namespace relayaudit::build
