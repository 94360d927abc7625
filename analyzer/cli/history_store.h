#pragma once
// The --history DIR of a nightly job: every run's XML report under a date-stamped name
// (report-YYYYMMDDTHHMMSSZ.xml, ".2", ".3" before ".xml" when several runs share a second), plus
// latest.xml and latest.html; latest.xml is what the next run compares with. Pruned to the
// newest --keep reports after each run.
#include "atomic_file.h"

#include <optional>
#include <string>

namespace relayaudit {

// DIR/latest.xml when it exists: the previous run's report. Creates DIR when it is missing, so
// the first run of a new job needs no preparation; throws RunFailure when it cannot.
std::optional<std::string> previousReportIn(const std::string& directory);

// Stages the dated report, latest.xml and latest.html with the run's other outputs, so all of
// them are replaced together or not at all. generatedAt is the run's ISO 8601 UTC time. Returns
// the dated report's path. The reports are written by xml and html (each called once per file).
std::string stageHistory(AtomicFileSet& outputs, const std::string& directory,
                         const std::string& generatedAt, const AtomicFileSet::ContentWriter& xml,
                         const AtomicFileSet::ContentWriter& html);

// Removes the oldest dated reports beyond `keep`. Returns an error message for a report it could
// not remove (the run's own outputs are already in place by then).
std::optional<std::string> pruneHistory(const std::string& directory, unsigned keep);

} // namespace relayaudit
