// The relayaudit command line end to end: the real binary on LDIF files, exit codes 0/1/2,
// outputs, and that a failed run leaves an existing report untouched.
#include "directory_builder.h"
#include "relayaudit_process.h"
#include "scratch_files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using testsupport::Forest;
using testsupport::forestWithSafeVirtualServer;
using testsupport::readText;
using testsupport::runRelayaudit;
using testsupport::writeFile;

namespace {

Forest openRelayForest() {
    auto forest = forestWithSafeVirtualServer();
    forest.virtualServer("EXCH02", 1,
                         {{"msExchSmtpRelayIpList", testsupport::ipSecurityBlob({}, {})}});
    return forest;
}

QStringList ruleIdsIn(const QString& summary) {
    QStringList ids;
    for (const auto& line : summary.split('\n', Qt::SkipEmptyParts))
        if (line.contains('\t'))
            ids << line.section('\t', 0, 0);
    ids.sort();
    return ids;
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void helpExplainsCommandsAndExitCodes() {
        auto run = runRelayaudit({"--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("analyze"));
        QVERIFY(run.out.contains("Exit codes"));
        QCOMPARE(runRelayaudit({"analyze", "--help"}).exitCode, 0);
        QVERIFY(runRelayaudit({"audit", "--help"}).out.contains("--password-file"));
    }
    void rulesListsTheCatalogue() {
        auto run = runRelayaudit({"rules"});
        QCOMPARE(run.exitCode, 0);
        for (const char* id : {"EXS-RELAY-OPEN", "EXS-RELAY-WIDE", "EXS-RELAY-LIST-INVALID",
                               "EXS-RELAY-AUTH-NONDEFAULT", "EXS-RELAY-GUEST",
                               "EXS-AUTH-BASIC-CLEARTEXT", "DIR-GUEST-ENABLED", "ORG-NO-EXCHANGE"})
            QVERIFY2(run.out.contains(QString(id) + "\t"), id);
        QVERIFY(run.out.contains("EXS-RELAY-OPEN\tcritical\tunsafe\t"));
    }
    void cleanForestExitsZero() {
        QTemporaryDir directory;
        auto run = runRelayaudit(
            {"analyze", "--list", "--ldif",
             writeFile(directory, "clean.ldif", forestWithSafeVirtualServer().ldif())});
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY(run.out.contains("0 finding(s)"));
    }
    void findingAtThresholdExitsTwoAndBelowExitsZero() {
        QTemporaryDir directory;
        auto file = writeFile(directory, "open.ldif", openRelayForest().ldif());
        auto run = runRelayaudit({"analyze", "--list", "--ldif", file});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(ruleIdsIn(run.out).contains("EXS-RELAY-OPEN"));
        // Only non-default findings, threshold warning: exit 0; threshold non-default: exit 2.
        auto forest = forestWithSafeVirtualServer();
        Forest::set(forest.entries.back(), "msExchSmtpRelayForAuth", "FALSE");
        auto nonDefault = writeFile(directory, "nondefault.ldif", forest.ldif());
        QCOMPARE(runRelayaudit({"analyze", "--list", "--ldif", nonDefault}).exitCode, 0);
        QCOMPARE(
            runRelayaudit({"analyze", "--list", "--ldif", nonDefault, "--fail-on", "non-default"})
                .exitCode,
            2);
        QCOMPARE(runRelayaudit({"analyze", "--list", "--ldif", file, "--fail-on", "info"}).exitCode,
                 2);
    }
    void severalLdifFilesAreMerged() {
        QTemporaryDir directory;
        Forest config = openRelayForest();
        Forest domain;
        domain.domain();
        domain.guest("66080");
        config.entries.erase(config.entries.begin(), config.entries.begin() + 2); // no domain
        auto run = runRelayaudit({"analyze", "--list", "--ldif",
                                  writeFile(directory, "config.ldif", config.ldif()), "--ldif",
                                  writeFile(directory, "domain.ldif", domain.ldif())});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(ruleIdsIn(run.out).contains("EXS-RELAY-GUEST"));
        QVERIFY(ruleIdsIn(run.out).contains("DIR-GUEST-ENABLED"));
    }
    void corruptLdifExitsOneNamingFileAndLineAndKeepsThePreviousReport() {
        QTemporaryDir directory;
        auto report = writeFile(directory, "report.html", "previous report");
        auto xml = writeFile(directory, "report.xml", "previous xml");
        auto bad = writeFile(directory, "bad.ldif",
                             "dn: CN=x,DC=corp\nobjectClass: top\nnot an attribute line\n");
        auto run =
            runRelayaudit({"analyze", "--list", "--ldif", bad, "--html", report, "--xml", xml});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("bad.ldif:3"), qPrintable(run.err));
        QCOMPARE(readText(report), QString("previous report"));
        QCOMPARE(readText(xml), QString("previous xml"));
        QCOMPARE(QDir(directory.path()).entryList(QDir::Files).size(),
                 3); // no temporary files left
    }
    void failureOnTheLastOutputLeavesEveryEarlierOutputUntouched() {
        QTemporaryDir directory;
        auto file = writeFile(directory, "open.ldif", openRelayForest().ldif());
        auto xml = writeFile(directory, "keep.xml", "previous xml");
        auto snapshot = writeFile(directory, "keep-snapshot.xml", "previous snapshot");
        auto run =
            runRelayaudit({"analyze", "--list", "--ldif", file, "--snapshot-out", snapshot, "--xml",
                           xml, "--html", directory.filePath("missing-dir/report.html")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("HTML report"), qPrintable(run.err));
        QCOMPARE(readText(xml), QString("previous xml"));
        QCOMPARE(readText(snapshot), QString("previous snapshot"));
        QCOMPARE(QDir(directory.path()).entryList(QDir::Files).size(), 3); // no temporaries left
    }
    // The HTML target is a directory: its temporary is written fine beside it, and only the last
    // rename fails, after the snapshot and the XML report were replaced. They are put back.
    void htmlPointingAtADirectoryLeavesEveryEarlierOutputUntouched() {
        QTemporaryDir directory;
        auto file = writeFile(directory, "open.ldif", openRelayForest().ldif());
        auto xml = writeFile(directory, "keep.xml", "previous xml");
        auto snapshot = writeFile(directory, "keep-snapshot.xml", "previous snapshot");
        QVERIFY(QDir(directory.path()).mkdir("report.html"));
        auto run = runRelayaudit({"analyze", "--list", "--ldif", file, "--snapshot-out", snapshot,
                                  "--xml", xml, "--html", directory.filePath("report.html")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("report.html") && run.err.contains("directory"),
                 qPrintable(run.err));
        QCOMPARE(readText(xml), QString("previous xml"));
        QCOMPARE(readText(snapshot), QString("previous snapshot"));
        QCOMPARE(QDir(directory.path()).entryList(QDir::Files | QDir::Hidden).size(),
                 3); // no temporaries or backups left
        QVERIFY(QFileInfo(directory.filePath("report.html")).isDir());
    }
    void replacedReportKeepsItsPermissions() {
        QTemporaryDir directory;
        auto file = writeFile(directory, "clean.ldif", forestWithSafeVirtualServer().ldif());
        auto snapshot = writeFile(directory, "snapshot.xml", "old");
        QFile::setPermissions(snapshot, QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(runRelayaudit({"analyze", "--list", "--ldif", file, "--snapshot-out", snapshot})
                     .exitCode,
                 0);
        QVERIFY(readText(snapshot).contains("<snapshot"));
        QVERIFY(!(QFile::permissions(snapshot) & (QFile::ReadGroup | QFile::ReadOther)));
    }
    void devicesAreRefusedInsteadOfReadForever() {
        auto run = runRelayaudit({"analyze", "--list", "--ldif", "/dev/zero"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("device"));
    }
    void onlyOneOutputMayGoToStandardOutput() {
        QTemporaryDir directory;
        auto file = writeFile(directory, "clean.ldif", forestWithSafeVirtualServer().ldif());
        auto run =
            runRelayaudit({"analyze", "--list", "--ldif", file, "--xml", "-", "--html", "-"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.isEmpty());
    }
    void abbreviatedOptionsAreRefused() {
        QTemporaryDir directory;
        auto file = writeFile(directory, "clean.ldif", forestWithSafeVirtualServer().ldif());
        auto run =
            runRelayaudit({"analyze", "--list", "--ldif", file, "--htm", directory.filePath("x")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(!QFile::exists(directory.filePath("x")));
    }
    void summaryLinesCannotBeForgedByDirectoryText() {
        QTemporaryDir directory;
        auto forest = openRelayForest();
        // A server name holding a newline, a tab, an ESC colour sequence and U+202E (RIGHT-TO-LEFT
        // OVERRIDE): raw bytes, so the LDIF must carry the DN base64-encoded ("dn::").
        std::string decoded = "CN=1,CN=SMTP,CN=Protocols,CN=EX\nFAKE-RULE\tcritical\x1b[31m"
                              "\xE2\x80\xAE,CN=Servers,CN=First Administrative Group,"
                              "CN=Administrative Groups," +
                              forest.organization();
        forest.entries.back().dn = decoded;
        std::string ldif = forest.ldif();
        auto plain = "dn: " + decoded + "\n";
        auto at = ldif.find(plain);
        QVERIFY(at != std::string::npos);
        ldif.replace(at, plain.size(), "dn:: " + relayaudit::base64Encode(decoded) + "\n");
        auto run = runRelayaudit(
            {"analyze", "--list", "--ldif", writeFile(directory, "forged.ldif", ldif)});
        QCOMPARE(run.exitCode, 2);
        for (const auto& line : run.out.split('\n', Qt::SkipEmptyParts))
            QVERIFY2(!line.startsWith("FAKE-RULE"), qPrintable(line));
        QVERIFY(!run.out.contains(QChar(0x1B)));
        QVERIFY(!run.out.contains(QChar(0x202E)));
        QVERIFY(run.out.contains("\\0AFAKE-RULE\\09critical\\1B"));
    }
    void inputWithoutExchangeIsNotCalledClean() {
        QTemporaryDir directory;
        Forest forest;
        forest.domain();
        forest.guest("66082");
        auto html = directory.filePath("report.html");
        auto run =
            runRelayaudit({"analyze", "--list", "--ldif",
                           writeFile(directory, "domain.ldif", forest.ldif()), "--html", html});
        // Nothing could be judged: cannot-judge at severity error, so the default threshold fails.
        QCOMPARE(run.exitCode, 2);
        QVERIFY(ruleIdsIn(run.out).contains("ORG-NO-EXCHANGE"));
        QVERIFY(run.out.contains("ORG-NO-EXCHANGE\terror\tunknown"));
        QString page = readText(html);
        QVERIFY(!page.contains("No relay problems found"));
        QVERIFY(page.contains("No Exchange configuration in the input"));
    }
    void emptyLdifIsNothingJudgedExitTwo() {
        QTemporaryDir directory;
        auto run =
            runRelayaudit({"analyze", "--list", "--ldif", writeFile(directory, "empty.ldif", "")});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(ruleIdsIn(run.out), QStringList{"ORG-NO-EXCHANGE"});
    }
    void unrelatedLdifIsNothingJudgedExitTwo() {
        QTemporaryDir directory;
        auto run = runRelayaudit(
            {"analyze", "--list", "--ldif",
             writeFile(directory, "people.ldif",
                       "version: 1\n\ndn: ou=people,dc=example,dc=org\nobjectClass: "
                       "organizationalUnit\nou: people\n\ndn: uid=ann,ou=people,dc=example,dc=org\n"
                       "objectClass: inetOrgPerson\nuid: ann\ncn: Ann\nsn: A\n")});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(ruleIdsIn(run.out), QStringList{"ORG-NO-EXCHANGE"});
        QVERIFY(run.out.contains("2 entries read from the given files"));
    }
    void ldifWithServersButNoVirtualServersIsNotCalledClean() {
        // An export of the server objects alone (no subtree): two 2003 servers and a 2016 one
        // whose virtual servers and receive connectors are missing, each reported by name.
        QTemporaryDir directory;
        auto forest = testsupport::forestWithoutServers();
        for (const char* name : {"EXCH001", "EXCH002"})
            Forest::set(
                forest.add(forest.serverDn(name), {"top", "server", "msExchExchangeServer"}),
                "serialNumber", "Version 6.5 (Build 7638.2: Service Pack 2)");
        Forest::set(forest.add("CN=EX2016,CN=Servers,CN=Exchange Administrative Group "
                               "(FYDIBOHF23SPDLT),CN=Administrative Groups," +
                                   forest.organization(),
                               {"top", "server", "msExchExchangeServer"}),
                    "serialNumber", "Version 15.1 (Build 2507.6)");
        auto run = runRelayaudit(
            {"analyze", "--list", "--ldif", writeFile(directory, "servers.ldif", forest.ldif())});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(run.out.count("EXS-SERVER-UNSEEN\terror\tunknown"), 2);
        QCOMPARE(run.out.count("EXR-SERVER-UNSEEN\terror\tunknown"), 1);
        QVERIFY(run.out.contains("CN=EXCH002,CN=Servers"));
        QVERIFY(!ruleIdsIn(run.out).contains("ORG-NO-EXCHANGE"));
        QVERIFY(!ruleIdsIn(run.out).contains("ORG-UNREADABLE"));
    }
    void urlValuesAreRefusedNotFetched() {
        QTemporaryDir directory;
        auto bad = writeFile(directory, "url.ldif",
                             "dn: CN=x,DC=corp\ndescription:< file:///etc/passwd\n");
        auto run = runRelayaudit({"analyze", "--list", "--ldif", bad});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("url.ldif:2"));
        QVERIFY(!run.err.contains("root:"));
    }
    void badArgumentsExitOneWithAHint() {
        QTemporaryDir directory;
        auto file = writeFile(directory, "clean.ldif", forestWithSafeVirtualServer().ldif());
        auto badThreshold =
            runRelayaudit({"analyze", "--list", "--ldif", file, "--fail-on", "severe"});
        QCOMPARE(badThreshold.exitCode, 1);
        QVERIFY(badThreshold.err.contains("--fail-on"));
        QCOMPARE(runRelayaudit({"analyze"}).exitCode, 1);
        QCOMPARE(runRelayaudit({"analyze", "--list", "--ldif", file, "--snapshot", file}).exitCode,
                 1);
        QCOMPARE(runRelayaudit({"frobnicate"}).exitCode, 1);
        QCOMPARE(runRelayaudit({"analyze", "--list", "--ldif", directory.filePath("missing.ldif")})
                     .exitCode,
                 1);
        QCOMPARE(runRelayaudit({"analyze", "--list", "--unknown-option"}).exitCode, 1);
    }
    void invalidCustomRulePackExitsOneNamingThePack() {
        QTemporaryDir directory;
        auto pack = writeFile(directory, "site.xml",
                              "<rulePack name='s' version='1'><rule id='bad'/></rulePack>");
        auto run = runRelayaudit({"rules", "--rules", pack});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("site.xml"), qPrintable(run.err));
    }
    // An audit loads its packs while it connects (pipeline.cpp, runAudit): a pack that does not
    // load is still the failure reported, before a server that refuses and a waiver file that
    // does not parse, as when the packs were loaded before anything else.
    void auditNamesAnInvalidPackBeforeOtherFailures() {
        QTemporaryDir directory;
        auto pack = writeFile(directory, "site.xml",
                              "<rulePack name='s' version='1'><rule id='bad'/></rulePack>");
        auto waivers = writeFile(directory, "waivers.txt", "not a waiver\n");
        auto output = directory.filePath("report.xml");
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        for (const QStringList& extra : {QStringList{}, QStringList{"--waivers", waivers}}) {
            auto run = runRelayaudit(QStringList{"audit", "--uri", "ldap://127.0.0.1:1", "--rules",
                                                 pack, "--xml", output} +
                                     extra);
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains("invalid rule pack") && run.err.contains("site.xml"),
                     qPrintable(run.err));
            QVERIFY2(!run.err.contains("cannot connect") && !run.err.contains("waiver"),
                     qPrintable(run.err));
        }
        // Without the bad pack the other failures are the ones reported.
        auto refused = runRelayaudit({"audit", "--uri", "ldap://127.0.0.1:1", "--xml", output});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("cannot connect"), qPrintable(refused.err));
        QVERIFY(!QFile::exists(output));
    }
    void snapshotRoundTripGivesTheSameReport() {
        QTemporaryDir directory;
        auto file = writeFile(directory, "open.ldif", openRelayForest().ldif());
        auto snapshot = directory.filePath("snapshot.xml");
        auto first = directory.filePath("first.xml");
        auto second = directory.filePath("second.xml");
        QCOMPARE(runRelayaudit({"analyze", "--list", "--ldif", file, "--snapshot-out", snapshot,
                                "--xml", first})
                     .exitCode,
                 2);
        QCOMPARE(
            runRelayaudit({"analyze", "--list", "--snapshot", snapshot, "--xml", second}).exitCode,
            2);
        auto findings = [](const QString& path) {
            QString text = readText(path);
            return text.mid(text.indexOf("<findings"),
                            text.indexOf("</findings>") - text.indexOf("<findings"));
        };
        QVERIFY(!findings(first).isEmpty());
        QCOMPARE(findings(second), findings(first));
    }
    // Without --snapshot-out the <raw> copies are left out of the in-memory snapshot: the findings
    // on the samples (all three exports) must be those of a run that keeps them.
    void findingsDoNotDependOnWhetherTheSnapshotIsWritten() {
        QTemporaryDir directory;
        QStringList inputs;
        for (const char* sample : {"corp-config.ldif", "corp-domain.ldif", "child-domain.ldif"})
            inputs << "--ldif" << QString(RELAYAUDIT_SOURCE_DIR "/samples/") + sample;
        auto lean = directory.filePath("lean.xml");
        auto kept = directory.filePath("kept.xml");
        QCOMPARE(
            runRelayaudit(QStringList{"analyze"} + inputs + QStringList{"--xml", lean}).exitCode,
            2);
        QCOMPARE(runRelayaudit(QStringList{"analyze"} + inputs +
                               QStringList{"--xml", kept, "--snapshot-out",
                                           directory.filePath("snapshot.xml")})
                     .exitCode,
                 2);
        auto findings = [](const QString& path) {
            QString text = readText(path);
            return text.mid(text.indexOf("<findings"),
                            text.indexOf("</findings>") - text.indexOf("<findings"));
        };
        QVERIFY(findings(kept).count("<finding ") > 10);
        QCOMPARE(findings(lean), findings(kept));
    }
    void xmlReportValidatesAgainstItsSchemaAndCanGoToStandardOutput() {
        QTemporaryDir directory;
        auto file = writeFile(directory, "open.ldif", openRelayForest().ldif());
        auto run = runRelayaudit({"analyze", "--list", "--ldif", file, "--xml", "-"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.startsWith("<?xml"));
        auto report = writeFile(directory, "report.xml", run.out.toStdString());
        QProcess xmllint;
        xmllint.start(XMLLINT_PROGRAM,
                      {"--noout", "--schema", RELAYAUDIT_SOURCE_DIR "/schemas/report.xsd", report});
        QVERIFY(xmllint.waitForFinished(30000));
        QVERIFY2(xmllint.exitCode() == 0, xmllint.readAllStandardError().constData());
    }
    void hostileDirectoryTextIsEscapedInEveryOutput() {
        QTemporaryDir directory;
        auto forest = openRelayForest();
        Forest::set(forest.entries.back(), "adminDisplayName", "<script>alert(1)</script>");
        forest.entries.back().dn =
            "CN=1,CN=SMTP,CN=Protocols,CN=<img src=x onerror=alert(2)>,CN=Servers,"
            "CN=First Administrative Group,CN=Administrative Groups," +
            forest.organization();
        auto file = writeFile(directory, "hostile.ldif", forest.ldif());
        auto html = directory.filePath("report.html");
        auto xml = directory.filePath("report.xml");
        auto run =
            runRelayaudit({"analyze", "--list", "--ldif", file, "--html", html, "--xml", xml});
        QCOMPARE(run.exitCode, 2);
        QString page = readText(html);
        QVERIFY(!page.contains("<script>alert(1)"));
        QVERIFY(!page.contains("<img src=x"));
        QVERIFY(page.contains("&lt;script&gt;alert(1)"));
        QVERIFY(readText(xml).contains("&lt;img src=x"));
    }
    void samplesReportShowsTheEnabledGuestOnceAsTheCauseOfSixFindings() {
        QTemporaryDir directory;
        QDir samples(RELAYAUDIT_SOURCE_DIR "/samples");
        QStringList arguments{"analyze"};
        for (const auto& name : samples.entryList({"*.ldif"}, QDir::Files, QDir::Name))
            arguments << "--ldif" << samples.filePath(name);
        auto html = directory.filePath("report.html");
        arguments << "--html" << html;
        QCOMPARE(runRelayaudit(arguments).exitCode, 2);
        QString page = readText(html);
        QCOMPARE(page.count("Disabling Guest in child.corp.example resolves 6 findings on 3 "
                            "servers and domains."),
                 1);
        QVERIFY(page.contains("<td><span class=\"rule-id\">DIR-GUEST-ENABLED</span></td>"
                              "<td>Guest</td><td>child.corp.example</td>"));
        QVERIFY(page.contains("<dt>Domains audited</dt><dd><span class=\"domain\">"
                              "child.corp.example</span>, <span class=\"domain\">corp.example"));
        QVERIFY(page.contains("<span class=\"generation\">Exchange 2003</span> 6 SMTP virtual "
                              "servers examined"));
        QVERIFY(page.contains("<section id=\"passed\""));
    }
    void bundledSamplesGiveTheDocumentedFindings() {
        QDir samples(RELAYAUDIT_SOURCE_DIR "/samples");
        QStringList arguments{"analyze", "--list"};
        for (const auto& name : samples.entryList({"*.ldif"}, QDir::Files, QDir::Name))
            arguments << "--ldif" << samples.filePath(name);
        QVERIFY2(arguments.size() >= 7,
                 "samples/ should hold the configuration and two domain exports");
        auto run = runRelayaudit(arguments);
        QCOMPARE(run.exitCode, 2);
        // Rule and object (the server and virtual server instance, or the object's RDN), as
        // documented in samples/README.md.
        QStringList found;
        for (const auto& line : run.out.split('\n', Qt::SkipEmptyParts)) {
            if (!line.contains('\t'))
                continue;
            QString rule = line.section('\t', 0, 0);
            QString object = line.section('\t', 3, 3);
            QRegularExpression server("^CN=(\\d+),CN=SMTP,CN=Protocols,CN=([^,]+),");
            auto match = server.match(object);
            found << rule + " " +
                         (match.hasMatch()
                              ? match.captured(2) + "/" + match.captured(1)
                              : object.section(',', 0, 0) + "," + object.section(',', -3, -3));
        }
        found.sort();
        QStringList expected{"DIR-GUEST-ENABLED CN=Guest,DC=child",
                             "EXR-RECV-ANONYMOUS-RELAY CN=Anonymous Relay,CN=Configuration",
                             "EXS-AUTH-BASIC-CLEARTEXT EXCH001/2",
                             "EXS-RELAY-AUTH-NONDEFAULT EXCH002/1",
                             "EXS-RELAY-GUEST EXCH001/1",
                             "EXS-RELAY-GUEST EXCH001/2",
                             "EXS-RELAY-GUEST EXCH001/3",
                             "EXS-RELAY-GUEST EXCH001/4",
                             "EXS-RELAY-GUEST EXCH002/2",
                             "EXS-RELAY-LIST-INVALID EXCH001/4",
                             "EXS-RELAY-OPEN EXCH001/2",
                             "EXS-RELAY-OPEN EXCH002/2",
                             "EXS-RELAY-WIDE EXCH001/3"};
        QCOMPARE(found, expected);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
