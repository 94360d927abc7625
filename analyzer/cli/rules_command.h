#pragma once
// Rule packs from the command line: loading the catalogue for a run, and the rules command
// (list, --explain ID, --check PACK...).
#include "options.h"
#include "rules.h"

#include <iosfwd>

namespace relayaudit {

// The built-in packs plus the given ones; throws RunFailure naming file:line of the first problem.
RuleCatalogue loadRules(const std::vector<std::string>& paths);

// Returns the exit code: 0, or 1 when --check finds a problem (the lines go to err).
int runRules(const RulesOptions& options, std::ostream& out, std::ostream& err);

} // namespace relayaudit
