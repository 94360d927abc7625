#pragma once
// A failure of the run itself (arguments, input, rule pack, server): run() prints the message as
// one line on stderr and exits with kExitFailure. Thrown by the options parser and the pipeline.
#include <string>

namespace relayaudit {

struct RunFailure {
    std::string message;
};

} // namespace relayaudit
