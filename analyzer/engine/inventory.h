#pragma once
// Turns a snapshot into the reporters' inventory (what was examined), so reporters never read the
// snapshot themselves. The manual checks come from rules of kind manual (manual_checks.h).
#include "audit_model.h"

#include <pugixml.hpp>

namespace relayaudit {

std::vector<InventoryItem> inventoryOf(const pugi::xml_document& snapshot);

} // namespace relayaudit
