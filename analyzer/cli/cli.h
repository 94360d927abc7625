#pragma once
// The command line: parses argv into plain option structs, runs the pipeline, returns the exit
// code. main() only calls run().
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace relayaudit {

// Exit codes relied on by schedulers (documented in --help and the man page).
inline constexpr int kExitClean = 0;   // nothing at or above the --fail-on threshold
inline constexpr int kExitFailure = 1; // the run itself failed: arguments, input, rule pack, server
inline constexpr int kExitFindings = 2; // at least one finding or could-not-judge at the threshold

// What a run built and no longer needs once its outputs are written, handed over instead of
// freed: main() ends the process without freeing it, and the system takes the pages back at once.
// Freeing 14,000 findings and 10,000 inventory items one allocation at a time was about a twentieth
// of an audit at 10,000 virtual servers (issue 10). Any other caller frees it when it goes out of
// scope, as usual.
class RunLeftovers {
public:
    template <class T> void keep(T&& value) {
        held_.push_back(std::make_shared<std::decay_t<T>>(std::forward<T>(value)));
    }

private:
    std::vector<std::shared_ptr<void>> held_;
};

// leftovers: where the run puts what it would free last (see RunLeftovers); null frees it.
int run(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err,
        RunLeftovers* leftovers = nullptr);

} // namespace relayaudit
