// Reporters: the XML report validates against its schema and keeps everything; the HTML report is
// self-contained, locked down by its CSP, and renders hostile directory strings as inert text.
#include "base64.h"
#include "csp.h"
#include "findings.h"
#include "html_escape.h"
#include "html_evidence.h"
#include "html_rule_card.h"
#include "output_sink.h"
#include "report_formats.h"
#include "reporters.h"
#include "text_encoding.h"
#include "xml_writer.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <bit>
#include <pugixml.hpp>
#include <random>
#include <string>

using namespace relayaudit;

namespace {

// A DN as a hostile directory writer could make it: markup, quotes, an ampersand, a control
// byte and a byte that is not UTF-8.
const std::string kHostileDn =
    "CN=<script>alert(1)</script>,CN=\"q\" & 'a'\x01\xff,CN=Servers,DC=example,DC=com";

Rule makeRule(std::string id, Severity severity, RuleKind kind, std::string title) {
    Rule rule;
    rule.id = std::move(id);
    rule.severity = severity;
    rule.kind = kind;
    rule.title = std::move(title);
    rule.why = "Anyone on the Internet can send mail through this server.";
    rule.remediation = {"Open Exchange System Manager.", "Clear \"Allow all computers\"."};
    rule.references = {
        {"KB 324958: relay restrictions", "https://support.microsoft.com/kb/324958"}};
    rule.evidence = {{"msExchSmtpRelayIpList", "@relayList", "empty list"}};
    rule.pack = "exchange-2003";
    return rule;
}

// Findings point at rules, so rules need static storage.
const Rule& openRelay() {
    static const Rule rule =
        makeRule("RELAY-001", Severity::Critical, RuleKind::Unsafe, "Open relay for everyone");
    return rule;
}
const Rule& nonDefaultBanner() {
    static const Rule rule =
        makeRule("SMTP-010", Severity::NonDefault, RuleKind::NonDefault, "SMTP banner changed");
    return rule;
}
const Rule& unreadableRelayList() {
    static const Rule rule = makeRule("RELAY-900", Severity::Warning, RuleKind::CannotJudge,
                                      "Relay list could not be decoded");
    return rule;
}

Finding makeFinding(const Rule& rule, std::string object, std::string name) {
    Finding finding;
    finding.rule = &rule;
    finding.object = std::move(object);
    finding.objectName = std::move(name);
    finding.message = "msExchSmtpRelayIpList is empty and grants by default.";
    finding.evidence = {{"msExchSmtpRelayIpList", "(empty)", "a list of trusted hosts"}};
    return finding;
}

AuditReport cleanReport() {
    AuditReport report;
    report.run.toolVersion = "0.1.0";
    report.run.generatedAt = "2024-05-01T02:00:00Z";
    report.run.target = "example.com";
    report.run.inputs = {"snapshot.ldif"};
    report.run.packs = {{"exchange-2003", "1.0", "builtin:rules/exchange-2003.xml"}};
    report.inventory = {
        {"virtual-server", "CN=1,CN=SMTP,CN=Protocols,CN=EX1,DC=example,DC=com", "EX1 SMTP 1",
         "relay: only the list below (2 entries)"},
        {"virtual-server", "CN=2,CN=SMTP,CN=Protocols,CN=EX2,DC=example,DC=com", "EX2 SMTP 1",
         "relay: nobody"},
    };
    return report;
}

AuditReport criticalReport() {
    AuditReport report = cleanReport();
    report.findings = {
        makeFinding(openRelay(), "CN=1,CN=SMTP,CN=Protocols,CN=EX1,DC=example,DC=com", "EX1"),
        makeFinding(nonDefaultBanner(), "CN=2,CN=SMTP,CN=Protocols,CN=EX2,DC=example,DC=com",
                    "EX2"),
        makeFinding(unreadableRelayList(), "CN=3,DC=example,DC=com", "EX3"),
    };
    report.manualChecks = {"Check the receive connectors on Exchange 2007+ servers."};
    return report;
}

// Every string field carries hostile text, so any unescaped path shows up in the output.
AuditReport hostileReport() {
    static const Rule rule = [] {
        Rule r = makeRule("RELAY-666", Severity::Error, RuleKind::Unsafe, "<b>bold</b> & \x01");
        r.references.push_back({"javascript link", "javascript:alert(1)"});
        r.references.push_back({"quote breaker", "https://example.com/\"onmouseover=\"alert(1)"});
        return r;
    }();
    AuditReport report = criticalReport();
    report.run.target = kHostileDn;
    report.run.inputs.push_back(kHostileDn);
    report.run.notes = {kHostileDn};
    Finding finding = makeFinding(rule, kHostileDn, kHostileDn);
    finding.message = kHostileDn;
    finding.evidence = {{kHostileDn, kHostileDn, kHostileDn}};
    report.findings.push_back(finding);
    report.inventory.push_back({"virtual-server", kHostileDn, kHostileDn, kHostileDn});
    report.manualChecks.push_back(kHostileDn);
    return report;
}

// The DN of an inventory item of a format 3 report: dn, or rdn under the item named by in.
std::string itemDn(pugi::xml_node inventory, const char* id) {
    auto item = inventory.find_child_by_attribute("item", "id", id);
    if (auto parent = item.attribute("in"))
        return std::string(item.attribute("rdn").value()) + "," + itemDn(inventory, parent.value());
    return item.attribute("dn").value();
}

// A finding's object DN: object="...", or the DN of the inventory item it names.
std::string objectOf(pugi::xml_node finding) {
    if (auto item = finding.attribute("item"))
        return itemDn(finding.root().first_element_by_path("relayauditReport/inventory"),
                      item.value());
    return finding.attribute("object").value();
}

QString toQString(const std::string& text) {
    return QString::fromUtf8(text.data(), text.size());
}

// Runs xmllint --schema on the document; returns its exit code (0 = valid) and prints why an
// expected-valid document failed.
int validate(const std::string& xml, bool expectInvalid = false) {
    QTemporaryDir dir;
    QString path = dir.filePath("report.xml");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return -1;
    file.write(xml.data(), qint64(xml.size()));
    file.close();
    QProcess xmllint;
    xmllint.start(XMLLINT_PROGRAM,
                  {"--noout", "--schema", RELAYAUDIT_SOURCE_DIR "/schemas/report.xsd", path});
    if (!xmllint.waitForFinished(30000))
        return -1;
    if (xmllint.exitCode() != 0 && !expectInvalid)
        qWarning().noquote() << xmllint.readAllStandardError();
    return xmllint.exitCode();
}

std::string styleText(const std::string& html) {
    auto begin = html.find("<style>");
    auto end = html.find("</style>");
    if (begin == std::string::npos || end == std::string::npos)
        return {};
    begin += 7;
    return html.substr(begin, end - begin);
}

// One finding of the open-relay rule whose evidence lists 10.0.0.1, 10.0.0.2, ... 10.0.0.<rows>.
AuditReport reportWithEvidenceRows(std::size_t rows) {
    AuditReport report = cleanReport();
    Finding finding = makeFinding(openRelay(), "CN=1,DC=example,DC=com", "EX1");
    finding.evidence.clear();
    for (std::size_t i = 1; i <= rows; ++i)
        finding.evidence.push_back({"msExchSmtpRelayIpList", "10.0.0." + std::to_string(i), "-"});
    report.findings = {finding};
    return report;
}

std::size_t occurrences(const std::string& text, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

std::size_t evidenceRowsShown(const std::string& html) {
    return occurrences(html, "<td class=\"observed\">");
}

std::string verdictOf(const std::string& html) {
    auto begin = html.find("<p class=\"verdict");
    return begin == std::string::npos ? std::string()
                                      : html.substr(begin, html.find("</p>", begin) - begin);
}

} // namespace

class TestReports : public QObject {
    Q_OBJECT

private slots:
    // The XML escaper skips eight plain bytes at a time: on random text of the edge bytes (every
    // special character of either context, controls, DEL, valid and broken UTF-8) it writes what
    // escaping one character at a time writes.
    void xmlEscapingAgreesWithOneCharacterAtATime() {
        auto oneAtATime = [](std::string_view text, bool attribute) {
            std::string out;
            for (std::size_t i = 0; i < text.size();) {
                std::uint32_t codePoint = 0;
                std::size_t length = decodeUtf8(text, i, codePoint);
                const char c = text[i];
                if (c == '&' || c == '<' || c == '>')
                    out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;";
                else if (attribute && (c == '"' || c == '\t' || c == '\n'))
                    out += c == '"' ? "&quot;" : c == '\t' ? "&#9;" : "&#10;";
                else if (c == '\r')
                    out += "&#13;";
                else if (length > 0 && isXmlChar(codePoint)) {
                    out.append(text.substr(i, length));
                    i += length;
                    continue;
                } else
                    appendEscapedBytes(out, text.substr(i, 1));
                ++i;
            }
            return out;
        };
        const std::string alphabet("&<>\"'\t\n\r\x01\x1F \x7F\xC3\xBC\xE2\x82\xAC\x80\xFF", 19);
        std::mt19937 random(2026);
        for (int n = 0; n < 20000; ++n) {
            std::string text;
            for (std::size_t i = random() % 40; i > 0; --i)
                text.push_back(random() % 3 ? 'x' : alphabet[random() % alphabet.size()]);
            for (bool attribute : {false, true}) {
                std::string written;
                OutputSink out(written);
                attribute ? appendXmlAttribute(out, text) : appendXmlText(out, text);
                out.flush();
                QVERIFY2(written == oneAtATime(text, attribute),
                         QByteArray::fromStdString(text).toHex());
            }
        }
    }

