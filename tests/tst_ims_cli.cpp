// analyze --ims-registry end to end: the real binary on regedit exports in both encodings. Each
// IMS rule fires and stays silent; broken exports exit 1 naming file and line; --ims-server
// names the next export; IMS servers reach the snapshot (schema-valid, reloadable), the
// inventory, both reports and the manual checks.
#include "directory_builder.h"
#include "registry_builder.h"
#include "relayaudit_process.h"
#include "scratch_files.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using testsupport::Forest;
using testsupport::multiSzLine;
using testsupport::parametersExport;
using testsupport::readText;
using testsupport::runRelayaudit;
using testsupport::writeFile;

namespace {

// "RULE\tobject" for every finding line of the summary.
QStringList findingsIn(const QString& summary) {
    QStringList found;
    for (const auto& line : summary.split('\n', Qt::SkipEmptyParts))
        if (line.count('\t') >= 4)
            found << line.section('\t', 0, 0) + "\t" + line.section('\t', 3, 3);
    return found;
}

std::string flags(const char* hexDigits) {
    return std::string("\"RelayFlags\"=dword:") + hexDigits;
}

// A domain whose Guest is enabled or disabled, as LDIF.
std::string domainLdif(bool guestEnabled) {
    Forest forest;
    forest.domain();
    forest.guest(guestEnabled ? "66080" : "66082");
    return forest.ldif();
}

const bool kFormats[] = {false, true}; // REGEDIT4, version 5.00

} // namespace

class TestImsCli : public QObject {
    Q_OBJECT

    QTemporaryDir directory;

    // Findings of analyze on one export named EXCH55.reg, plus any LDIF given.
    QStringList findings(const std::string& exportBytes, const std::string& ldif = {},
                         int* exitCode = nullptr) {
        QStringList arguments = {"analyze", "--list", "--ims-registry",
                                 writeFile(directory, "EXCH55.reg", exportBytes)};
        if (!ldif.empty())
            arguments << "--ldif" << writeFile(directory, "domain.ldif", ldif);
        auto run = runRelayaudit(arguments);
        if (exitCode)
            *exitCode = run.exitCode;
        if (run.exitCode != 0 && run.exitCode != 2)
            qWarning("relayaudit failed: %s", qPrintable(run.err));
        return findingsIn(run.out);
    }

private slots:
    void helpNamesTheImsOptions() {
        auto run = runRelayaudit({"analyze", "--help"});
        QVERIFY(run.out.contains("--ims-registry"));
        QVERIFY(run.out.contains("--ims-server"));
        QVERIFY(runRelayaudit({"--help"}).out.contains("--ims-registry"));
    }
    void rulesListsTheImsRules() {
        auto out = runRelayaudit({"rules"}).out;
        for (const char* line :
             {"IMS-RELAY-OPEN\tcritical\tunsafe\t", "IMS-RELAY-GUEST\tcritical\tunsafe\t",
              "IMS-RELAY-GUEST-UNKNOWN\terror\tcannot-judge\t", "IMS-ALLOW-WIDE\twarning\tunsafe\t",
              "IMS-REROUTE-MANUAL\tinfo\tmanual\t", "IMS-VALUE-INVALID\terror\tcannot-judge\t"})
            QVERIFY2(out.contains(line), line);
    }

    // --- IMS-RELAY-OPEN ---
    void openFiresWhenRelayFlagsIsAbsentZeroOrOnlyTheDenyBit() {
        for (bool v5 : kFormats) {
            for (const auto& values :
                 {std::vector<std::string>{"\"ServerName\"=\"EXCH55\""},
                  std::vector<std::string>{flags("00000000")},
                  std::vector<std::string>{
                      flags("00000001"),
                      multiSzLine("RelayDenyList", {"192.0.2.0;255.255.255.0"}, v5)}}) {
                int exitCode = 0;
                auto found = findings(parametersExport(v5, values), {}, &exitCode);
                QVERIFY2(found.contains("IMS-RELAY-OPEN\tEXCH55"), qPrintable(found.join(',')));
                QCOMPARE(exitCode, 2);
            }
        }
    }
    void openIsSilentWithAnAllowListLocalListOrAuthentication() {
        for (bool v5 : kFormats)
            for (const char* value : {"00000002", "00000004", "00000008", "00000003", "0000000f"}) {
                auto found =
                    findings(parametersExport(v5, {flags(value), multiSzLine("RelayAllowList",
                                                                             {"10.1.2.25"}, v5)}),
                             domainLdif(false));
                QVERIFY2(!found.join(',').contains("IMS-RELAY-OPEN"), value);
            }
    }

