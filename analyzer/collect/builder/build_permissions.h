#pragma once
// <permissions> of a receive connector: its DACL as <ace> rows, then summarised into
// <extendedRight> rows saying, per trustee and extended right, whether it is allowed, denied,
// and which wins (facts section 4.2).
#include "directory.h"

#include <pugixml.hpp>

namespace relayaudit::build {

void appendPermissions(pugi::xml_node connector, const DirectoryEntry& entry);

} // namespace relayaudit::build
