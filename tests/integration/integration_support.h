#pragma once
// Shared helpers of the integration tests: the server directories' env files, running the
// relayaudit binary and the server scripts, and the "previous report" files that a failed run
// must leave alone.
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <csignal>
#include <sys/types.h>

namespace integration {

using Env = QMap<QString, QString>;

// DIR/env of slapd.sh / samba.sh: KEY=VALUE lines, the value bare or single-quoted with '\''
// for a quote inside.
inline Env readEnv(const QString& path, QString* problem) {
    Env env;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = "cannot read " + path + ": " + file.errorString();
        return env;
    }
    for (const QString& rawLine : QString::fromUtf8(file.readAll()).split('\n')) {
        QString line = rawLine.trimmed();
        int equals = line.indexOf('=');
        if (line.isEmpty() || line.startsWith('#') || equals <= 0)
            continue;
        QString value = line.mid(equals + 1);
        if (value.size() >= 2 && value.startsWith('\'') && value.endsWith('\''))
            value = value.mid(1, value.size() - 2).replace("'\\''", "'");
        env.insert(line.left(equals), value);
    }
    return env;
}

inline bool processAlive(const QString& pid) {
    bool ok = false;
    auto number = pid.toLongLong(&ok);
    return ok && number > 0 && ::kill(pid_t(number), 0) == 0;
}

inline QString readText(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

inline bool writeText(const QString& path, const QString& text) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(text.toUtf8()) >= 0;
}

// The last lines of a log, for failure messages that say why a server is not there.
inline QString tailOf(const QString& path, int lines = 15) {
    QStringList all = readText(path).split('\n');
    return all.mid(std::max<qsizetype>(0, all.size() - lines)).join('\n');
}

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
    qint64 elapsedMs = 0;

    QString describe() const {
        return QString("exit %1 after %2 ms; stderr: %3; stdout: %4")
            .arg(exitCode)
            .arg(elapsedMs)
            .arg(err.trimmed(), out.left(2000).trimmed());
    }
};

// Runs a program while the event loop keeps turning, so objects living in this thread (the
// proxies of the fault tests) go on forwarding data while it runs.
inline Run runProgram(const QString& program, const QStringList& arguments,
                      const QProcessEnvironment& environment, int limitMs) {
    QProcess process;
    process.setProcessEnvironment(environment);
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    QTimer limit;
    limit.setSingleShot(true);
    QObject::connect(&limit, &QTimer::timeout, &loop, &QEventLoop::quit);
    QElapsedTimer clock;
    clock.start();
    process.start(program, arguments);
    limit.start(limitMs);
    if (process.state() != QProcess::NotRunning)
        loop.exec();
    Run run;
    run.elapsedMs = clock.elapsed();
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished(5000);
        run.err = QString("%1 did not finish within %2 ms").arg(program).arg(limitMs);
        return run;
    }
    if (process.error() == QProcess::FailedToStart) {
        run.err = program + " could not be started: " + process.errorString();
        return run;
    }
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    if (run.exitCode == -2)
        run.err += " (crashed)";
    return run;
}

inline QProcessEnvironment reproducibleEnvironment() {
    auto environment = QProcessEnvironment::systemEnvironment();
    environment.insert("SOURCE_DATE_EPOCH", "1767225600"); // identical timestamps in reports
    return environment;
}

inline Run runRelayaudit(const QStringList& arguments,
                         const QProcessEnvironment& environment = reproducibleEnvironment(),
                         int limitMs = 120000) {
    return runProgram(RELAYAUDIT_BINARY, arguments, environment, limitMs);
}

inline Run runScript(const QString& relativePath, const QStringList& arguments,
                     int limitMs = 120000) {
    return runProgram("/bin/bash",
                      QStringList{QString(RELAYAUDIT_SOURCE_DIR) + "/" + relativePath} + arguments,
                      QProcessEnvironment::systemEnvironment(), limitMs);
}

// "RULE\tseverity\tstatus\tobject\tmessage" lines of relayaudit's summary, sorted, without the
// closing count line: what two runs over the same directory must agree on.
inline QStringList findingLines(const QString& summary) {
    QStringList lines;
    for (const QString& line : summary.split('\n', Qt::SkipEmptyParts))
        if (line.count('\t') >= 4)
            lines << line;
    lines.sort();
    return lines;
}

inline QStringList ruleIds(const QString& summary) {
    QStringList ids;
    for (const QString& line : findingLines(summary))
        ids << line.section('\t', 0, 0);
    ids.removeDuplicates();
    return ids;
}

// A report from an earlier run that a failed run must not touch (content and mtime).
struct PreviousReport {
    QString path;
    QString content;
    QDateTime modified;

    PreviousReport(const QString& reportPath, const QString& text)
        : path(reportPath), content(text) {
        writeText(path, content);
        // Back-date it, so a rewrite with the same content would still show in the mtime.
        QFile file(path);
        if (file.open(QIODevice::ReadWrite))
            file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-3600),
                             QFileDevice::FileModificationTime);
        modified = QFileInfo(path).lastModified();
    }
    bool untouched() const {
        return readText(path) == content && QFileInfo(path).lastModified() == modified;
    }
};

// What every failed live run must show: exit 1, the expected words in its one-line message, no
// password in it, and the reports of an earlier run left as they were. Returns the first problem.
inline QString problemWithFailedRun(const Run& run, const QStringList& mustContain,
                                    const PreviousReport& xml, const PreviousReport& html,
                                    const QString& passwordFile) {
    if (run.exitCode != 1)
        return "expected exit 1: " + run.describe();
    for (const auto& text : mustContain)
        if (!run.err.contains(text))
            return "missing '" + text + "' in: " + run.err;
    if (run.err.contains(readText(passwordFile).trimmed()))
        return "the message contains the password";
    if (!xml.untouched())
        return "the previous XML report was modified by a failed run";
    if (!html.untouched())
        return "the previous HTML report was modified by a failed run";
    return {};
}

} // namespace integration
