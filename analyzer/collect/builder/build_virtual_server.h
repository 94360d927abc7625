#pragma once
// <virtualServer>: an Exchange 2000/2003 SMTP virtual server (protocolCfgSMTPServer) with its
// authentication and TLS flags split into booleans and its IPSecurity relay list decoded.
#include "directory.h"

#include <pugixml.hpp>

namespace relayaudit::build {

void appendVirtualServer(pugi::xml_node exchange, const DirectoryEntry& entry);

} // namespace relayaudit::build