    // The XML report's inventory is rendered by a second writer (continueInside) and copied in
    // (markup): the document must be byte for byte what one writer gives, whether or not the
    // element it goes into already has children.
    void aPartRenderedApartEqualsItWrittenByOneWriter() {
        auto writeList = [](XmlWriter& xml) {
            xml.start("list");
            xml.start("item");
            xml.attribute("name", "a\"b\r");
            xml.text("x<y");
            xml.end();
            xml.start("item");
            xml.end();
            xml.end();
        };
        for (bool childBefore : {true, false}) {
            // The document around its list, the list written by `writeMiddle`.
            auto document = [childBefore](auto writeMiddle) {
                std::string text;
                OutputSink out(text);
                XmlWriter xml(out);
                xml.declaration();
                xml.start("root");
                xml.attribute("v", std::size_t(4));
                if (childBefore)
                    xml.textElement("first", "1");
                writeMiddle(xml);
                xml.end();
                out.flush();
                return text;
            };
            std::string part;
            {
                OutputSink out(part);
                XmlWriter xml(out);
                xml.continueInside("root");
                writeList(xml);
            }
            const std::string whole = document(writeList);
            const std::string joined = document([&part](XmlWriter& xml) { xml.markup(part); });
            QCOMPARE(QString::fromStdString(joined), QString::fromStdString(whole));
            QVERIFY(whole.find("\n  <list>") != std::string::npos);
        }
    }
    // Attributes are written as one piece when their name fits a buffer, else piece by piece:
    // both give ` name="value"`, numbers in decimal up to the largest.
    void attributesAreWrittenWhateverTheLengthOfTheirName() {
        const std::string longName(200, 'n');
        for (const std::string& name : {std::string("v"), std::string(60, 'm'), longName}) {
            for (std::size_t number : {std::size_t(0), std::size_t(7), std::size_t(10105),
                                       std::numeric_limits<std::size_t>::max()}) {
                std::string text;
                {
                    OutputSink out(text);
                    XmlWriter xml(out);
                    xml.start("e");
                    xml.attribute(name.c_str(), number);
                    xml.attribute(name.c_str(), "a\"<b");
                    xml.end();
                }
                QCOMPARE(QString::fromStdString(text),
                         QString::fromStdString("\n<e " + name + "=\"" + std::to_string(number) +
                                                "\" " + name + "=\"a&quot;&lt;b\"/>\n"));
            }
        }
    }
    void base64PadsPerRfc4648() {
        QCOMPARE(base64Encode(""), "");
        QCOMPARE(base64Encode("f"), "Zg==");
        QCOMPARE(base64Encode("fo"), "Zm8=");
        QCOMPARE(base64Encode("foo"), "Zm9v");
        QCOMPARE(base64Encode("foobar"), "Zm9vYmFy");
    }

