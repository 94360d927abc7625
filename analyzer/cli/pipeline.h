#pragma once
// The run of each subcommand from its parsed options: collect (LDIF or LDAP) -> snapshot ->
// rule engine -> reports. Knows nothing of how the options were parsed. Each throws RunFailure
// on a failure of the run and returns the exit code otherwise.
#include "options.h"

#include <iosfwd>

namespace relayaudit {

class RunLeftovers; // cli.h

int runAnalyze(const AnalyzeOptions& options, std::ostream& out, std::ostream& err,
               RunLeftovers* leftovers = nullptr);
int runAudit(const AuditOptions& options, std::ostream& out, std::ostream& err,
             RunLeftovers* leftovers = nullptr);
int runCollect(const CollectOptions& options, std::ostream& err);

// "relayaudit --version" and the version recorded in snapshots and reports.
const char* toolVersion();

} // namespace relayaudit
