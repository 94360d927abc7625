#pragma once
// Lines on stderr: progress (which DC, which account, how many objects), where the reports went,
// warnings and the error that ends a run. On a terminal they read "relayaudit: text" as before;
// for a log (cron mail, a file, journald) each carries its level word ("relayaudit: info: ...")
// and, when JOURNAL_STREAM says stderr is connected to the journal, systemd's "<N>" syslog
// priority prefix first, so journalctl -p filters them. Text is made terminal-safe here.
#include <iosfwd>
#include <string>
#include <string_view>

namespace relayaudit {

enum class LogLevel { Error = 3, Warning = 4, Info = 6 }; // syslog priorities

std::string formatLogLine(LogLevel level, std::string_view text, bool terminal, bool journal);

class StderrLog {
public:
    // Looks at the real stderr (isatty) and the environment (JOURNAL_STREAM).
    // quiet (--quiet): only warnings and errors, so a nightly job that passes mails nothing.
    explicit StderrLog(std::ostream& err, bool quiet = false);
    void write(LogLevel level, std::string_view text) const;

private:
    std::ostream& err_;
    bool terminal_;
    bool journal_;
    bool quiet_;
};

} // namespace relayaudit
