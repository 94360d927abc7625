// History, waivers, the JSON report and the standard-output summary, end to end with the real
// binary: what changed since the last run (new, open, resolved), accepted risks (accepted,
// expired, stale), --fail-on-new, --keep, and that the JSON carries the XML's content.
#include "base64.h"
#include "directory_builder.h"
#include "html_history_sections.h"
#include "json_text.h"
#include "object_pattern.h"
#include "relayaudit_process.h"
#include "report_formats.h"
#include "scratch_files.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <map>
#include <pugixml.hpp>

using testsupport::Forest;
using testsupport::readBytes;
using testsupport::Run;
using testsupport::writeFile;

namespace {

constexpr const char* kDay1 = "1767225600"; // 2026-01-01
constexpr const char* kDay2 = "1767312000"; // 2026-01-02
constexpr const char* kDay3 = "1767398400"; // 2026-01-03

// A run on the given day.
Run runRelayaudit(const QStringList& arguments, const char* epoch = kDay1) {
    return testsupport::runRelayaudit(arguments, {.sourceDateEpoch = epoch});
}

// A clean virtual server on EXCH01, and an open relay on each of the given servers.
std::string forestWithOpenRelaysOn(const std::vector<std::string>& servers,
                                   const std::string& hostileName = {}) {
    auto forest = testsupport::forestWithSafeVirtualServer();
    for (const auto& server : servers) {
        auto& entry = forest.virtualServer(
            server, 1, {{"msExchSmtpRelayIpList", testsupport::ipSecurityBlob({}, {})}});
        if (!hostileName.empty())
            Forest::set(entry, "adminDisplayName", hostileName);
    }
    return forest.ldif();
}

// Rewrites a format 3 report as format 2 wrote it: each inventory item and each finding on an
// inventory object with its full DN (dn="...", object="...") instead of in/rdn and item, no ids.
void downgradeToFormatTwo(pugi::xml_node root) {
    std::map<std::string, std::string> dnById;
    for (auto item : root.child("inventory").children("item")) {
        if (auto parent = item.attribute("in")) {
            std::string dn =
                std::string(item.attribute("rdn").value()) + "," + dnById.at(parent.value());
            item.remove_attribute("in");
            item.remove_attribute("rdn");
            item.insert_attribute_after("dn", item.attribute("kind")).set_value(dn.c_str());
        }
        if (auto id = item.attribute("id")) {
            dnById[id.value()] = item.attribute("dn").value();
            item.remove_attribute(id);
        }
    }
    for (auto node : root.select_nodes("findings/finding|acceptedRisks/waiver/finding")) {
        auto finding = node.node();
        if (auto item = finding.attribute("item")) {
            finding.insert_attribute_before("object", finding.attribute("objectName"))
                .set_value(dnById.at(item.value()).c_str());
            finding.remove_attribute(item);
        }
    }
    root.attribute("formatVersion").set_value("2");
}

// The open relays of day 2 compared with day 1: EXCH03's is new, EXCH04's still open.
const char* const kOpenRelayPath = "//findings/finding[@rule='EXS-RELAY-OPEN']";
const QStringList kOpenRelaysOnDayTwo = {"EXS-RELAY-OPEN CN=EXCH03 fail new",
                                         "EXS-RELAY-OPEN CN=EXCH04 fail open"};

// "RULE object" of every finding element anywhere in an XML report, with its status and change.
QStringList findingsInXml(const QByteArray& xml, const char* path = "//finding") {
    pugi::xml_document document;
    document.load_buffer(xml.constData(), std::size_t(xml.size()));
    auto root = document.document_element();
    if (std::string_view(root.attribute("formatVersion").value()) == "4")
        testsupport::expandFormatFour(root);
    if (std::string_view(root.attribute("formatVersion").value()) == "3")
        downgradeToFormatTwo(root);
    QStringList found;
    for (auto node : document.select_nodes(path))
        found << QString::fromUtf8(node.node().attribute("rule").value()) + " " +
                     QString::fromUtf8(node.node().attribute("object").value()).section(',', 3, 3) +
                     " " + node.node().attribute("status").value() + " " +
                     node.node().attribute("change").value();
    found.sort();
    return found;
}

bool validates(const QString& schema, const QString& file) {
    QProcess xmllint;
    xmllint.start(XMLLINT_PROGRAM, {"--noout", "--schema", schema, file});
    xmllint.waitForFinished(60000);
    if (xmllint.exitCode() != 0)
        qWarning("%s", xmllint.readAllStandardError().constData());
    return xmllint.exitStatus() == QProcess::NormalExit && xmllint.exitCode() == 0;
}

const QString kReportXsd = RELAYAUDIT_SOURCE_DIR "/schemas/report.xsd";

} // namespace

