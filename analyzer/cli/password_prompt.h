#pragma once
// Asking the operator for the bind password on the terminal, without echoing it.
#include <optional>
#include <string>

namespace relayaudit {

// Writes "Password for IDENTITY: " to stderr and reads one line from standard input with echo
// off, restoring the terminal afterwards. nullopt when standard input is not a terminal (a cron
// job must fail with a hint rather than block on a read).
std::optional<std::string> promptForPassword(const std::string& identity);

} // namespace relayaudit
