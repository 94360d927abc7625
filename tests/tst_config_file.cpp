// --config FILE: every option can come from a Boost.Program_options configuration file, the
// command line wins, sections limit keys to one command, and typos are refused with a hint.
#include "directory_builder.h"
#include "relayaudit_process.h"
#include "scratch_files.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
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

QByteArray openRelayLdif() {
    auto forest = testsupport::forestWithoutServers();
    forest.virtualServer("EXCH02", 1,
                         {{"msExchSmtpRelayIpList", testsupport::ipSecurityBlob({}, {})}});
    return QByteArray::fromStdString(forest.ldif());
}

// The long option names a command's --help lists.
QSet<QString> optionsInHelp(const QString& command) {
    QSet<QString> names;
    QRegularExpression option("^  --([a-z-]+)", QRegularExpression::MultilineOption);
    auto matches = option.globalMatch(runRelayaudit({command, "--help"}).out);
    while (matches.hasNext())
        names << matches.next().captured(1);
    return names;
}

} // namespace

class TestConfigFile : public QObject {
    Q_OBJECT

private slots:
    void optionsComeFromTheConfigFile() {
        QTemporaryDir directory;
        auto ldif = writeFile(directory, "open.ldif", openRelayLdif());
        auto html = directory.filePath("report.html");
        auto config = writeFile(directory, "relayaudit.conf",
                                ("# comment\nldif = " + ldif + "\nhtml = " + html + "\n").toUtf8());
        auto run = runRelayaudit({"analyze", "--config", config});
        QVERIFY2(run.exitCode == 2, qPrintable(run.err));
        QVERIFY(run.out.contains("EXS-RELAY-OPEN"));
        QVERIFY(QFile::exists(html));
    }
    void commandLineWinsOverTheConfigFile() {
        QTemporaryDir directory;
        auto ldif = writeFile(directory, "open.ldif", openRelayLdif());
        auto fromFile = directory.filePath("from-file.html");
        auto fromLine = directory.filePath("from-line.html");
        auto config = writeFile(directory, "relayaudit.conf",
                                ("ldif = /nonexistent.ldif\nhtml = " + fromFile + "\n").toUtf8());
        auto run =
            runRelayaudit({"analyze", "--config", config, "--ldif", ldif, "--html", fromLine});
        QVERIFY2(run.exitCode == 2, qPrintable(run.err));
        QVERIFY(QFile::exists(fromLine));
        QVERIFY(!QFile::exists(fromFile));
    }
    void sectionAppliesOnlyToItsCommand() {
        QTemporaryDir directory;
        auto ldif = writeFile(directory, "open.ldif", openRelayLdif());
        auto forAudit = directory.filePath("audit.html");
        auto forAnalyze = directory.filePath("analyze.html");
        auto config = writeFile(directory, "relayaudit.conf",
                                ("[audit]\nhtml = " + forAudit +
                                 "\n[analyze]\nhtml = " + forAnalyze + "\nldif = " + ldif + "\n")
                                    .toUtf8());
        QCOMPARE(runRelayaudit({"analyze", "--config", config}).exitCode, 2);
        QVERIFY(QFile::exists(forAnalyze));
        QVERIFY(!QFile::exists(forAudit));
    }
    void optionOfAnotherCommandIsIgnored() {
        QTemporaryDir directory;
        auto ldif = writeFile(directory, "open.ldif", openRelayLdif());
        auto config = writeFile(directory, "relayaudit.conf",
                                "uri = ldaps://dc1.corp.example\ntimeout = 10\n");
        auto run = runRelayaudit({"analyze", "--config", config, "--ldif", ldif});
        QVERIFY2(run.exitCode == 2, qPrintable(run.err));
    }
    void unknownKeyIsRefusedWithASuggestion() {
        QTemporaryDir directory;
        auto config = writeFile(directory, "relayaudit.conf", "htlm = report.html\n");
        auto run = runRelayaudit({"analyze", "--config", config, "--ldif", "x.ldif"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("unknown option 'htlm'"), qPrintable(run.err));
        QVERIFY2(run.err.contains("did you mean 'html'?"), qPrintable(run.err));
    }
    void unknownSectionIsRefused() {
        QTemporaryDir directory;
        auto config = writeFile(directory, "relayaudit.conf", "[analyse]\nhtml = report.html\n");
        auto run = runRelayaudit({"analyze", "--config", config, "--ldif", "x.ldif"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("did you mean 'analyze'?"), qPrintable(run.err));
    }
    void missingConfigFileNamedOnTheCommandLineFails() {
        auto run = runRelayaudit({"analyze", "--config", "/nonexistent/relayaudit.conf"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("/nonexistent/relayaudit.conf"), qPrintable(run.err));
    }
    void configAndNoConfigTogetherAreRefused() {
        auto run = runRelayaudit({"analyze", "--config", "x.conf", "--no-config"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("not both"), qPrintable(run.err));
    }
    void malformedLineNamesTheFile() {
        QTemporaryDir directory;
        auto config = writeFile(directory, "relayaudit.conf", "this line has no equals sign\n");
        auto run = runRelayaudit({"analyze", "--config", config});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(config), qPrintable(run.err));
    }
    // The installed sample documents every option that a configuration file can hold.
    void sampleConfigNamesEveryOption() {
        QFile sample(RELAYAUDIT_SOURCE_DIR "/samples/relayaudit.conf");
        QVERIFY(sample.open(QIODevice::ReadOnly));
        QString text = sample.readAll();
        for (const char* command : {"analyze", "audit", "collect", "rules", "probe"})
            for (const auto& name : optionsInHelp(command)) {
                if (name == "help" || name == "config" || name == "no-config" || name == "check")
                    continue;
                QVERIFY2(text.contains("# " + name + " = "), qPrintable(command + (": " + name)));
            }
    }
};

QTEST_GUILESS_MAIN(TestConfigFile)
#include "tst_config_file.moc"