class TestHistoryWaivers : public QObject {
    Q_OBJECT

    QTemporaryDir directory;
    QString day1, day2;

    // Two runs into one history: EXCH02's open relay is fixed, EXCH03's appears, EXCH04's stays.
    void twoRuns(const QString& history, QStringList extraSecond = {}) {
        QCOMPARE(runRelayaudit({"analyze", "--ldif", day1, "--history", history}, kDay1).exitCode,
                 2);
        QStringList second{"analyze", "--ldif", day2, "--history", history};
        runRelayaudit(second + extraSecond, kDay2);
    }

private slots:
    void initTestCase() {
        QVERIFY(directory.isValid());
        day1 = writeFile(directory, "day1.ldif", forestWithOpenRelaysOn({"EXCH02", "EXCH04"}));
        day2 = writeFile(directory, "day2.ldif", forestWithOpenRelaysOn({"EXCH03", "EXCH04"}));
    }

    // Day 2 analysed against a baseline of day 1 (or a report standing for it), into the XML
    // report NAME in the test directory; its path.
    QString dayTwoAgainst(const QString& baseline, const char* name) {
        auto xml = directory.filePath(name);
        runRelayaudit({"analyze", "--ldif", day2, "--baseline", baseline, "--xml", xml}, kDay2);
        return xml;
    }