    void cspHashIsPrefixedBase64Digest() {
        QCOMPARE(cspHash(""), "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    void severityNamesRoundTrip() {
        for (auto severity : {Severity::Critical, Severity::Error, Severity::Warning,
                              Severity::NonDefault, Severity::Info})
            QCOMPARE(parseSeverity(toString(severity)), severity);
        QCOMPARE(std::string(toString(Severity::NonDefault)), "non-default");
        QVERIFY(!parseSeverity("severe"));
        QVERIFY(!parseSeverity(""));
    }

    void ruleKindNamesRoundTrip() {
        for (auto kind :
             {RuleKind::Unsafe, RuleKind::NonDefault, RuleKind::CannotJudge, RuleKind::Info})
            QCOMPARE(parseRuleKind(toString(kind)), kind);
        QCOMPARE(std::string(toString(RuleKind::CannotJudge)), "cannot-judge");
        QVERIFY(!parseRuleKind("pass"));
    }

    void xmlValidatesAgainstSchema() {
        QCOMPARE(validate(renderXmlReport(criticalReport())), 0);
        QCOMPARE(validate(renderXmlReport(AuditReport{})), 0);
    }

    void xmlWithHostileStringsValidatesAgainstSchema() {
        QCOMPARE(validate(renderXmlReport(hostileReport())), 0);
    }

    void schemaRejectsFindingWithoutRequiredAttribute() {
        // object is no longer required (format 3: a finding names its inventory item instead);
        // that the item exists is the keyref test below. severity, status and objectName are
        // optional since format 4 (derived from the rule and the item when absent).
        for (auto [element, attribute] : {std::pair{"//finding", "rule"},
                                          {"//finding/evidence", "observed"},
                                          {"//rules/rule/evidence", "row"}}) {
            pugi::xml_document document;
            QVERIFY(document.load_string(renderXmlReport(criticalReport()).c_str()));
            auto node = document.select_node(element).node();
            QVERIFY(node.remove_attribute(attribute));
            std::ostringstream out;
            document.save(out);
            QVERIFY2(validate(out.str(), true) != 0, attribute);
        }
    }

    void schemaRejectsUnknownSeverity() {
        for (const char* element : {"//rules/rule", "//finding"}) {
            pugi::xml_document document;
            QVERIFY(document.load_string(renderXmlReport(criticalReport()).c_str()));
            auto node = document.select_node(element).node();
            auto severity = node.attribute("severity");
            (severity ? severity : node.append_attribute("severity")).set_value("severe");
            std::ostringstream out;
            document.save(out);
            QVERIFY2(validate(out.str(), true) != 0, element);
        }
    }

    void xmlHasOneFindingElementPerFindingInGivenOrder() {
        AuditReport report = criticalReport();
        pugi::xml_document document;
        QVERIFY(document.load_string(renderXmlReport(report).c_str()));
        testsupport::expandFormatFour(document.document_element()); // severity, status
        auto findings = document.select_nodes("/relayauditReport/findings/finding");
        QCOMPARE(findings.size(), report.findings.size());
        std::size_t i = 0;
        for (const auto& node : findings) {
            const Finding& expected = report.findings[i++];
            QCOMPARE(std::string(node.node().attribute("rule").value()), expected.rule->id);
            QCOMPARE(std::string(node.node().attribute("severity").value()),
                     toString(expected.severity()));
            QCOMPARE(std::string(node.node().attribute("status").value()), expected.status());
            QCOMPARE(objectOf(node.node()), expected.object);
        }
    }

    void xmlStatusIsUnknownForCannotJudge() {
        pugi::xml_document document;
        QVERIFY(document.load_string(renderXmlReport(criticalReport()).c_str()));
        auto node = document.select_node("//finding[@rule='RELAY-900']").node();
        QVERIFY(!node.attribute("status")); // format 4: the rule's kind gives it
        testsupport::expandFormatFour(document.document_element());
        QCOMPARE(std::string(node.attribute("status").value()), "unknown");
        auto rule = document.select_node("/relayauditReport/rules/rule[@id='RELAY-900']").node();
        QCOMPARE(std::string(rule.attribute("kind").value()), "cannot-judge");
        auto count = document.select_node("//summary/count[@severity='warning']").node();
        QCOMPARE(count.attribute("unknown").as_int(), 1);
        QCOMPARE(count.attribute("fail").as_int(), 0);
    }

    void xmlWritesUnsafeBytesAsHex() {
        pugi::xml_document document;
        QVERIFY(document.load_string(renderXmlReport(hostileReport()).c_str()));
        auto node = document.select_node("//finding[@rule='RELAY-666']").node();
        QCOMPARE(
            objectOf(node),
            "CN=<script>alert(1)</script>,CN=\"q\" & 'a'\\01\\FF,CN=Servers,DC=example,DC=com");
    }

    void schemaRejectsFindingNamingNoInventoryItem() {
        pugi::xml_document document;
        QVERIFY(document.load_string(renderXmlReport(criticalReport()).c_str()));
        auto finding = document.select_node("//finding[@item]").node();
        QVERIFY(finding);
        finding.attribute("item").set_value("999");
        std::ostringstream out;
        document.save(out);
        QVERIFY(validate(out.str(), true) != 0);
    }

    // Format 3 writes each DN once: a virtual server under its server is rdn + in, a finding on
    // it names the item; every DN is rebuilt exactly, escaped commas and hostile bytes included.
    void xmlGivesEachDnOnceAndEveryDnIsRebuilt() {
        AuditReport report = hostileReport();
        const std::string server = "CN=EX\\,9,CN=Servers,DC=example,DC=com";
        report.inventory.push_back({"server", server, "EX,9", ""});
        report.inventory.push_back(
            {"virtual-server", "CN=1,CN=SMTP,CN=Protocols," + server, "SMTP 1", "relay: everyone"});
        report.findings.push_back(
            makeFinding(openRelay(), "CN=1,CN=SMTP,CN=Protocols," + server, "EX,9: SMTP 1"));
        std::string xml = renderXmlReport(report);
        QCOMPARE(validate(xml), 0);
        QVERIFY(xml.find("CN=1,CN=SMTP,CN=Protocols,CN=EX\\,9") == std::string::npos);
        QVERIFY(xml.find("CN=EX\\,9") != std::string::npos); // once, as the server's dn
        QVERIFY(xml.find("rdn=\"CN=1,CN=SMTP,CN=Protocols\"") != std::string::npos);
        pugi::xml_document document;
        QVERIFY(document.load_string(xml.c_str()));
        auto findings = document.select_nodes("/relayauditReport/findings/finding");
        QCOMPARE(findings.size(), report.findings.size());
        for (std::size_t i = 0; i < report.findings.size(); ++i)
            QCOMPARE(objectOf(findings[i].node()), xmlSafeText(report.findings[i].object));
        auto onServer = document.select_node("//finding[@rule='RELAY-001'][last()]").node();
        QVERIFY(onServer.attribute("item") && !onServer.attribute("objectName"));
        testsupport::expandFormatFour(document.document_element());
        QCOMPARE(onServer.attribute("objectName").value(), "EX,9: SMTP 1"); // "server: name"
        auto inventory = document.document_element().child("inventory");
        std::size_t i = 0;
        for (auto item : inventory.children("item")) {
            auto parent = item.attribute("in");
            std::string dn = parent ? std::string(item.attribute("rdn").value()) + "," +
                                          itemDn(inventory, parent.value())
                                    : std::string(item.attribute("dn").value());
            QCOMPARE(dn, xmlSafeText(report.inventory[i++].dn)); // \XX for unsafe bytes
        }
        QCOMPARE(i, report.inventory.size());
    }

    // Items and findings are matched by their DN's exact text: two long DNs that differ in every
    // other byte and collide under a polynomial hash modulo 2^64 (Thue-Morse strings) must each
    // find their own item, and a child the right parent (a hash-only lookup tried once got this
    // wrong; it was also slower and went back).
    void dnsWithOneHashStillFindTheirOwnItems() {
        std::string morse(2048, 'a'), other(2048, 'b');
        for (std::size_t i = 0; i < morse.size(); ++i)
            if (std::popcount(i) % 2) {
                morse[i] = 'b';
                other[i] = 'a';
            }
        const std::string first = "CN=" + morse + ",DC=example";
        const std::string second = "CN=" + other + ",DC=example";
        AuditReport report = criticalReport();
        report.findings.clear();
        report.inventory = {{"server", first, "first", ""},
                            {"server", second, "second", ""},
                            {"virtual-server", "CN=1," + second, "one", ""}};
        report.findings.push_back(makeFinding(openRelay(), second, "second"));
        pugi::xml_document document;
        QVERIFY(document.load_string(renderXmlReport(report).c_str()));
        auto items = document.select_nodes("//inventory/item");
        QCOMPARE(items.size(), std::size_t(3));
        QCOMPARE(items[2].node().attribute("in").value(), "2");
        QCOMPARE(items[2].node().attribute("rdn").value(), "CN=1");
        QCOMPARE(document.select_node("//finding").node().attribute("item").value(), "2");
    }

    void xmlKeepsEveryEvidenceRow() {
        AuditReport report = criticalReport();
        report.findings[0].evidence.assign(25, {"msExchSmtpRelayIpList", "10.0.0.1", "-"});
        pugi::xml_document document;
        QVERIFY(document.load_string(renderXmlReport(report).c_str()));
        QCOMPARE(document.select_nodes("//finding[1]/evidence").size(), std::size_t(25));
    }

    void xmlGivesEachRulesProseOncePerRule() {
        AuditReport report = criticalReport();
        for (int i = 0; i < 5; ++i)
            report.findings.push_back(makeFinding(openRelay(), "CN=" + std::to_string(i), "X"));
        std::string xml = renderXmlReport(report);
        QCOMPARE(occurrences(xml, openRelay().why), std::size_t(3)); // one per distinct rule
        QCOMPARE(occurrences(xml, "Open relay for everyone"), std::size_t(1));
        QCOMPARE(occurrences(xml, "Clear &quot;Allow all computers&quot;."), std::size_t(0));
        QCOMPARE(occurrences(xml, "Clear \"Allow all computers\"."), std::size_t(3));
        pugi::xml_document document;
        QVERIFY(document.load_string(xml.c_str()));
        QCOMPARE(document.select_nodes("/relayauditReport/rules/rule").size(), std::size_t(3));
        QCOMPARE(document.select_nodes("//finding[title or why or remediation]").size(),
                 std::size_t(0));
        for (const auto& node : document.select_nodes("//finding")) {
            std::string rule = node.node().attribute("rule").value();
            QVERIFY2(
                document.select_node(("/relayauditReport/rules/rule[@id='" + rule + "']").c_str()),
                rule.c_str());
        }
        QCOMPARE(validate(xml), 0);
    }

    void xmlEvidenceRowLeavesTheExpectedValueToItsRule() {
        AuditReport report = cleanReport();
        Finding finding = makeFinding(openRelay(), "CN=1", "EX1");
        finding.evidence = {{"msExchSmtpRelayIpList", "(empty)", "empty list"},
                            {"msExchSmtpRelayIpList", "(empty)", "something else"}};
        report.findings = {finding};
        pugi::xml_document document;
        QVERIFY(document.load_string(renderXmlReport(report).c_str()));
        auto rows = document.select_nodes("//finding/evidence");
        QCOMPARE(rows.size(), std::size_t(2));
        QVERIFY(!rows[0].node().attribute("expected")); // the rule's <evidence> says "empty list"
        QCOMPARE(rows[1].node().attribute("expected").value(), "something else");
        QCOMPARE(document.select_node("//rules/rule/evidence/@expected").attribute().value(),
                 "empty list");
    }

    // Format 4: a finding leaves out what its rule and item give; the values read back through
    // the documented derivation are the finding's.
    void xmlFindingLeavesSeverityStatusAndItemNameToRuleAndItem() {
        AuditReport report = cleanReport();
        const std::string server = "CN=EX1,DC=example,DC=com";
        report.inventory.insert(report.inventory.begin(), {"server", server, "EX1", ""});
        report.findings = {
            makeFinding(openRelay(), "CN=1,CN=SMTP,CN=Protocols," + server, "EX1: EX1 SMTP 1"),
            makeFinding(openRelay(), "CN=2,CN=SMTP,CN=Protocols,CN=EX2,DC=example,DC=com",
                        "EX2 SMTP 1"), // the item's name, no server item above it
            makeFinding(nonDefaultBanner(), "CN=1,CN=SMTP,CN=Protocols," + server,
                        "a name of the rule's own"),
            makeFinding(unreadableRelayList(), "CN=3,DC=example,DC=com", "EX3")}; // no item
        std::string xml = renderXmlReport(report);
        QCOMPARE(validate(xml), 0);
        pugi::xml_document document;
        QVERIFY(document.load_string(xml.c_str()));
        auto findings = document.select_nodes("//findings/finding");
        QCOMPARE(findings.size(), std::size_t(4));
        QCOMPARE(document.select_nodes("//finding[@severity or @status]").size(), std::size_t(0));
        QVERIFY(!findings[0].node().attribute("objectName"));
        QVERIFY(!findings[1].node().attribute("objectName"));
        QCOMPARE(findings[2].node().attribute("objectName").value(), "a name of the rule's own");
        QCOMPARE(findings[3].node().attribute("objectName").value(), "EX3");
        testsupport::expandFormatFour(document.document_element());
        for (std::size_t i = 0; i < findings.size(); ++i) {
            auto node = findings[i].node();
            QCOMPARE(node.attribute("objectName").value(), report.findings[i].objectName);
            QCOMPARE(node.attribute("severity").value(), toString(report.findings[i].severity()));
            QCOMPARE(node.attribute("status").value(), report.findings[i].status());
        }
    }

    // The rule numbers its evidence rows; a finding's row names one by row="N" (a for-each
    // definition gives several rows with the same N) and keeps only its observed value.
    void xmlEvidenceRowNamesTheRulesRowByNumber() {
        static const Rule rule = [] {
            Rule r = makeRule("RELAY-002", Severity::Critical, RuleKind::Unsafe, "Two rows");
            r.evidence = {{"address", "address", "only trusted hosts", "relayList/address"},
                          {"flags", "@flags", "0"}};
            return r;
        }();
        AuditReport report = cleanReport();
        Finding finding = makeFinding(rule, "CN=9", "EX9");
        finding.evidence = {{"address", "10.0.0.1", "only trusted hosts"},
                            {"address", "10.0.0.2", "only trusted hosts"},
                            {"flags", "7", "0"},
                            {"flags", "7", "not the rule's"}};
        report.findings = {finding};
        std::string xml = renderXmlReport(report);
        QCOMPARE(validate(xml), 0);
        QCOMPARE(occurrences(xml, "only trusted hosts"), std::size_t(1));
        pugi::xml_document document;
        QVERIFY(document.load_string(xml.c_str()));
        auto definitions = document.select_nodes("//rules/rule/evidence");
        QCOMPARE(definitions[0].node().attribute("row").value(), "1");
        QCOMPARE(definitions[1].node().attribute("row").value(), "2");
        auto rows = document.select_nodes("//finding/evidence");
        QCOMPARE(rows.size(), std::size_t(4));
        const char* numbers[] = {"1", "1", "2", ""};
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(rows[i].node().attribute("row").value(), numbers[i]);
            QCOMPARE(rows[i].node().attribute("observed").value(), finding.evidence[i].observed);
        }
        QCOMPARE(rows[3].node().attribute("attribute").value(), "flags");
        QCOMPARE(rows[3].node().attribute("expected").value(), "not the rule's");
        testsupport::expandFormatFour(document.document_element());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(rows[i].node().attribute("attribute").value(), finding.evidence[i].attribute);
            QCOMPARE(rows[i].node().attribute("expected").value(), finding.evidence[i].expected);
        }
    }

