#include "log_lines.h"

#include "text_encoding.h"

#include <cstdlib>
#include <ostream>
#include <unistd.h>

namespace relayaudit {

namespace {

const char* levelWord(LogLevel level) {
    switch (level) {
    case LogLevel::Error:
        return "error";
    case LogLevel::Warning:
        return "warning";
    case LogLevel::Info:
        break;
    }
    return "info";
}

} // namespace

std::string formatLogLine(LogLevel level, std::string_view text, bool terminal, bool journal) {
    std::string line;
    if (journal && !terminal)
        // Appended, not "<" + ...: GCC 12 at -O3 warns (-Wrestrict, a false positive) on that.
        line.append("<").append(std::to_string(static_cast<int>(level))).append(">");
    line += "relayaudit: ";
    // A person at a terminal reads errors and progress without a label, as before; a warning is
    // labelled everywhere.
    if (!terminal || level == LogLevel::Warning)
        line += std::string(levelWord(level)) + ": ";
    line += terminalSafeText(text);
    line += '\n';
    return line;
}

StderrLog::StderrLog(std::ostream& err, bool quiet)
    : err_(err), terminal_(::isatty(STDERR_FILENO) == 1),
      journal_(std::getenv("JOURNAL_STREAM") != nullptr), quiet_(quiet) {}

void StderrLog::write(LogLevel level, std::string_view text) const {
    if (quiet_ && level == LogLevel::Info)
        return;
    err_ << formatLogLine(level, text, terminal_, journal_) << std::flush;
}

} // namespace relayaudit
