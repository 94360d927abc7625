#pragma once
#include "audit_model.h"

#include <pugixml.hpp>

namespace relayaudit {

// Appends <wireEvidence> when the report holds probe results (schemas/report.xsd).
void appendWireEvidence(pugi::xml_node root, const AuditReport& report);

} // namespace relayaudit
