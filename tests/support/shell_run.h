#pragma once
// The relayaudit binary at the end of a shell pipeline (bash -c), for inputs a test cannot hand
// over as bytes: /dev/zero, `yes`, a process under `prlimit`. "$RELAYAUDIT" in the script is
// the binary; the script runs in `directory`.
#include "relayaudit_process.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>

namespace testsupport {

inline Run runShell(const QString& script, const QString& directory) {
    QProcess process;
    auto environment = QProcessEnvironment::systemEnvironment();
    environment.insert("SOURCE_DATE_EPOCH", kReproducibleEpoch);
    environment.insert("RELAYAUDIT", RELAYAUDIT_BINARY);
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(directory);
    process.start("bash", {"-c", script});
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return {-1, {}, "the pipeline did not finish within 60 s: " + script};
    }
    if (process.exitStatus() != QProcess::NormalExit)
        return {-2, {}, "bash crashed running: " + script};
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace testsupport
