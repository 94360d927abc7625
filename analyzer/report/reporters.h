#pragma once
// The reporters: each renders the whole audit model as one document. They read only the model,
// never the snapshot or the directory.
#include "audit_model.h"

#include <string>

namespace relayaudit {

// Both return the complete document text; the caller writes it (atomically).
std::string renderXmlReport(const AuditReport& report);
std::string renderHtmlReport(const AuditReport& report);
// The same content as the XML report, as JSON (schemas/report.schema.json).
std::string renderJsonReport(const AuditReport& report);

} // namespace relayaudit