    void twoRunsShowNewOpenAndResolvedInXmlHtmlAndJson() {
        auto history = directory.filePath("h1");
        auto xml = directory.filePath("second.xml"), json = directory.filePath("second.json");
        twoRuns(history, {"--xml", xml, "--json", json});
        QCOMPARE(findingsInXml(readBytes(xml), kOpenRelayPath), kOpenRelaysOnDayTwo);
        QCOMPARE(findingsInXml(readBytes(xml), "//comparison/resolved[@rule='EXS-RELAY-OPEN']"),
                 QStringList{"EXS-RELAY-OPEN CN=EXCH02 fail "});
        auto html = QString::fromUtf8(readBytes(history + "/latest.html"));
        auto changes = html.section("id=\"changes\"", 1).section("</section>", 0, 0);
        QVERIFY(changes.section("<h3>Resolved</h3>", 0, 0).contains("CN=EXCH03"));
        QVERIFY(changes.section("<h3>Resolved</h3>", 1).contains("CN=EXCH02"));
        QVERIFY(!changes.contains("CN=EXCH04"));
        const QJsonObject document = QJsonDocument::fromJson(readBytes(json)).object();
        QCOMPARE(document["comparison"]["resolved"].toArray().size(),
                 document["summary"]["resolved"].toInt());
        QVERIFY(document["summary"]["new"].toInt() >= 1);
        QVERIFY(validates(kReportXsd, xml));
    }
    void resolvedAndNewRowsEscapeDirectoryText() {
        auto baseline = directory.filePath("hostile-baseline.xml");
        runRelayaudit({"analyze", "--ldif", day1, "--xml", baseline});
        QByteArray bytes = readBytes(baseline);
        bytes.replace("CN=EXCH02", "CN=&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img "
                                   "src=x onerror=alert(2)&gt;");
        QFile::remove(baseline);
        writeFile(directory, "hostile-baseline.xml", bytes.toStdString());
        auto html = directory.filePath("hostile.html");
        runRelayaudit({"analyze", "--ldif", day2, "--baseline", baseline, "--html", html}, kDay2);
        auto page = QString::fromUtf8(readBytes(html));
        auto changes = page.section("id=\"changes\"", 1).section("</section>", 0, 0);
        QVERIFY(changes.contains("&lt;script&gt;alert(1)"));
        QVERIFY(!page.contains("<script"));
        QVERIFY(!page.contains("<img"));
    }
    void longChangeListsAreCappedInTheHtml() {
        relayaudit::AuditReport report;
        report.comparison.enabled = true;
        report.comparison.baseline = "latest.xml";
        for (int i = 0; i < 1000; ++i)
            report.comparison.resolved.push_back(
                {"EXS-RELAY-OPEN", "critical", "fail", "CN=" + std::to_string(i), "", "", ""});
        std::string out;
        relayaudit::renderChanges(out, report);
        QCOMPARE(QString::fromStdString(out).count("<tr>"), 51); // header row + 50
        QVERIFY(out.find("+950 more, see the XML report") != std::string::npos);
    }
    // A history kept by an earlier relayaudit holds format 1 reports (the rule's title and prose
    // in every finding, no <rules>): they still give open, new and resolved, with titles.
    void formatOneBaselineIsStillRead() {
        auto current = directory.filePath("format2.xml");
        runRelayaudit({"analyze", "--ldif", day1, "--xml", current});
        pugi::xml_document document;
        auto bytes = readBytes(current);
        QVERIFY(document.load_buffer(bytes.constData(), std::size_t(bytes.size())));
        auto root = document.document_element();
        testsupport::expandFormatFour(root);
        downgradeToFormatTwo(root);
        root.attribute("formatVersion").set_value("1");
        auto rules = root.child("rules");
        for (auto finding : root.child("findings").children("finding")) {
            auto rule =
                rules.find_child_by_attribute("rule", "id", finding.attribute("rule").value());
            finding.prepend_child("title").text().set(
                ("Old title of " + std::string(rule.child_value("title"))).c_str());
            finding.append_attribute("firstSeen").set_value("2025-12-01");
        }
        root.remove_child(rules);
        auto baseline = directory.filePath("format1.xml");
        QVERIFY(document.save_file(baseline.toStdString().c_str()));
        auto xml = dayTwoAgainst(baseline, "against-format1.xml");
        QCOMPARE(findingsInXml(readBytes(xml), kOpenRelayPath), kOpenRelaysOnDayTwo);
        pugi::xml_document result;
        auto resultBytes = readBytes(xml);
        QVERIFY(result.load_buffer(resultBytes.constData(), std::size_t(resultBytes.size())));
        auto open = result.select_node("//finding[@change='open']").node();
        QCOMPARE(open.attribute("firstSeen").value(), "2025-12-01");
        auto resolved = result.select_node("//comparison/resolved[@rule='EXS-RELAY-OPEN']").node();
        QVERIFY(std::string(resolved.attribute("object").value()).find("CN=EXCH02") !=
                std::string::npos);
        QVERIFY(std::string_view(resolved.child_value()).starts_with("Old title of "));
    }
    // A history kept by the previous relayaudit holds format 2 reports (full DNs in findings and
    // inventory): findings still match by rule and DN, so open, new and resolved are right.
    void formatTwoBaselineIsStillRead() {
        auto current = directory.filePath("current-for-format2.xml");
        runRelayaudit({"analyze", "--ldif", day1, "--xml", current});
        pugi::xml_document document;
        auto bytes = readBytes(current);
        QVERIFY(document.load_buffer(bytes.constData(), std::size_t(bytes.size())));
        QVERIFY(document.select_node("//findings/finding[@item]")); // the case being converted
        testsupport::expandFormatFour(document.document_element());
        downgradeToFormatTwo(document.document_element());
        QVERIFY(!document.select_node("//findings/finding[@item]"));
        auto baseline = directory.filePath("format2.xml");
        QVERIFY(document.save_file(baseline.toStdString().c_str()));
        auto xml = dayTwoAgainst(baseline, "against-format2.xml");
        QCOMPARE(findingsInXml(readBytes(xml), kOpenRelayPath), kOpenRelaysOnDayTwo);
    }
    // A current baseline (format 4: findings naming inventory items) matches the same way.
    void currentBaselineMatchesFindingsThroughTheInventory() {
        auto baseline = directory.filePath("format4-baseline.xml");
        runRelayaudit({"analyze", "--ldif", day1, "--xml", baseline});
        QVERIFY(readBytes(baseline).contains(" item=\""));
        auto xml = dayTwoAgainst(baseline, "against-format4.xml");
        QCOMPARE(findingsInXml(readBytes(xml), kOpenRelayPath), kOpenRelaysOnDayTwo);
        QCOMPARE(findingsInXml(readBytes(xml), "//comparison/resolved[@rule='EXS-RELAY-OPEN']"),
                 QStringList{"EXS-RELAY-OPEN CN=EXCH02 fail "});
    }
    // tests/data/reports holds one run over the three samples (with waivers.xml) as relayaudit
    // wrote it before format 4 (samples-format3.xml) and as format 4 (samples-format4.xml). A
    // run compared with either gets the same report: the same new, open and resolved findings,
    // the resolved ones with the same severity, status, object, name, title and date. So the
    // values format 4 leaves out are derived as format 3 gave them.
    void formatThreeAndFourBaselinesOfOneRunGiveTheSameComparison() {
        auto compareWith = [&](const QString& name) {
            auto xml = directory.filePath("against-" + name);
            auto run = runRelayaudit(
                {"analyze", "--ldif", RELAYAUDIT_SOURCE_DIR "/samples/corp-domain.ldif",
                 "--baseline", RELAYAUDIT_TEST_DATA "/reports/" + name, "--xml", xml},
                kDay2);
            if (run.exitCode == 1)
                qWarning("%s", qPrintable(run.err));
            return readBytes(xml);
        };
        QByteArray againstThree = compareWith("samples-format3.xml");
        QByteArray againstFour = compareWith("samples-format4.xml");
        QVERIFY(againstThree.contains("samples-format3.xml"));
        againstThree.replace("samples-format3.xml", "samples-format4.xml"); // comparison@baseline
        QCOMPARE(againstFour, againstThree);
        pugi::xml_document document;
        QVERIFY(document.load_buffer(againstThree.constData(), std::size_t(againstThree.size())));
        auto resolved = document.select_nodes("//comparison/resolved");
        QVERIFY(resolved.size() >= 10);
        for (const char* shown :
             {"[@status='accepted']", "[@status='unknown'][@severity='error']",
              "[@objectName='EXCH001: SMTP Virtual Server #3'][@severity='warning']",
              "[@objectName='Guest']", "[@rule='EXS-RELAY-OPEN'][@status='fail']"}) {
            auto path = std::string("//comparison/resolved") + shown;
            QVERIFY2(document.select_node(path.c_str()), shown);
        }
        for (const auto& node : resolved)
            QVERIFY(*node.node().child_value() && *node.node().attribute("firstSeen").value());
    }
    // A format 2 baseline gives a resolved finding its title from the baseline's <rules>.
    void resolvedFindingOfFormatTwoTakesItsTitleFromTheRules() {
        auto history = directory.filePath("h-titles");
        twoRuns(history);
        pugi::xml_document document;
        auto xml = readBytes(history + "/latest.xml");
        QVERIFY(document.load_buffer(xml.constData(), std::size_t(xml.size())));
        auto resolved =
            document.select_node("//comparison/resolved[@rule='EXS-RELAY-OPEN']").node();
        QVERIFY(resolved);
        auto title = document.select_node("//rules/rule[@id='EXS-RELAY-OPEN']/title").node();
        QVERIFY(!std::string_view(title.child_value()).empty());
        QCOMPARE(resolved.child_value(), title.child_value());
    }
    void openFindingKeepsTheDateItWasFirstSeen() {
        auto history = directory.filePath("h2");
        twoRuns(history);
        pugi::xml_document document;
        auto xml = readBytes(history + "/latest.xml");
        document.load_buffer(xml.constData(), std::size_t(xml.size()));
        auto open = document.select_node("//finding[@change='open']").node();
        auto fresh = document.select_node("//finding[@change='new']").node();
        QCOMPARE(open.attribute("firstSeen").value(), "2026-01-01");
        QCOMPARE(fresh.attribute("firstSeen").value(), "2026-01-02");
    }
    void findingsMatchByRuleAndDnIgnoringCase() {
        auto baseline = directory.filePath("upper.xml");
        runRelayaudit({"analyze", "--ldif", day1, "--xml", baseline});
        QByteArray upper = readBytes(baseline);
        upper.replace("CN=EXCH04", "cn=exch04").replace("EXS-RELAY-OPEN", "exs-relay-open");
        QFile::remove(baseline);
        writeFile(directory, "upper.xml", upper.toStdString());
        auto xml = directory.filePath("vs-upper.xml");
        runRelayaudit({"analyze", "--ldif", day1, "--baseline", baseline, "--xml", xml}, kDay2);
        auto findings = findingsInXml(readBytes(xml), "//findings/finding[@rule='EXS-RELAY-OPEN']");
        QCOMPARE(findings, (QStringList{"EXS-RELAY-OPEN CN=EXCH02 fail open",
                                        "EXS-RELAY-OPEN CN=EXCH04 fail open"}));
    }
    void failOnNewCountsOnlyNewFindings() {
        auto history = directory.filePath("h3");
        QCOMPARE(runRelayaudit({"analyze", "--ldif", day1, "--history", history, "--fail-on-new"})
                     .exitCode,
                 2); // first run: everything is new
        QCOMPARE(
            runRelayaudit({"analyze", "--ldif", day1, "--history", history, "--fail-on-new"}, kDay2)
                .exitCode,
            0);
        QCOMPARE(
            runRelayaudit({"analyze", "--ldif", day2, "--history", history, "--fail-on-new"}, kDay3)
                .exitCode,
            2);
        QCOMPARE(runRelayaudit({"analyze", "--ldif", day1, "--fail-on-new"}).exitCode, 1);
    }
    void keepPrunesTheOldestDatedReports() {
        auto history = directory.filePath("h4");
        for (const char* epoch : {kDay1, kDay2, kDay3})
            runRelayaudit({"analyze", "--ldif", day1, "--history", history, "--keep", "2"}, epoch);
        runRelayaudit({"analyze", "--ldif", day1, "--history", history, "--keep", "2"}, kDay3);
        QDir dir(history);
        QCOMPARE(dir.entryList(QDir::Files, QDir::Name),
                 (QStringList{"latest.html", "latest.xml", "report-20260103T000000Z.2.xml",
                              "report-20260103T000000Z.xml"}));
        QCOMPARE(runRelayaudit({"analyze", "--ldif", day1, "--history", history, "--keep", "-1"})
                     .exitCode,
                 1);
    }

