#pragma once
// Turns a snapshot into the reporters' inventory (what was examined) and manual checks (what the
// tool cannot read and a person must look at), so reporters never read the snapshot themselves.
#include "audit_model.h"

#include <pugixml.hpp>

namespace relayaudit {

std::vector<InventoryItem> inventoryOf(const pugi::xml_document& snapshot);
std::vector<std::string> manualChecksFor(const pugi::xml_document& snapshot);

} // namespace relayaudit
