#pragma once
// The reporters: each renders the whole audit model as one document. They read only the model,
// never the snapshot or the directory.
#include "audit_model.h"
#include "output_sink.h"

#include <string>

namespace relayaudit {

// Each writes the document to the sink piece by piece (the caller checks out.flush()), so a file
// output never holds the document in memory; the render* forms return it as text.
void writeXmlReport(const AuditReport& report, OutputSink& out);
void writeHtmlReport(const AuditReport& report, OutputSink& out);
// The same content as the XML report, as JSON (schemas/report.schema.json).
void writeJsonReport(const AuditReport& report, OutputSink& out);

std::string renderXmlReport(const AuditReport& report);
std::string renderHtmlReport(const AuditReport& report);
std::string renderJsonReport(const AuditReport& report);

} // namespace relayaudit
