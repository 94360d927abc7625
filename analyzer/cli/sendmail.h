#pragma once
// Hands a message to the system's sendmail (-t -oi: recipients from the headers, a lone "." is
// not the end), the interface every Debian MTA provides.
#include <optional>
#include <string>

namespace relayaudit {

// The program to run: --sendmail, else $RELAYAUDIT_SENDMAIL, else /usr/sbin/sendmail.
std::string sendmailProgram(const std::string& fromOption);

// Runs program -t -oi [-f envelopeFrom] with message on its standard input and waits for it
// (no shell: envelopeFrom is one argument). Returns what went wrong (cannot start, killed, exit
// status), or nothing when it exited 0.
std::optional<std::string> runSendmail(const std::string& program, const std::string& message,
                                       const std::string& envelopeFrom = {});

} // namespace relayaudit