    // A message more than one finding of a rule has (accepted ones included) is written once,
    // in the rule, and those findings name it by number; a message of its own stays in place.
    void xmlMessageSharedByFindingsOfARuleIsWrittenOnceInTheRule() {
        AuditReport report = cleanReport();
        for (int i = 0; i < 3; ++i)
            report.findings.push_back(makeFinding(openRelay(), "CN=" + std::to_string(i), "X"));
        report.findings.push_back(makeFinding(openRelay(), "CN=own", "X"));
        report.findings.back().message = "a message of its own";
        report.findings.push_back(makeFinding(nonDefaultBanner(), "CN=banner", "X"));
        report.waiversGiven = true;
        report.waivers.push_back({{"SMTP-010", "*", "o", "2030-01-01", "ok", "w.xml:1"}});
        report.waivers[0].accepted = {makeFinding(nonDefaultBanner(), "CN=accepted", "X")};
        std::string xml = renderXmlReport(report);
        QCOMPARE(validate(xml), 0);
        const std::string shared = "msExchSmtpRelayIpList is empty and grants by default.";
        QCOMPARE(occurrences(xml, shared), std::size_t(2)); // once in each rule
        pugi::xml_document document;
        QVERIFY(document.load_string(xml.c_str()));
        QCOMPARE(document.select_nodes("//finding[@message='1'][not(message)]").size(),
                 std::size_t(5));
        QCOMPARE(document.select_node("//rules/rule[@id='SMTP-010']/message[@n='1']")
                     .node()
                     .child_value(),
                 shared);
        QCOMPARE(document.select_node("//finding[message]").node().child_value("message"),
                 "a message of its own");
        testsupport::expandFormatFour(document.document_element());
        auto findings = document.select_nodes("//findings/finding");
        for (std::size_t i = 0; i < findings.size(); ++i)
            QCOMPARE(findings[i].node().child_value("message"), report.findings[i].message);
    }

