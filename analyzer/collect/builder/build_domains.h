#pragma once
// <domains>: every domain the input names (CN=Partitions crossRefs, domain heads, the Guest's DC=
// suffix, domains the collector could not read), each with its Guest account found by SID.
#include "directory.h"
#include "snapshot.h"

#include <pugixml.hpp>
#include <vector>

namespace relayaudit::build {

void appendDomains(pugi::xml_node root, const std::vector<const DirectoryEntry*>& entries,
                   const CollectionContext& context);

} // namespace relayaudit::build
