#pragma once
// The words the HTML report shows for a severity and a rule kind (the XML uses toString's
// identifiers instead).
#include "findings.h"

namespace relayaudit {

const char* severityLabel(Severity severity); // "Critical", ..., "Non-default", "Info"
const char* kindLabel(RuleKind kind);         // "unsafe", ..., "could not judge", "information"

} // namespace relayaudit
