#pragma once
// Turns directory entries, whatever collected them, into the snapshot document.
#include "directory.h"
#include "snapshot.h"

#include <pugixml.hpp>
#include <vector>

namespace relayaudit {

// Never fails: undecodable values become status="invalid" with the reason, for the rules to judge.
void buildSnapshot(const std::vector<DirectoryEntry>& entries, const CollectionContext& context,
                   pugi::xml_document& snapshot);

} // namespace relayaudit