    void xmlWritesEachFindingOnOneLine() {
        AuditReport report = criticalReport();
        report.findings[0].evidence.assign(3, {"msExchSmtpRelayIpList", "10.0.0.1", "empty list"});
        std::string xml = renderXmlReport(report);
        std::size_t lines = 0;
        for (std::size_t at = xml.find("<finding "); at != std::string::npos;
             at = xml.find("<finding ", at + 1), ++lines) {
            std::size_t end = xml.find("</finding>", at);
            QVERIFY(end != std::string::npos);
            QCOMPARE(xml.find('\n', at) > end, true);
        }
        QCOMPARE(lines, report.findings.size());
        QCOMPARE(validate(xml), 0);
    }

    // A parser normalises a literal CR to LF and literal TAB/LF in attributes to spaces: the
    // report writes them as character references, so the values read back are the ones written.
    void xmlCarriesCarriageReturnTabAndNewlineExactly() {
        AuditReport report = cleanReport();
        Finding finding = makeFinding(openRelay(), "CN=a\rb\tc\nd", "name\r\n");
        finding.message = "line one\r\nline two\rend\ttab";
        finding.evidence = {{"attr\r", "observed\r\n\t", "expected\r"}};
        report.findings = {finding};
        std::string xml = renderXmlReport(report);
        QVERIFY(xml.find('\r') == std::string::npos);
        QVERIFY(xml.find("object=\"CN=a&#13;b&#9;c&#10;d\"") != std::string::npos);
        QVERIFY(xml.find("<message>line one&#13;\nline two&#13;end\ttab</message>") !=
                std::string::npos);
        pugi::xml_document document;
        QVERIFY(document.load_string(xml.c_str())); // default flags: EOL and attribute normalising
        auto node = document.select_node("//finding").node();
        QCOMPARE(objectOf(node), finding.object);
        QCOMPARE(std::string(node.attribute("objectName").value()), finding.objectName);
        QCOMPARE(std::string(node.child_value("message")), finding.message);
        QCOMPARE(std::string(node.child("evidence").attribute("observed").value()),
                 "observed\r\n\t");
        QCOMPARE(validate(xml), 0);
    }

    void xmlWrittenToAFileDescriptorEqualsTheRenderedText() {
        AuditReport report = hostileReport();
        for (int i = 0; i < 3000; ++i) // several buffers' worth
            report.findings.push_back(makeFinding(openRelay(), "CN=" + std::to_string(i), "X"));
        QTemporaryDir dir;
        QString path = dir.filePath("streamed.xml");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        {
            OutputSink sink(file.handle());
            writeXmlReport(report, sink);
            QCOMPARE(sink.flush(), 0);
        }
        file.close();
        QFile written(path);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QByteArray bytes = written.readAll();
        QVERIFY(bytes.size() > qsizetype(OutputSink::kBufferSize));
        QCOMPARE(bytes.toStdString(), renderXmlReport(report));
    }

    void htmlTitleHoldsPlainText() {
        AuditReport report = hostileReport();
        std::string html = renderHtmlReport(report);
        auto begin = html.find("<title>") + 7;
        std::string title = html.substr(begin, html.find("</title>") - begin);
        QVERIFY(title.find('<') == std::string::npos);
        QCOMPARE(title, "Exchange relay audit — CN=&lt;script&gt;alert(1)&lt;/script&gt;,"
                        "CN=&quot;q&quot; &amp; &#39;a&#39;\\01\\FF,CN=Servers,DC=example,"
                        "DC=com");
    }