    void waiverMovesAFindingToAcceptedAndChangesTheExitCode() {
        auto waivers =
            writeFile(directory, "one.xml",
                      "<waivers>\n  <waiver rule=\"EXS-RELAY-OPEN\" object=\"CN=1,CN=SMTP,"
                      "CN=Protocols,CN=exch02,*\" owner=\"mail team\" "
                      "expires=\"2027-06-30\">Relay host behind the firewall</waiver>\n"
                      "</waivers>\n");
        QVERIFY(validates(RELAYAUDIT_SOURCE_DIR "/schemas/waivers.xsd", waivers));
        auto only = writeFile(directory, "only-exch02.ldif", forestWithOpenRelaysOn({"EXCH02"}));
        auto xml = directory.filePath("waived.xml"), html = directory.filePath("waived.html");
        auto json = directory.filePath("waived.json");
        QCOMPARE(runRelayaudit({"analyze", "--ldif", only, "--fail-on", "critical"}).exitCode, 2);
        auto run = runRelayaudit({"analyze", "--ldif", only, "--fail-on", "critical", "--waivers",
                                  waivers, "--xml", xml, "--html", html, "--json", json});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(findingsInXml(readBytes(xml), "//acceptedRisks/waiver/finding"),
                 QStringList{"EXS-RELAY-OPEN CN=EXCH02 accepted "});
        QVERIFY(
            findingsInXml(readBytes(xml), "//findings/finding[@rule='EXS-RELAY-OPEN']").isEmpty());
        QVERIFY(validates(kReportXsd, xml));
        {
            // The accepted finding names its inventory item, as a reported one does.
            pugi::xml_document report;
            QVERIFY(report.load_file(xml.toStdString().c_str()));
            auto accepted = report.select_node("//acceptedRisks/waiver/finding").node();
            QVERIFY(accepted.attribute("item"));
            auto item = report.select_node(
                ("//inventory/item[@id='" + std::string(accepted.attribute("item").value()) + "']")
                    .c_str());
            QVERIFY(item);
            QVERIFY(QString(item.node().attribute("rdn").value())
                        .startsWith("CN=1,CN=SMTP,CN=Protocols,CN=EXCH02,"));
        }
        auto section = QString::fromUtf8(readBytes(html)).section("id=\"accepted-risks\"", 1);
        QVERIFY(section.contains("mail team") && section.contains("2027-06-30") &&
                section.contains("Relay host behind the firewall") && section.contains("EXCH02"));
        auto accepted = QJsonDocument::fromJson(readBytes(json))["acceptedRisks"][0];
        QCOMPARE(accepted["findings"][0]["status"].toString(), QString("accepted"));
        QCOMPARE(accepted["owner"].toString(), QString("mail team"));
    }
    void expiredWaiverCountsAgainAndTheReportSaysSo() {
        auto waivers = writeFile(directory, "expired.xml",
                                 "<waivers><waiver rule=\"EXS-RELAY-OPEN\" object=\"*CN=EXCH02,*\" "
                                 "owner=\"bob\" expires=\"2025-12-31\">until the move</waiver>"
                                 "</waivers>");
        auto only = writeFile(directory, "only-exch02.ldif", forestWithOpenRelaysOn({"EXCH02"}));
        auto xml = directory.filePath("expired-report.xml");
        auto html = directory.filePath("expired-report.html");
        auto run = runRelayaudit({"analyze", "--ldif", only, "--fail-on", "critical", "--waivers",
                                  waivers, "--xml", xml, "--html", html});
        QCOMPARE(run.exitCode, 2);
        pugi::xml_document document;
        auto bytes = readBytes(xml);
        document.load_buffer(bytes.constData(), std::size_t(bytes.size()));
        auto waiver = document.select_node("//acceptedRisks/waiver").node();
        QCOMPARE(waiver.attribute("state").value(), "expired");
        QCOMPARE(waiver.attribute("expiredMatches").as_int(), 1);
        QVERIFY(QString::fromUtf8(readBytes(html)).contains("Expired after 2025-12-31"));
        // The last day is still covered.
        QCOMPARE(runRelayaudit(
                     {"analyze", "--ldif", only, "--fail-on", "critical", "--waivers", waivers},
                     "1767139200") // 2025-12-31
                     .exitCode,
                 0);
    }
    void waiverThatMatchesNothingIsListedAsStale() {
        auto waivers = writeFile(directory, "stale.xml",
                                 "<waivers><waiver rule=\"EXS-RELAY-OPEN\" object=\"CN=gone,*\" "
                                 "owner=\"bob\" expires=\"2030-01-01\">server retired</waiver>"
                                 "</waivers>");
        auto xml = directory.filePath("stale-report.xml");
        auto run = runRelayaudit({"analyze", "--ldif", day1, "--waivers", waivers, "--xml", xml});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(readBytes(xml).contains("state=\"stale\""));
        QVERIFY(run.out.contains("1 stale"));
    }
    void malformedWaiverFileExitsOneWithFileAndLine() {
        auto waivers = writeFile(directory, "bad.xml",
                                 "<waivers>\n<waiver rule=\"X\" object=\"*\" owner=\"o\" "
                                 "expires=\"2027-02-30\">why</waiver>\n</waivers>\n");
        auto run = runRelayaudit({"analyze", "--ldif", day1, "--waivers", waivers});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(waivers + ":2:"), qPrintable(run.err));
        auto broken = writeFile(directory, "broken.xml", "<waivers>\n\n<waiver rule=\"X\"\n");
        auto second = runRelayaudit({"analyze", "--ldif", day1, "--waivers", broken});
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains(broken + ":"), qPrintable(second.err));
        auto noReason = writeFile(directory, "noreason.xml",
                                  "<waivers><waiver rule=\"X\" object=\"*\" owner=\"o\" "
                                  "expires=\"2027-01-01\"/></waivers>");
        QCOMPARE(runRelayaudit({"analyze", "--ldif", day1, "--waivers", noReason}).exitCode, 1);
    }

    void objectPatternStarMatchesAnyRunIgnoringCase() {
        using relayaudit::objectMatches;
        QVERIFY(objectMatches("CN=1,CN=SMTP,*", "cn=1,cn=smtp,CN=Protocols,DC=x"));
        QVERIFY(objectMatches("*", ""));
        QVERIFY(objectMatches("a*b*c", "abc"));
        QVERIFY(objectMatches("a*b*c", "aXbYbZc"));
        QVERIFY(!objectMatches("a*b*c", "acb"));
        QVERIFY(!objectMatches("ab*ba", "aba")); // head and tail must not overlap
        QVERIFY(!objectMatches("CN=1", "CN=10"));
    }
    void objectPatternTakesLinearTimeOnHostileInput() {
        std::string dn(200000, 'a');
        std::string pattern;
        for (int i = 0; i < 2000; ++i)
            pattern += "*a";
        pattern += "*b";
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!relayaudit::objectMatches(pattern, dn));
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    }

    void jsonStringEscapesEveryControlCharacterAndInvalidUtf8() {
        std::string raw = std::string("q\"b\\t\tn\nc\x01", 10) + "\x7F\xC2\x85\xE2\x80\xA8\xFF" +
                          std::string(1, '\0') + "\xC3\xBC";
        std::string out = "[";
        relayaudit::appendJsonString(out, raw);
        out += "]";
        for (unsigned char c : out)
            QVERIFY2(c >= 0x20, "a raw control byte reached the JSON text");
        QJsonParseError error{};
        auto parsed = QJsonDocument::fromJson(QByteArray::fromStdString(out), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(parsed.array()[0].toString(),
                 QString::fromUtf8("q\"b\\t\tn\nc\\01\x7F\xC2\x85\xE2\x80\xA8\\FF\\00\xC3\xBC"));
    }
    void jsonReportCarriesTheXmlContent() {
        // Hostile text in a friendly name: control characters, invalid UTF-8, quotes, markup.
        auto ldif = writeFile(directory, "hostile.ldif",
                              forestWithOpenRelaysOn({"EXCH02"}, "V\x01S \"<b>\" \xFF\\ \t end"));
        auto waivers =
            writeFile(directory, "mixed.xml",
                      "<waivers><waiver rule=\"EXS-RELAY-OPEN\" object=\"*\" owner=\"o\" "
                      "expires=\"2030-01-01\">ok</waiver><waiver rule=\"NONE\" object=\"*\" "
                      "owner=\"o\" expires=\"2020-01-01\">old</waiver></waivers>");
        auto history = directory.filePath("h5");
        runRelayaudit({"analyze", "--ldif", day1, "--history", history});
        auto xml = directory.filePath("same.xml"), json = directory.filePath("same.json");
        auto run = runRelayaudit({"analyze", "--ldif", ldif, "--history", history, "--waivers",
                                  waivers, "--xml", xml, "--json", json},
                                 kDay2);
        QVERIFY2(run.exitCode == 0 || run.exitCode == 2, qPrintable(run.err));
        QJsonParseError error{};
        auto document = QJsonDocument::fromJson(readBytes(json), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        pugi::xml_document xmlDocument;
        auto bytes = readBytes(xml);
        QVERIFY(xmlDocument.load_buffer(bytes.constData(), std::size_t(bytes.size())));
        QCOMPARE(xmlDocument.document_element().attribute("formatVersion").value(), "4");
        // The JSON repeats every value format 4 derives, and gives every DN whole.
        testsupport::expandFormatFour(xmlDocument.document_element());
        downgradeToFormatTwo(xmlDocument.document_element());
        QCOMPARE(xmlToJson(xmlDocument.document_element()), QJsonValue(document.object()));
        QVERIFY(bytes.contains("V\\01S")); // the hostile name really is in both
    }
    void jsonReportMatchesItsSchema() {
        auto json = directory.filePath("schema.json");
        auto waivers = writeFile(directory, "schema-waivers.xml",
                                 "<waivers><waiver rule=\"EXS-RELAY-OPEN\" object=\"*EXCH04*\" "
                                 "owner=\"o\" expires=\"2030-01-01\">ok</waiver></waivers>");
        auto history = directory.filePath("h6");
        runRelayaudit({"analyze", "--ldif", day1, "--history", history});
        runRelayaudit(
            {"analyze", "--ldif", day2, "--history", history, "--waivers", waivers, "--json", json},
            kDay2);
        QProcess python;
        python.start("python3", {"-c",
                                 "import json, sys, jsonschema\n"
                                 "schema = json.load(open(sys.argv[1]))\n"
                                 "jsonschema.Draft202012Validator.check_schema(schema)\n"
                                 "jsonschema.validate(json.load(open(sys.argv[2])), schema,"
                                 " cls=jsonschema.Draft202012Validator)\n",
                                 RELAYAUDIT_SOURCE_DIR "/schemas/report.schema.json", json});
        QVERIFY2(python.waitForFinished(60000), "python3 did not run (scripts/bootstrap test "
                                                "installs python3-jsonschema)");
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    }

    void defaultOutputIsASummaryAndQuietIsSilentOnSuccess() {
        auto xml = directory.filePath("summary.xml");
        auto run = runRelayaudit({"analyze", "--ldif", day1, "--xml", xml});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.startsWith("Verdict: FAIL"));
        QVERIFY(run.out.contains("critical fail 2;"));
        QVERIFY(run.out.contains("  EXS-RELAY-OPEN  critical fail  2  CN=1,CN=SMTP"));
        QVERIFY(run.out.contains("and 1 more"));
        QVERIFY(run.out.contains("XML report " + xml));
        QVERIFY(!run.out.contains('\t'));
        auto clean = writeFile(directory, "clean.ldif", forestWithOpenRelaysOn({}));
        QCOMPARE(runRelayaudit({"analyze", "--ldif", clean, "--quiet"}).out, QString());
        auto failing = runRelayaudit({"analyze", "--ldif", day1, "--quiet"});
        QVERIFY(failing.out.startsWith("Verdict: FAIL"));
    }
    void longDnsAreShortenedToTheNameOnATerminalOnly() {
        // script(1) (util-linux) runs the binary on a pseudo-terminal.
        QProcess script;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("SOURCE_DATE_EPOCH", kDay1);
        script.setProcessEnvironment(environment);
        script.start("script",
                     {"-qec", QString(RELAYAUDIT_BINARY) + " analyze --ldif " + day1, "/dev/null"});
        QVERIFY2(script.waitForFinished(60000), "script(1) from util-linux did not run");
        auto terminal = QString::fromUtf8(script.readAllStandardOutput());
        QVERIFY2(terminal.contains(
                     "  EXS-RELAY-OPEN  critical fail  2  EXCH02: Default SMTP Virtual Server"),
                 qPrintable(terminal));
        auto piped = runRelayaudit({"analyze", "--ldif", day1});
        QVERIFY(
            piped.out.contains("  EXS-RELAY-OPEN  critical fail  2  CN=1,CN=SMTP,CN=Protocols"));
    }
    void summaryLinesCannotBeForgedByDirectoryText() {
        auto forest = testsupport::forestWithoutServers();
        forest.virtualServer("EXCH02", 1,
                             {{"msExchSmtpRelayIpList", testsupport::ipSecurityBlob({}, {})}});
        std::string decoded = "CN=1,CN=SMTP,CN=Protocols,CN=EX\nVerdict: PASS\x1b[31m,CN=Servers,"
                              "CN=First Administrative Group,CN=Administrative Groups," +
                              forest.organization();
        forest.entries.back().dn = decoded;
        std::string ldif = forest.ldif();
        auto plain = "dn: " + decoded + "\n";
        auto at = ldif.find(plain);
        QVERIFY(at != std::string::npos);
        ldif.replace(at, plain.size(), "dn:: " + relayaudit::base64Encode(decoded) + "\n");
        auto run = runRelayaudit({"analyze", "--ldif", writeFile(directory, "forged.ldif", ldif)});
        for (const auto& line : run.out.split('\n'))
            QVERIFY2(!line.startsWith("Verdict: PASS"), qPrintable(line));
        QVERIFY(!run.out.contains(QChar(0x1B)));
    }

private:
    // The XML report read the way report_json.cpp writes it, for comparing the two: attributes
    // become members, repeated children become arrays under the JSON's names, text members.
    static QJsonValue xmlToJson(pugi::xml_node node);
};

