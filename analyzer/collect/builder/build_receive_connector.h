#pragma once
// <receiveConnector>: an Exchange 2007+ receive connector (msExchSmtpReceiveConnector) with its
// remote IP ranges parsed and its DACL decoded into <permissions>.
#include "directory.h"

#include <pugixml.hpp>

namespace relayaudit::build {

void appendReceiveConnector(pugi::xml_node exchange, const DirectoryEntry& entry);

} // namespace relayaudit::build
