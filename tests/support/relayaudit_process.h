#pragma once
// The real relayaudit binary run as a child process: the one way every end-to-end unit test
// starts it, so timeouts, crashes and the environment are handled alike everywhere.
#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace testsupport {

// 2026-01-01: a fixed SOURCE_DATE_EPOCH makes reports and history reproducible.
inline constexpr const char* kReproducibleEpoch = "1767225600";

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

struct RunOptions {
    // Written to standard input, which is then closed (so nothing ever waits for input).
    QByteArray input;
    // SOURCE_DATE_EPOCH for the run; null leaves the inherited environment as it is.
    const char* sourceDateEpoch = kReproducibleEpoch;
    // Set after SOURCE_DATE_EPOCH, so they win.
    std::vector<std::pair<QString, QString>> environment;
    // Removed from the inherited environment before anything is set.
    QStringList unsetEnvironment;
};

// exitCode -1: no exit within 60 s; -2: the process crashed. Both explain themselves in err.
inline Run runRelayaudit(const QStringList& arguments, const RunOptions& options = {}) {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const auto& name : options.unsetEnvironment)
        environment.remove(name);
    if (options.sourceDateEpoch)
        environment.insert("SOURCE_DATE_EPOCH", options.sourceDateEpoch);
    for (const auto& [name, value] : options.environment)
        environment.insert(name, value);
    process.setProcessEnvironment(environment);
    process.start(RELAYAUDIT_BINARY, arguments);
    process.write(options.input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000))
        return {-1, {}, "relayaudit did not finish within 60 s"};
    if (process.exitStatus() != QProcess::NormalExit)
        return {-2, {}, "relayaudit crashed"};
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

// The common case: the reproducible epoch, and these bytes on standard input.
inline Run runRelayaudit(const QStringList& arguments, const QByteArray& input) {
    return runRelayaudit(arguments, RunOptions{.input = input});
}

} // namespace testsupport