namespace {

QString text(const char* value) {
    return QString::fromUtf8(value);
}

QJsonObject attributes(pugi::xml_node node) {
    QJsonObject object;
    for (auto attribute : node.attributes()) {
        std::string_view name = attribute.name();
        bool number = (std::string_view(node.name()) == "summary" || name == "fail" ||
                       name == "unknown" || name == "expiredMatches") &&
                      name != "severity";
        if (number)
            object[text(attribute.name())] = attribute.as_int();
        else
            object[text(attribute.name())] = text(attribute.value());
    }
    return object;
}

QJsonArray textsOf(pugi::xml_node parent, const char* child) {
    QJsonArray array;
    for (auto node : parent.children(child))
        array.append(text(node.child_value()));
    return array;
}

// The JSON report keeps format 1's shape (each finding with its rule's prose); the XML gives the
// prose once per rule, so the rule's part is looked up by the finding's rule ID.
QJsonObject findingToJson(pugi::xml_node node, pugi::xml_node rules) {
    QJsonObject object = attributes(node);
    auto rule = rules.find_child_by_attribute("rule", "id", node.attribute("rule").value());
    object["kind"] = text(rule.attribute("kind").value());
    if (rule.attribute("pack"))
        object["pack"] = text(rule.attribute("pack").value());
    object["title"] = text(rule.child_value("title"));
    object["message"] = text(node.child_value("message"));
    QJsonArray evidence;
    for (auto item : node.children("evidence")) {
        QJsonObject row = attributes(item);
        if (!item.attribute("expected"))
            row["expected"] = text(rule.find_child_by_attribute("evidence", "attribute",
                                                                item.attribute("attribute").value())
                                       .attribute("expected")
                                       .value());
        evidence.append(row);
    }
    object["evidence"] = evidence;
    object["why"] = text(rule.child_value("why"));
    object["remediation"] = textsOf(rule.child("remediation"), "step");
    QJsonArray references;
    for (auto reference : rule.child("references").children("reference"))
        references.append(QJsonObject{{"title", text(reference.child_value())},
                                      {"url", text(reference.attribute("url").value())}});
    object["references"] = references;
    return object;
}

} // namespace