    // --- IMS-RELAY-GUEST and its could-not-judge companion ---
    void guestFiresWithAuthenticatedRelayAndAnEnabledGuest() {
        for (bool v5 : kFormats) {
            auto found =
                findings(parametersExport(v5, {flags("0000000a"),
                                               multiSzLine("RelayAllowList", {"10.1.2.25"}, v5)}),
                         domainLdif(true));
            QVERIFY(found.contains("IMS-RELAY-GUEST\tEXCH55"));
            QVERIFY(!found.join(',').contains("IMS-RELAY-GUEST-UNKNOWN"));
        }
    }
    void guestIsSilentWhenGuestIsDisabledOrRelayForAuthenticatedIsOff() {
        auto disabled = findings(parametersExport(true, {flags("0000000a")}), domainLdif(false));
        QVERIFY(!disabled.join(',').contains("IMS-RELAY-GUEST"));
        auto noAuth = findings(parametersExport(true, {flags("00000002")}), domainLdif(true));
        QVERIFY(!noAuth.join(',').contains("IMS-RELAY-GUEST"));
    }
    void guestUnknownFiresWhenNoDomainDataSaysAndIsAnError() {
        auto run = runRelayaudit(
            {"analyze", "--list", "--ims-registry",
             writeFile(directory, "EXCH55.reg", parametersExport(false, {flags("00000008")}))});
        QVERIFY(findingsIn(run.out).contains("IMS-RELAY-GUEST-UNKNOWN\tEXCH55"));
        QVERIFY(run.out.contains("IMS-RELAY-GUEST-UNKNOWN\terror\tunknown\t"));
        QCOMPARE(run.exitCode, 2);
    }

    // --- IMS-ALLOW-WIDE ---
    void allowWideFiresForAnEntryOverTwoHundredFiftySixAddresses() {
        for (bool v5 : kFormats) {
            auto found = findings(parametersExport(
                v5, {flags("00000002"),
                     multiSzLine("RelayAllowList", {"10.1.2.25", "10.1.0.0;255.255.254.0"}, v5)}));
            QVERIFY(found.contains("IMS-ALLOW-WIDE\tEXCH55"));
        }
    }
    void allowWideIsSilentAtTwoHundredFiftySixOrWhenTheListIsNotUsed() {
        auto edge = findings(parametersExport(
            true,
            {flags("00000002"), multiSzLine("RelayAllowList", {"10.1.2.0;255.255.255.0"}, true)}));
        QVERIFY(!edge.join(',').contains("IMS-ALLOW-WIDE"));
        auto unused = findings(parametersExport(
            true, {flags("00000004"), multiSzLine("RelayAllowList", {"10.0.0.0;255.0.0.0"}, true),
                   multiSzLine("RelayLocalIPList", {"10.1.2.1"}, true)}));
        QVERIFY(!unused.join(',').contains("IMS-ALLOW-WIDE"));
    }

    // --- values that cannot be read ---
    void valueOfTheWrongTypeIsCouldNotJudgeNotOpenOrSafe() {
        int exitCode = 0;
        auto found = findings(parametersExport(true, {"\"RelayFlags\"=\"2\""}), {}, &exitCode);
        QCOMPARE(found.filter("IMS-").filter(QRegularExpression("^IMS-(RELAY|ALLOW|VALUE)")),
                 QStringList{"IMS-VALUE-INVALID\tEXCH55"});
        QCOMPARE(exitCode, 2);
        auto badEntry = findings(parametersExport(
            false, {flags("00000002"), multiSzLine("RelayAllowList", {"mail.example"}, false)}));
        QVERIFY(badEntry.contains("IMS-VALUE-INVALID\tEXCH55"));
        auto unusedBad = findings(parametersExport(
            false, {flags("00000002"), multiSzLine("RelayDenyList", {"mail.example"}, false)}));
        QVERIFY(!unusedBad.join(',').contains("IMS-VALUE-INVALID"));
    }

