#pragma once
// `relayaudit rules --explain ID`: one rule whole, as plain text for a terminal.
#include "findings.h"

#include <string>

namespace relayaudit {

// Title, severity, kind, pack, why, numbered remediation and references. The text comes from
// packs, which may be custom: the caller escapes it for the terminal.
std::string explainRule(const Rule& rule);

} // namespace relayaudit