    void htmlEscaperCopiesOrdinaryTextAndMarksWhatMustBeSeen() {
        QCOMPARE(htmlText("plain ASCII, é and 漢字 stay"), "plain ASCII, é and 漢字 stay");
        QCOMPARE(htmlText("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        QCOMPARE(htmlText("tab\tnew\nline"), "tab\tnew\nline");
        QCOMPARE(htmlText("x\x01y"), "x<span class=\"ctl\">\\01</span>y");
        QCOMPARE(htmlAttribute("x\x7F\xC2\x85\xFFy"), "x\\7F\\C2\\85\\FFy");
        QCOMPARE(htmlAttribute("bidi \xE2\x80\xAE end"), "bidi \\E2\\80\\AE end");
        std::string appended = "kept ";
        appendHtmlText(appended, "<i>");
        QCOMPARE(appended, "kept &lt;i&gt;");
    }

    void htmlRendersScriptFromDataAsText() {
        std::string html = renderHtmlReport(hostileReport());
        QVERIFY(!toQString(html).contains("<script", Qt::CaseInsensitive));
        QVERIFY(html.find("CN=&lt;script&gt;alert(1)&lt;/script&gt;,CN=&quot;q&quot; &amp; "
                          "&#39;a&#39;") != std::string::npos);
        QVERIFY(html.find("&lt;b&gt;bold&lt;/b&gt;") != std::string::npos);
    }

    void htmlMakesControlBytesVisible() {
        std::string html = renderHtmlReport(hostileReport());
        QVERIFY(html.find('\x01') == std::string::npos);
        QVERIFY(html.find('\xff') == std::string::npos);
        QVERIFY(html.find("<span class=\"ctl\">\\01</span><span class=\"ctl\">\\FF</span>") !=
                std::string::npos);
    }

    void htmlLoadsNoExternalResources() {
        QString html = toQString(renderHtmlReport(hostileReport()));
        for (const char* loader : {"src=", "<link", "<img", "<iframe", "<object", "<embed", "url(",
                                   "@import", "<script"})
            QVERIFY2(!html.contains(loader, Qt::CaseInsensitive), loader);
        // Every absolute web address is the target of a plain link.
        static const QRegularExpression web("https?://", QRegularExpression::CaseInsensitiveOption);
        for (const auto& match : web.globalMatch(html))
            QVERIFY2(html.mid(match.capturedStart() - 6, 6) == "href=\"",
                     qPrintable(html.mid(match.capturedStart() - 40, 80)));
    }

    void htmlLinksOnlyWebReferences() {
        std::string html = renderHtmlReport(hostileReport());
        QVERIFY(html.find("<a href=\"https://support.microsoft.com/kb/324958\"") !=
                std::string::npos);
        QVERIFY(toQString(html).contains(">KB 324958: relay restrictions</a>"));
        QVERIFY(!toQString(html).contains("href=\"javascript", Qt::CaseInsensitive));
        QVERIFY(html.find("javascript link <code class=\"url\">javascript:alert(1)</code>") !=
                std::string::npos);
        QVERIFY(html.find("href=\"https://example.com/&quot;onmouseover=&quot;alert(1)\"") !=
                std::string::npos);
    }

    void htmlCspHashMatchesInlineStyle() {
        std::string html = renderHtmlReport(criticalReport());
        std::string style = styleText(html);
        QVERIFY(!style.empty());
        QVERIFY(html.find("content=\"default-src 'none'; style-src '" + cspHash(style) + "'") !=
                std::string::npos);
        // The CSP would block inline style attributes, so the page must not rely on any.
        QVERIFY(!toQString(html).contains(" style=", Qt::CaseInsensitive));
        QCOMPARE(toQString(html).count("<style"), 1);
    }

    void htmlInlinesTheRepositoryStylesheet() {
        QFile css(RELAYAUDIT_SOURCE_DIR "/reports/report.css");
        QVERIFY(css.open(QIODevice::ReadOnly));
        QCOMPARE(toQString(styleText(renderHtmlReport(AuditReport{}))),
                 QString::fromUtf8(css.readAll()));
    }

    void htmlHasPrintStyles() {
        QVERIFY(styleText(renderHtmlReport(AuditReport{})).find("@media print") !=
                std::string::npos);
    }

    void htmlVerdictChangesWithResult() {
        std::string clean = verdictOf(renderHtmlReport(cleanReport()));
        std::string critical = verdictOf(renderHtmlReport(criticalReport()));
        QVERIFY(clean.find("No relay problems found in 2 virtual servers.") != std::string::npos);
        QVERIFY(critical.find("1 critical problem, starting with “Open relay for everyone” — fix "
                              "it first; 1 other finding below; 1 item could not be judged.") !=
                std::string::npos);
        QVERIFY(critical.find("verdict-critical") != std::string::npos);
    }

    void htmlVerdictReportsUnjudgedItemsInCleanRun() {
        AuditReport report = cleanReport();
        report.findings = {makeFinding(unreadableRelayList(), "CN=3,DC=example,DC=com", "EX3")};
        QVERIFY(verdictOf(renderHtmlReport(report))
                    .find("No relay problems found in 2 virtual servers; 1 item could not be "
                          "judged") != std::string::npos);
    }

    void htmlVerdictOfEmptyReportSaysNothingFound() {
        QVERIFY(verdictOf(renderHtmlReport(AuditReport{})).find("Nothing found.") !=
                std::string::npos);
    }

    void htmlLabelsKindsDistinctly() {
        std::string html = renderHtmlReport(criticalReport());
        QVERIFY(html.find("<span class=\"kind kind-unsafe\">unsafe</span>") != std::string::npos);
        QVERIFY(
            html.find("<span class=\"kind kind-non-default\">non-default configuration</span>") !=
            std::string::npos);
        QVERIFY(html.find("<span class=\"kind kind-cannot-judge\">could not judge</span>") !=
                std::string::npos);
    }

    void htmlCapsEvidenceAtTwentyRows() {
        AuditReport report = criticalReport();
        report.findings[0].evidence.clear();
        for (int i = 1; i <= 25; ++i)
            report.findings[0].evidence.push_back(
                {"msExchSmtpRelayIpList", "10.0.0." + std::to_string(i), "-"});
        std::string html = renderHtmlReport(report);
        QVERIFY(html.find(">10.0.0.20<") != std::string::npos);
        QVERIFY(html.find(">10.0.0.21<") == std::string::npos);
        QVERIFY(html.find("+5 more, see the XML report") != std::string::npos);
    }

    void htmlShowsShortEvidenceListWhole() {
        std::string html = renderHtmlReport(reportWithEvidenceRows(3));
        QCOMPARE(evidenceRowsShown(html), std::size_t(3));
        for (const char* row : {">10.0.0.1<", ">10.0.0.2<", ">10.0.0.3<"})
            QVERIFY2(html.find(row) != std::string::npos, row);
        QVERIFY(html.find("more, see the XML report") == std::string::npos);
    }

    void htmlShowsEvidenceListOfExactlyTheCapWhole() {
        std::string html = renderHtmlReport(reportWithEvidenceRows(kHtmlEvidenceRowsShown));
        QCOMPARE(evidenceRowsShown(html), kHtmlEvidenceRowsShown);
        QVERIFY(html.find("<tr class=\"more\">") == std::string::npos);
    }

    void htmlShowsCapRowsThenCountsTheRest() {
        std::string html = renderHtmlReport(reportWithEvidenceRows(kHtmlEvidenceRowsShown + 5));
        QCOMPARE(evidenceRowsShown(html), kHtmlEvidenceRowsShown);
        std::string last = ">10.0.0." + std::to_string(kHtmlEvidenceRowsShown) + "<";
        std::string firstHidden = ">10.0.0." + std::to_string(kHtmlEvidenceRowsShown + 1) + "<";
        QVERIFY(html.find(last) != std::string::npos);
        QVERIFY(html.find(firstHidden) == std::string::npos);
        QCOMPARE(occurrences(html, "<tr class=\"more\"><td colspan=\"3\">+5 more, see the XML "
                                   "report</td></tr>"),
                 std::size_t(1));
    }

    void htmlCapsEvidenceOfLaterFindingsOfTheSameRule() {
        AuditReport report = reportWithEvidenceRows(kHtmlEvidenceRowsShown + 1);
        report.findings.push_back(report.findings.front());
        std::string html = renderHtmlReport(report);
        QCOMPARE(evidenceRowsShown(html), 2 * kHtmlEvidenceRowsShown);
        QCOMPARE(occurrences(html, "+1 more, see the XML report"), std::size_t(2));
    }

    void htmlFooterStatesTheEvidenceCap() {
        QVERIFY(renderHtmlReport(AuditReport{})
                    .find("show at most " + std::to_string(kHtmlEvidenceRowsShown) +
                          " rows per finding") != std::string::npos);
    }

    void htmlEscapesDirectoryTextInEvidence() {
        AuditReport report = reportWithEvidenceRows(kHtmlEvidenceRowsShown + 2);
        report.findings[0].evidence.front() = {"<script>a</script>", "<script>o</script>",
                                               "<script>e</script>"};
        std::string html = renderHtmlReport(report);
        QVERIFY(!toQString(html).contains("<script", Qt::CaseInsensitive));
        QVERIFY(html.find("<tr><td><code>&lt;script&gt;a&lt;/script&gt;</code></td>"
                          "<td class=\"observed\">&lt;script&gt;o&lt;/script&gt;</td>"
                          "<td>&lt;script&gt;e&lt;/script&gt;</td></tr>") != std::string::npos);
    }

    void xmlKeepsEvidenceRowsTheHtmlLeavesOut() {
        std::size_t rows = kHtmlEvidenceRowsShown + 5;
        pugi::xml_document document;
        QVERIFY(document.load_string(renderXmlReport(reportWithEvidenceRows(rows)).c_str()));
        auto items = document.select_nodes("//finding[1]/evidence");
        QCOMPARE(items.size(), rows);
        QCOMPARE(std::string((items.end() - 1)->node().attribute("observed").value()),
                 "10.0.0." + std::to_string(rows));
        QVERIFY(document.select_node("//*[contains(., 'more, see')]").node().empty());
    }

    void htmlKeepsFindingOrderAsGiven() {
        AuditReport report = criticalReport();
        std::swap(report.findings[0], report.findings[2]); // deliberately not most severe first
        std::string html = renderHtmlReport(report);
        auto first = html.find("<article class=\"finding sev-warning kind-cannot-judge\"");
        auto last = html.find("<article class=\"finding sev-critical kind-unsafe\"");
        QVERIFY(first != std::string::npos && last != std::string::npos);
        QVERIFY(first < last);
    }

    void htmlShowsARuleWithSeveralFindingsAsOneCardWithItsObjects() {
        AuditReport report = cleanReport();
        for (int i = 0; i < 3; ++i)
            report.findings.push_back(
                makeFinding(openRelay(), "CN=" + std::to_string(i + 1) + ",DC=example", "VS"));
        std::string html = renderHtmlReport(report);
        QCOMPARE(occurrences(html, "Anyone on the Internet can send mail through this server."),
                 std::size_t(1));
        QCOMPARE(occurrences(html, "<article class=\"finding"), std::size_t(1));
        QCOMPARE(occurrences(html, "<table class=\"objects\">"), std::size_t(1));
        QVERIFY(html.find("<span class=\"count\">3 objects</span>") != std::string::npos);
        // Each finding still shows its own object and evidence, with its own anchor.
        for (const char* row : {"<tr id=\"finding-1\">", "<tr id=\"finding-3\">"})
            QVERIFY2(html.find(row) != std::string::npos, row);
        QVERIFY(html.find("CN=3,DC=example") != std::string::npos);
        QCOMPARE(evidenceRowsShown(html), std::size_t(3));
    }

    void htmlCapsTheObjectTableOfARule() {
        AuditReport report = cleanReport();
        std::size_t total = kHtmlObjectRowsShown + 7;
        for (std::size_t i = 1; i <= total; ++i)
            report.findings.push_back(
                makeFinding(openRelay(), "CN=" + std::to_string(i) + ",DC=example", "VS"));
        std::string html = renderHtmlReport(report);
        QVERIFY(html.find("CN=" + std::to_string(kHtmlObjectRowsShown) + ",DC=example") !=
                std::string::npos);
        QVERIFY(html.find("CN=" + std::to_string(kHtmlObjectRowsShown + 1) + ",DC=example") ==
                std::string::npos);
        QCOMPARE(occurrences(html, "<tr class=\"more\"><td colspan=\"3\">+7 more, see the XML "
                                   "report</td></tr>"),
                 std::size_t(1));
        QCOMPARE(occurrences(html, "<span class=\"count\">" + std::to_string(total) + " objects"),
                 std::size_t(1));
    }

    void htmlWithTenThousandFindingsStaysSmall() {
        AuditReport report = cleanReport();
        for (int i = 1; i <= 10000; ++i) {
            std::string dn = "CN=1,CN=SMTP,CN=Protocols,CN=EX" + std::to_string(i) +
                             ",CN=Servers,CN=Configuration,DC=example,DC=com";
            report.findings.push_back(makeFinding(openRelay(), dn, "EX" + std::to_string(i)));
            report.inventory.push_back({"virtual-server", dn, "SMTP", "relay: everyone"});
        }
        std::string html = renderHtmlReport(report);
        QVERIFY2(html.size() < 100 * 1024, qPrintable(QString::number(html.size())));
        QVERIFY(html.find("+9980 more, see the XML report") != std::string::npos);
        QVERIFY(html.find("10002 SMTP virtual servers examined") != std::string::npos);
    }

    void htmlShowsFindingsWithOneCauseOnceWithTheirObjects() {
        static const Rule guestRelay = [] {
            Rule rule = makeRule("EXS-RELAY-GUEST", Severity::Critical, RuleKind::Unsafe, "Guest");
            return rule;
        }();
        static const Rule guestEnabled =
            makeRule("DIR-GUEST-ENABLED", Severity::Warning, RuleKind::Unsafe, "Guest enabled");
        AuditReport report = cleanReport();
        for (const char* server : {"EXCH001", "EXCH002"}) {
            report.findings.push_back(
                makeFinding(guestRelay,
                            std::string("CN=1,CN=SMTP,CN=Protocols,CN=") + server +
                                ",CN=Servers,CN=Configuration,DC=corp,DC=example",
                            server));
            report.findings.back().cause = "disabling Guest in child.corp.example";
        }
        report.findings.push_back(
            makeFinding(guestEnabled, "CN=Guest,CN=Users,DC=child,DC=corp,DC=example", "Guest"));
        report.findings.back().cause = "disabling Guest in child.corp.example";
        report.findings.push_back(makeFinding(openRelay(), "CN=9,DC=example", "lone"));
        report.findings.back().cause = "a cause of one finding only";
        std::string html = renderHtmlReport(report);
        QCOMPARE(occurrences(html, "Disabling Guest in child.corp.example resolves 3 findings on 3 "
                                   "servers and domains."),
                 std::size_t(1));
        QCOMPARE(occurrences(html, "<div class=\"cause\""), std::size_t(1));
        QVERIFY(html.find("<td>EXCH002</td><td>EXCH002</td>") != std::string::npos);
        QVERIFY(html.find("<td>Guest</td><td>child.corp.example</td>") != std::string::npos);
        QCOMPARE(occurrences(html, "Shared cause: <a href=\"#cause-1\">"), std::size_t(3));
        QVERIFY(html.find("a cause of one finding only") == std::string::npos);
    }

    void htmlEscapesCauseText() {
        AuditReport report = cleanReport();
        for (int i = 0; i < 2; ++i) {
            report.findings.push_back(makeFinding(openRelay(), kHostileDn, kHostileDn));
            report.findings.back().cause = kHostileDn;
        }
        std::string html = renderHtmlReport(report);
        QVERIFY(!toQString(html).contains("<script", Qt::CaseInsensitive));
        QVERIFY(
            html.find("CN=&lt;script&gt;alert(1)&lt;/script&gt;,CN=&quot;q&quot; &amp; "
                      "&#39;a&#39;<span class=\"ctl\">\\01</span><span class=\"ctl\">\\FF</span>,"
                      "CN=Servers,DC=example,DC=com resolves 2 findings") != std::string::npos);
    }

    void htmlIndexShowsServerOrDomainBesideTheObject() {
        AuditReport report = cleanReport();
        report.findings = {
            makeFinding(openRelay(),
                        "CN=2,CN=SMTP,CN=Protocols,CN=EXCH001,CN=Servers,CN=First Administrative "
                        "Group,CN=Configuration,DC=corp,DC=example",
                        "EXCH001: SMTP Virtual Server #2"),
            makeFinding(nonDefaultBanner(), "CN=Guest,CN=Users,DC=child,DC=corp,DC=example",
                        "Guest"),
            makeFinding(unreadableRelayList(),
                        "CN=First Organization,CN=Configuration,DC=corp,"
                        "DC=example",
                        "First Organization")};
        std::string html = renderHtmlReport(report);
        QVERIFY(html.find("<td>EXCH001: SMTP Virtual Server #2</td><td>EXCH001</td></tr>") !=
                std::string::npos);
        QVERIFY(html.find("<td>Guest</td><td>child.corp.example</td></tr>") != std::string::npos);
        QVERIFY(html.find("<td>First Organization</td><td>forest corp.example</td></tr>") !=
                std::string::npos);
    }

    void htmlHeaderNamesEveryDomainAudited() {
        AuditReport report = cleanReport();
        QVERIFY(renderHtmlReport(report).find("<dt>Domains audited</dt><dd><span class=\"muted\">"
                                              "none in the input") != std::string::npos);
        report.inventory.push_back({"domain", "DC=corp,DC=example", "corp.example", ""});
        report.inventory.push_back(
            {"domain", "DC=child,DC=corp,DC=example", "child.corp.example", ""});
        QVERIFY(renderHtmlReport(report).find(
                    "<dt>Domains audited</dt><dd><span class=\"domain\">corp.example</span>, "
                    "<span class=\"domain\">child.corp.example</span></dd>") != std::string::npos);
    }

    void htmlListsTheRulesThatPassed() {
        static const Rule info = makeRule("INFO-1", Severity::Info, RuleKind::Info, "A note");
        AuditReport report = criticalReport();
        static const Rule quiet =
            makeRule("RELAY-002", Severity::Error, RuleKind::Unsafe, "Relay to <everyone>");
        report.rules = {&openRelay(), &quiet, &info, &nonDefaultBanner()};
        std::string html = renderHtmlReport(report);
        auto passed = html.substr(html.find("<section id=\"passed\""));
        passed = passed.substr(0, passed.find("</section>"));
        QVERIFY(passed.find("<td><span class=\"rule-id\">RELAY-002</span></td><td>Relay to "
                            "&lt;everyone&gt;</td><td>exchange-2003</td>") != std::string::npos);
        QCOMPARE(occurrences(passed, "<tr><td>"), std::size_t(1));
        QVERIFY(passed.find("1 checks found nothing") != std::string::npos);
    }

    void htmlScoresEachGeneration() {
        std::string html = renderHtmlReport(criticalReport());
        QVERIFY(html.find("<span class=\"generation\">Exchange 2003</span> 2 SMTP virtual servers "
                          "examined: <span class=\"score-bad\">1 unsafe</span>, <span "
                          "class=\"score-unknown\">1 unknown</span>") != std::string::npos);
        QVERIFY(html.find("<span class=\"generation\">Exchange 5.5</span> <span class=\"muted\">"
                          "none in the input</span>") != std::string::npos);
    }

    void htmlStylesheetHasDarkModeAndLetsCardsBreakAcrossPages() {
        std::string css = styleText(renderHtmlReport(AuditReport{}));
        QVERIFY(css.find("prefers-color-scheme: dark") != std::string::npos);
        QVERIFY(css.find("article.finding { break-inside: auto;") != std::string::npos);
        QVERIFY(css.find("avoid-page") == std::string::npos);
    }

    void htmlShowsRemediationStepsAsNumberedList() {
        std::string html = renderHtmlReport(criticalReport());
        QVERIFY(html.find("<ol class=\"steps\">\n<li>Open Exchange System Manager.</li>\n"
                          "<li>Clear &quot;Allow all computers&quot;.</li>\n</ol>") !=
                std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestReports)
#include "tst_reports.moc"
