// The command line as a newcomer meets it: placeholders instead of "arg", exit codes and an
// example in every command's help, "did you mean" for typos, and connection errors that give
// only advice that fits the failure.
#include "relayaudit_process.h"
#include "suggestions.h"

#include <QFile>
#include <QProcess>
#include <QtTest/QtTest>
using testsupport::Run;

namespace {

// These runs leave SOURCE_DATE_EPOCH as the test's own environment has it.
Run runRelayaudit(const QStringList& arguments) {
    return testsupport::runRelayaudit(arguments, {.sourceDateEpoch = nullptr});
}

const QStringList kCommands{"analyze", "audit", "collect", "rules"};

} // namespace

class TestCliHelp : public QObject {
    Q_OBJECT

private slots:
    void helpNamesPlaceholdersNotArg() {
        for (const auto& command : kCommands) {
            auto run = runRelayaudit({command, "--help"});
            QCOMPARE(run.exitCode, 0);
            QVERIFY2(!run.out.contains(" arg "), qPrintable(command + ": " + run.out));
            QVERIFY2(!run.out.contains(" arg\n"), qPrintable(command + ": " + run.out));
        }
        QVERIFY(runRelayaudit({"analyze", "--help"}).out.contains("--ldif FILE"));
        QVERIFY(runRelayaudit({"analyze", "--help"}).out.contains("--fail-on SEVERITY"));
        QVERIFY(runRelayaudit({"analyze", "--help"}).out.contains("--ims-server NAME"));
        QVERIFY(runRelayaudit({"audit", "--help"}).out.contains("--uri URI"));
        QVERIFY(runRelayaudit({"audit", "--help"}).out.contains("--password-file FILE"));
    }
    void everyCommandHelpHasExitCodesAndAnExample() {
        for (const auto& command : kCommands) {
            auto help = runRelayaudit({command, "--help"}).out;
            QVERIFY2(help.contains("Exit codes:"), qPrintable(command));
            QVERIFY2(help.contains("Example"), qPrintable(command));
            QVERIFY2(help.contains("  relayaudit " + command + " "), qPrintable(command));
        }
    }
    void mistypedCommandSuggestsTheClosestOne() {
        auto run = runRelayaudit({"analyse", "--ldif", "x.ldif"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("did you mean 'analyze'?"), qPrintable(run.err));
        QVERIFY(runRelayaudit({"colect"}).err.contains("did you mean 'collect'?"));
    }
    void unrelatedCommandGetsNoSuggestion() {
        auto run = runRelayaudit({"frobnicate"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(!run.err.contains("did you mean"), qPrintable(run.err));
    }
    void mistypedOptionSuggestsTheClosestOne() {
        auto run = runRelayaudit({"analyze", "--htlm", "report.html"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("did you mean '--html'?"), qPrintable(run.err));
        run = runRelayaudit({"audit", "--pasword-file", "p"});
        QVERIFY2(run.err.contains("did you mean '--password-file'?"), qPrintable(run.err));
    }
    void editDistanceCountsSingleEdits() {
        QCOMPARE(relayaudit::editDistance("analyse", "analyze"), std::size_t(1));
        QCOMPARE(relayaudit::editDistance("", "abc"), std::size_t(3));
        QCOMPARE(relayaudit::editDistance("htlm", "html"), std::size_t(1));
        QCOMPARE(relayaudit::closestName("ui", {"uri", "gc"}), std::string("uri"));
        QCOMPARE(relayaudit::closestName("xyz", {"uri", "gc"}), std::string());
    }
    // Nothing listens on this port of the issue-9 range: the TCP connect is refused at once,
    // before any TLS, so certificate advice would mislead.
    void refusedConnectionGivesNoCertificateAdvice() {
        for (const char* uri : {"ldap://127.0.0.1:39030", "ldaps://127.0.0.1:39030"}) {
            auto run = runRelayaudit({"collect", "--uri", uri, "--snapshot-out", "-"});
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains("cannot connect"), qPrintable(run.err));
            QVERIFY2(!run.err.contains("--ca-file"), qPrintable(run.err));
            QVERIFY2(!run.err.contains("certificate"), qPrintable(run.err));
        }
    }
    void manPageHasEnvironmentFilesAndSeeAlso() {
        QFile page(RELAYAUDIT_SOURCE_DIR "/docs/relayaudit.1");
        QVERIFY(page.open(QIODevice::ReadOnly));
        QString text = page.readAll();
        for (const char* section : {".SH ENVIRONMENT", ".SH FILES", ".SH \"SEE ALSO\""})
            QVERIFY2(text.contains(section), section);
        QVERIFY(text.contains("SOURCE_DATE_EPOCH"));
        QVERIFY(text.contains("/etc/relayaudit/relayaudit.conf"));
    }
};

QTEST_GUILESS_MAIN(TestCliHelp)
#include "tst_cli_help.moc"
