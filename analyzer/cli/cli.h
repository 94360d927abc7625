#pragma once
// The command line: parses argv into plain option structs, runs the pipeline, returns the exit
// code. main() only calls run().
#include <iosfwd>
#include <string>
#include <vector>

namespace relayaudit {

// Exit codes relied on by schedulers (documented in --help and the man page).
inline constexpr int kExitClean = 0;   // nothing at or above the --fail-on threshold
inline constexpr int kExitFailure = 1; // the run itself failed: arguments, input, rule pack, server
inline constexpr int kExitFindings = 2; // at least one finding or could-not-judge at the threshold

int run(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

} // namespace relayaudit
