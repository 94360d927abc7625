// relayaudit rules --check, --explain, and manual checks in a run, through the real binary.
#include "directory_builder.h"
#include "relayaudit_process.h"
#include "scratch_files.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using testsupport::Forest;
using testsupport::Run;
using testsupport::writeFile;

namespace {

// These runs leave SOURCE_DATE_EPOCH as the test's own environment has it.
Run runRelayaudit(const QStringList& arguments) {
    return testsupport::runRelayaudit(arguments, {.sourceDateEpoch = nullptr});
}

QString testPack(const char* name) {
    return QString(RELAYAUDIT_TEST_DATA "/rules/") + name;
}

// A safe Exchange 2003 virtual server: no findings, two manual checks (relay users, 5.5).
QString writeCleanForest(const QTemporaryDir& directory) {
    auto forest = testsupport::forestWithoutServers();
    forest.virtualServer("EXCH01", 1,
                         {{"msExchSmtpRelayIpList",
                           testsupport::ipSecurityBlob({{"127.0.0.1", "255.255.255.255"}}, {})},
                          {"msExchAuthenticationFlags", "7"},
                          {"msExchAccessSSLFlags", "8"}});
    return writeFile(directory, "clean.ldif", forest.ldif());
}

} // namespace

class TestRulesCommand : public QObject {
    Q_OBJECT

private slots:
    void checkPassesOnTheBuiltInPacksAndTheDocumentedExample() {
        QDir rules(RELAYAUDIT_SOURCE_DIR "/rules");
        QStringList arguments{"rules", "--check"};
        for (const auto& pack : rules.entryList({"*.xml"}))
            arguments << rules.filePath(pack);
        arguments << RELAYAUDIT_SOURCE_DIR "/docs/examples/site-policy.xml";
        auto run = runRelayaudit(arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains("every example holds"));
    }
    void documentedExampleAndTestPacksValidateAgainstTheSchema() {
        for (const QString pack : {QString(RELAYAUDIT_SOURCE_DIR "/docs/examples/site-policy.xml"),
                                   testPack("wrong-example.xml"), testPack("xpath-error.xml")}) {
            QProcess xmllint;
            xmllint.start(XMLLINT_PROGRAM, {"--noout", "--schema",
                                            RELAYAUDIT_SOURCE_DIR "/schemas/rules.xsd", pack});
            QVERIFY(xmllint.waitForFinished(30000));
            QVERIFY2(xmllint.exitCode() == 0, xmllint.readAllStandardError().constData());
        }
    }
    void wrongExampleExitsOneNamingFileLineRuleAndExample() {
        auto run = runRelayaudit({"rules", "--check", testPack("wrong-example.xml")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("wrong-example.xml:15: rule TEST-TLS-OFF: example 2: expected "
                                  "it to fire, got no finding"),
                 qPrintable(run.err));
    }
    void xpathErrorExitsOneNamingFileAndLine() {
        auto run = runRelayaudit({"rules", "--check", testPack("xpath-error.xml")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("xpath-error.xml:11: rule TEST-TLS-OFF: <evidence observed> is "
                                  "not valid XPath"),
                 qPrintable(run.err));
    }
    void checkWithoutPacksOrWithPacksButNoCheckIsAUsageError() {
        QCOMPARE(runRelayaudit({"rules", "--check"}).exitCode, 1);
        QCOMPARE(runRelayaudit({"rules", testPack("wrong-example.xml")}).exitCode, 1);
    }
    void explainPrintsOneRuleWhole() {
        auto run = runRelayaudit({"rules", "--explain", "EXS-RELAY-OPEN"});
        QCOMPARE(run.exitCode, 0);
        for (const char* part :
             {"EXS-RELAY-OPEN: SMTP virtual server is an open relay", "Severity: critical",
              "Kind: unsafe", "Why it matters:", "Remediation:\n  1. In Exchange System Manager",
              "  4. Clear the queues", "References:\n  - KB 324958"})
            QVERIFY2(run.out.contains(part), qPrintable(run.out));
        auto unknown = runRelayaudit({"rules", "--explain", "NO-SUCH-RULE"});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.err.contains("NO-SUCH-RULE"));
    }
    void manualRulesAreListedWithTheirKind() {
        auto run = runRelayaudit({"rules"});
        QVERIFY(run.out.contains("EXS-MANUAL-RELAY-USERS\tinfo\tmanual\t"));
        QVERIFY(run.out.contains("EX55-MANUAL-IMS-REGISTRY\tinfo\tmanual\t"));
    }
    void manualChecksGoToTheReportNotTheFindingsAndCountOnlyByTheirSeverity() {
        QTemporaryDir directory;
        auto ldif = writeCleanForest(directory);
        auto xml = directory.filePath("report.xml");
        auto run = runRelayaudit({"analyze", "--ldif", ldif, "--xml", xml});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY(run.out.contains("0 finding(s), 0 at or above warning\n"));
        QFile file(xml);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString report = QString::fromUtf8(file.readAll());
        QCOMPARE(report.count("<check>"), 2);
        QVERIFY(report.contains("<check>Exchange 2003 per-user relay permissions"));
        QVERIFY(!report.contains("rule=\"EXS-MANUAL"));
        // The built-in manual checks are info: --fail-on info stops on them.
        auto strict = runRelayaudit({"analyze", "--ldif", ldif, "--fail-on", "info"});
        QCOMPARE(strict.exitCode, 2);
        QVERIFY2(strict.out.contains("2 manual check(s) at or above it"), qPrintable(strict.out));
    }
};

QTEST_GUILESS_MAIN(TestRulesCommand)
#include "tst_rules_command.moc"