    // --- IMS-REROUTE-MANUAL and the Exchange 5.5 reminder ---
    void rerouteManualCheckIsListedForEveryImsServer() {
        auto xml = directory.filePath("report.xml");
        auto run = runRelayaudit(
            {"analyze", "--list", "--ims-server", "EXCH55", "--ims-registry",
             writeFile(directory, "a.reg", parametersExport(true, {flags("00000002")})),
             "--ims-registry",
             writeFile(directory, "EXCH56.reg", parametersExport(false, {flags("00000002")})),
             "--xml", xml});
        auto report = readText(xml);
        QCOMPARE(report.count("check \"Reroute incoming SMTP mail\" by hand"), 2);
        QVERIFY(report.contains("Internet Mail Service EXCH55:"));
        QVERIFY(report.contains("Internet Mail Service EXCH56:"));
        QVERIFY(report.contains("KB 255695"));
    }
    void rerouteManualCheckIsAbsentWithoutImsExports() {
        auto xml = directory.filePath("ldif-only.xml");
        runRelayaudit({"analyze", "--list", "--ldif",
                       writeFile(directory, "d.ldif", domainLdif(false)), "--xml", xml});
        QVERIFY(!readText(xml).contains("Reroute incoming SMTP mail"));
    }
    void exchange55ReminderDoesNotAskForWhatWasJudged() {
        auto xml = directory.filePath("reminder.xml");
        runRelayaudit(
            {"analyze", "--list", "--ldif", writeFile(directory, "d.ldif", domainLdif(false)),
             "--ims-registry",
             writeFile(directory, "EXCH55.reg", parametersExport(true, {flags("00000002")})),
             "--xml", xml});
        auto report = readText(xml);
        QVERIFY(report.contains(
            "relayaudit judged the registry exports of 1 Internet Mail Service server(s)"));
        QVERIFY(!report.contains("check RelayFlags and the relay lists under"));
        auto withoutXml = directory.filePath("reminder-ldif.xml");
        runRelayaudit({"analyze", "--list", "--ldif",
                       writeFile(directory, "d.ldif", domainLdif(false)), "--xml", withoutXml});
        QVERIFY(readText(withoutXml).contains("check RelayFlags and the relay lists under"));
    }

