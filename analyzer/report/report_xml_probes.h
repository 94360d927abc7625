#pragma once
#include "audit_model.h"
#include "xml_writer.h"

namespace relayaudit {

// Writes <wireEvidence> when the report holds probe results (schemas/report.xsd).
void writeWireEvidence(XmlWriter& xml, const AuditReport& report);

} // namespace relayaudit
