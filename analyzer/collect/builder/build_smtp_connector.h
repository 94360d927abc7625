#pragma once
// <smtpConnector>: an Exchange 2000/2003 SMTP connector (msExchRoutingSMTPConnector) with its
// address spaces (routingList) and smart hosts (msExchSmtpSmartHost).
#include "directory.h"

#include <pugixml.hpp>

namespace relayaudit::build {

void appendSmtpConnector(pugi::xml_node exchange, const DirectoryEntry& entry);

} // namespace relayaudit::build