    // --- broken exports: exit 1, file and line ---
    void brokenExportExitsOneWithFileAndLine() {
        auto path = writeFile(
            directory, "broken.reg",
            "REGEDIT4\r\n\r\n" + std::string(testsupport::kParametersKey) +
                "\r\n\"RelayFlags\"=dword:00000002\r\n\"RelayAllowList\"=hex(7):31,00,\\\r\n");
        auto xml = directory.filePath("untouched.xml");
        writeFile(directory, "untouched.xml", "previous report");
        auto run = runRelayaudit({"analyze", "--list", "--ims-registry", path, "--xml", xml});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(path + ":5: "), qPrintable(run.err));
        QVERIFY(run.err.contains("reg export"));
        QCOMPARE(readText(xml), QString("previous report"));
    }
    void oddUtf16ExportExitsOne() {
        auto bytes = parametersExport(true, {flags("00000002")});
        auto run =
            runRelayaudit({"analyze", "--list", "--ims-registry",
                           writeFile(directory, "odd.reg", bytes.substr(0, bytes.size() - 1))});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("odd.reg:"));
        QVERIFY(run.err.contains("odd number of bytes"));
    }
    void exportOfAnotherKeyExitsOne() {
        auto run = runRelayaudit(
            {"analyze", "--list", "--ims-registry",
             writeFile(directory, "other.reg",
                       testsupport::regFile(true, {"[HKEY_CURRENT_USER\\Software]"}))});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("MSExchangeIMC\\Parameters"));
    }
    void missingFileAndDirectoryExitOne() {
        QCOMPARE(
            runRelayaudit({"analyze", "--list", "--ims-registry", directory.filePath("nope.reg")})
                .exitCode,
            1);
        QCOMPARE(runRelayaudit({"analyze", "--list", "--ims-registry", directory.path()}).exitCode,
                 1);
    }

    // --- naming ---
    void imsServerNamesOnlyTheNextExport() {
        auto a = writeFile(directory, "first.reg", parametersExport(true, {flags("00000001")}));
        auto b = writeFile(directory, "second.reg", parametersExport(false, {flags("00000000")}));
        auto run = runRelayaudit({"analyze", "--list", "--ims-server", "EXIMS01", "--ims-registry",
                                  a, "--ims-registry", b});
        auto found = findingsIn(run.out);
        QVERIFY(found.contains("IMS-RELAY-OPEN\tEXIMS01"));
        QVERIFY(found.contains("IMS-RELAY-OPEN\tsecond"));
    }
    void imsServerWithoutAnExportAfterItIsRefused() {
        auto a = writeFile(directory, "x.reg", parametersExport(true, {flags("00000002")}));
        auto dangling =
            runRelayaudit({"analyze", "--list", "--ims-registry", a, "--ims-server", "EXCH55"});
        QCOMPARE(dangling.exitCode, 1);
        QVERIFY(dangling.err.contains("--ims-server EXCH55"));
        auto twice = runRelayaudit(
            {"analyze", "--list", "--ims-server", "A", "--ims-server", "B", "--ims-registry", a});
        QCOMPARE(twice.exitCode, 1);
    }
    void sameServerNameTwiceIsRefused() {
        auto a = writeFile(directory, "EXCH55.reg", parametersExport(true, {flags("00000002")}));
        auto other = QTemporaryDir();
        auto b = writeFile(other, "exch55.reg", parametersExport(true, {flags("00000002")}));
        auto run = runRelayaudit({"analyze", "--list", "--ims-registry", a, "--ims-registry", b});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("--ims-server NAME"));
    }
    void standardInputNeedsAServerName() {
        auto bytes = QByteArray::fromStdString(parametersExport(true, {flags("00000000")}));
        QCOMPARE(runRelayaudit({"analyze", "--list", "--ims-registry", "-"}, bytes).exitCode, 1);
        auto named = runRelayaudit(
            {"analyze", "--list", "--ims-server", "EXCH55", "--ims-registry", "-"}, bytes);
        QVERIFY(findingsIn(named.out).contains("IMS-RELAY-OPEN\tEXCH55"));
    }
    void snapshotAndImsRegistryTogetherAreRefused() {
        auto run = runRelayaudit(
            {"analyze", "--list", "--snapshot", directory.filePath("s.xml"), "--ims-registry",
             writeFile(directory, "EXCH55.reg", parametersExport(true, {flags("00000002")}))});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("--ims-registry"));
    }

    // --- snapshot, inventory, reports ---
    void snapshotIsSchemaValidAndReloadsToTheSameFindings() {
        auto snapshot = directory.filePath("snapshot.xml");
        auto first = runRelayaudit(
            {"analyze", "--list", "--ldif", writeFile(directory, "d.ldif", domainLdif(true)),
             "--ims-registry",
             writeFile(directory, "EXCH55.reg",
                       parametersExport(false,
                                        {flags("0000000a"),
                                         multiSzLine("RelayAllowList",
                                                     {"10.0.0.0;255.0.0.0", "bad entry"}, false)})),
             "--snapshot-out", snapshot});
        QProcess xmllint;
        xmllint.start(XMLLINT_PROGRAM, {"--noout", "--schema",
                                        RELAYAUDIT_SOURCE_DIR "/schemas/snapshot.xsd", snapshot});
        QVERIFY(xmllint.waitForFinished(30000));
        QVERIFY2(xmllint.exitCode() == 0, xmllint.readAllStandardError().constData());
        auto again = runRelayaudit({"analyze", "--list", "--snapshot", snapshot});
        QCOMPARE(findingsIn(again.out), findingsIn(first.out));
        QVERIFY(findingsIn(first.out).contains("IMS-RELAY-GUEST\tEXCH55"));
    }
    void damagedImsSnapshotIsRefusedOnLoad() {
        auto snapshot = directory.filePath("damaged.xml");
        runRelayaudit(
            {"analyze", "--list", "--ims-registry",
             writeFile(directory, "EXCH55.reg", parametersExport(true, {flags("00000001")})),
             "--snapshot-out", snapshot});
        auto text = readText(snapshot).replace("useAllowList=\"false\"", "useAllowList=\"true\"");
        writeFile(directory, "damaged.xml", text.toStdString());
        auto run = runRelayaudit({"analyze", "--list", "--snapshot", snapshot});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("imsServer"));
    }
    void imsServersAppearInBothReportsEscaped() {
        auto xml = directory.filePath("r.xml");
        auto html = directory.filePath("r.html");
        runRelayaudit(
            {"analyze", "--list", "--ims-server", "<script>EVIL</script>", "--ims-registry",
             writeFile(
                 directory, "EXCH55.reg",
                 parametersExport(true, {flags("00000002"),
                                         multiSzLine("RelayAllowList", {"10.1.2.25"}, true)})),
             "--xml", xml, "--html", html});
        auto xmlText = readText(xml);
        auto htmlText = readText(html);
        QVERIFY(xmlText.contains("kind=\"ims-server\""));
        QVERIFY(xmlText.contains("RelayFlags 0x00000002: allow list; RelayDenyList: absent"));
        QVERIFY(htmlText.contains("ims-server"));
        QVERIFY(htmlText.contains("&lt;script&gt;EVIL&lt;/script&gt;"));
        QVERIFY(!htmlText.contains("<script>EVIL"));
    }
    void samplesGiveTheirDocumentedFindings() {
        auto run =
            runRelayaudit({"analyze", "--list", "--ims-registry",
                           RELAYAUDIT_SOURCE_DIR "/samples/ims/exch55-open.reg", "--ims-registry",
                           RELAYAUDIT_SOURCE_DIR "/samples/ims/exch56-restricted.reg"});
        auto found = findingsIn(run.out);
        found.sort();
        QCOMPARE(found, (QStringList{"IMS-RELAY-GUEST-UNKNOWN\texch56-restricted",
                                     "IMS-RELAY-OPEN\texch55-open"}));
    }
};

QTEST_GUILESS_MAIN(TestImsCli)
#include "tst_ims_cli.moc"