QJsonValue TestHistoryWaivers::xmlToJson(pugi::xml_node root) {
    QJsonObject report;
    // The JSON report kept format 1's shape and says so; the XML is format 2 (checked by the
    // caller).
    report["formatVersion"] = "1";
    auto rules = root.child("rules");
    auto run = root.child("run");
    QJsonObject runObject = attributes(run);
    runObject["inputs"] = textsOf(run, "input");
    QJsonArray packs;
    for (auto pack : run.children("rulePack"))
        packs.append(attributes(pack));
    runObject["rulePacks"] = packs;
    runObject["notes"] = textsOf(run, "note");
    report["run"] = runObject;
    QJsonObject summary = attributes(root.child("summary"));
    QJsonArray counts;
    for (auto count : root.child("summary").children("count"))
        counts.append(attributes(count));
    summary["counts"] = counts;
    report["summary"] = summary;
    QJsonArray findings;
    for (auto finding : root.child("findings").children("finding"))
        findings.append(findingToJson(finding, rules));
    report["findings"] = findings;
    if (auto comparison = root.child("comparison")) {
        QJsonObject object = attributes(comparison);
        QJsonArray resolved;
        for (auto item : comparison.children("resolved")) {
            QJsonObject entry = attributes(item);
            entry["title"] = text(item.child_value());
            resolved.append(entry);
        }
        object["resolved"] = resolved;
        report["comparison"] = object;
    }
    if (auto accepted = root.child("acceptedRisks")) {
        QJsonArray waivers;
        for (auto waiver : accepted.children("waiver")) {
            QJsonObject object = attributes(waiver);
            object["reason"] = text(waiver.child_value("reason"));
            QJsonArray covered;
            for (auto finding : waiver.children("finding"))
                covered.append(findingToJson(finding, rules));
            object["findings"] = covered;
            waivers.append(object);
        }
        report["acceptedRisks"] = waivers;
    }
    QJsonArray inventory;
    for (auto item : root.child("inventory").children("item")) {
        QJsonObject object = attributes(item);
        object["detail"] = text(item.child_value());
        inventory.append(object);
    }
    report["inventory"] = inventory;
    report["manualChecks"] = textsOf(root.child("manualChecks"), "check");
    return report;
}

QTEST_GUILESS_MAIN(TestHistoryWaivers)
#include "tst_history_waivers.moc"
