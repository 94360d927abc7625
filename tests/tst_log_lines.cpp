// Lines on stderr (analyzer/cli/log_lines.h): a level for logs, systemd's <N> priority under
// journald, the old plain form on a terminal, and nothing but failures with --quiet.
#include "log_lines.h"
#include "relayaudit_process.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using relayaudit::formatLogLine;
using relayaudit::LogLevel;

namespace {

QString runAndReadStderr(const QStringList& arguments, bool journal) {
    testsupport::RunOptions options{.sourceDateEpoch = nullptr,
                                    .unsetEnvironment = {"JOURNAL_STREAM"}};
    if (journal)
        options.environment = {{"JOURNAL_STREAM", "8:12345"}};
    return testsupport::runRelayaudit(arguments, options).err;
}

} // namespace

class TestLogLines : public QObject {
    Q_OBJECT

private slots:
    void logLinesCarryALevel() {
        QCOMPARE(formatLogLine(LogLevel::Info, "connected to dc1", false, false),
                 std::string("relayaudit: info: connected to dc1\n"));
        QCOMPARE(formatLogLine(LogLevel::Error, "bad", false, false),
                 std::string("relayaudit: error: bad\n"));
    }
    void journalLinesStartWithTheSyslogPriority() {
        QCOMPARE(formatLogLine(LogLevel::Warning, "w", false, true),
                 std::string("<4>relayaudit: warning: w\n"));
        QCOMPARE(formatLogLine(LogLevel::Error, "e", false, true),
                 std::string("<3>relayaudit: error: e\n"));
    }
    void terminalLinesStayPlain() {
        QCOMPARE(formatLogLine(LogLevel::Info, "page 3", true, true),
                 std::string("relayaudit: page 3\n"));
        QCOMPARE(formatLogLine(LogLevel::Error, "bad", true, false),
                 std::string("relayaudit: bad\n"));
    }
    void directoryTextCannotForgeALogLine() {
        QCOMPARE(formatLogLine(LogLevel::Info, "x\n<3>relayaudit: error: y", false, true),
                 std::string("<6>relayaudit: info: x\\0A<3>relayaudit: error: y\n"));
    }
    void binaryLogsWhereTheReportsWentAndFailuresWithPriorities() {
        QTemporaryDir directory;
        auto xml = directory.filePath("r.xml");
        auto err = runAndReadStderr(
            {"analyze", "--ldif", RELAYAUDIT_SOURCE_DIR "/samples/corp-config.ldif", "--xml", xml},
            true);
        QVERIFY2(err.contains("<6>relayaudit: info: XML report written to " + xml),
                 qPrintable(err));
        QVERIFY2(err.contains("<6>relayaudit: info: read "), qPrintable(err));
        auto failed = runAndReadStderr({"analyze", "--ldif", directory.filePath("missing")}, true);
        QVERIFY2(failed.startsWith("<3>relayaudit: error: "), qPrintable(failed));
        auto quiet =
            runAndReadStderr({"analyze", "--quiet", "--ldif",
                              RELAYAUDIT_SOURCE_DIR "/samples/corp-config.ldif", "--xml", xml},
                             false);
        QCOMPARE(quiet, QString());
    }
};

QTEST_GUILESS_MAIN(TestLogLines)
#include "tst_log_lines.moc"
