// The rule language itself, on tiny packs and snapshots: message markup (value, if, else,
// nesting), consts and lets, where, evidence for-each, the example runner and --explain text.
#include "compiled_rule.h"
#include "condition_split.h"
#include "example_runner.h"
#include "rule_explain.h"
#include "rules.h"
#include "xpath_compile.h"

#include <QtTest/QtTest>

using namespace relayaudit;

namespace {

const char* kProse =
    "<why>w</why><remediation><step>first</step><step>second</step></remediation>\n"
    "<references><reference url=\"https://example.org/a\">ref A</reference></references>";

// A pack with one rule X-TEST around the given body (condition, lets, message, evidence...).
std::string pack(const std::string& body, const std::string& packLevel = "") {
    return "<rulePack name=\"t\" version=\"1\">" + packLevel +
           "\n<rule id=\"X-TEST\" severity=\"warning\" kind=\"unsafe\"><title>Test rule</title>\n" +
           body + "\n" + kProse + "</rule></rulePack>";
}

const char* kSnapshot =
    "<snapshot formatVersion=\"2\"><exchange>\n"
    "  <virtualServer dn=\"CN=1\" name=\"one\" server=\"EX1\" flags=\"7\" present=\"false\">\n"
    "    <address value=\"10.0.0.1\"/><address value=\"10.0.0.2\"/>\n"
    "  </virtualServer>\n"
    "  <virtualServer dn=\"CN=2\" name=\"two\" flags=\"0\" present=\"true\"/>\n"
    "</exchange></snapshot>";

struct Loaded {
    RuleCatalogue catalogue;
    std::vector<RulePackError> errors;
    bool ok = false;
};

std::unique_ptr<Loaded> load(const std::string& text) {
    auto loaded = std::make_unique<Loaded>();
    loaded->ok = loaded->catalogue.loadText(text, "t.xml", loaded->errors);
    return loaded;
}

std::vector<Finding> run(const std::string& text, const char* snapshotXml = kSnapshot) {
    auto loaded = load(text);
    if (!loaded->ok)
        return {};
    pugi::xml_document snapshot;
    snapshot.load_string(snapshotXml);
    auto findings = loaded->catalogue.evaluate(snapshot);
    // The findings point at rules the catalogue owns: keep it alive for the test's duration.
    static std::vector<std::unique_ptr<Loaded>> keep;
    keep.push_back(std::move(loaded));
    return findings;
}

QString messageOf(const std::vector<Finding>& findings, std::size_t i) {
    return i < findings.size() ? QString::fromStdString(findings[i].message) : QString("(none)");
}

QString allErrors(const Loaded& loaded) {
    QString all;
    for (const auto& error : loaded.errors)
        all += QString::fromStdString(error.describe()) + "\n";
    return all;
}

} // namespace

class TestRuleLanguage : public QObject {
    Q_OBJECT

private slots:
    // "@a" and "child/@a" are read without pugixml's evaluator; the value must be string() of
    // the expression on every kind of context, and anything else must go to pugixml.
    void simpleAttributePathsGiveWhatXPathGives() {
        QVERIFY(relayaudit::attributePathOf("@dn"));
        QVERIFY(relayaudit::attributePathOf("relayList/@summary"));
        for (const char* other : {"@a | @b", "../@a", "x:y/@a", "a/b/@c", "@*", "string(@a)",
                                  "a[1]/@b", "@a = 'x'", "", "a/@"})
            QVERIFY2(!relayaudit::attributePathOf(other), other);
        pugi::xml_document document;
        QVERIFY(document.load_string(
            R"(<s a="1" xmlns="urn:x"><c/><c b="2"/><c b="3"/><d><c b="4"/></d></s>)"));
        std::vector<pugi::xpath_node> contexts = {
            pugi::xpath_node(document), pugi::xpath_node(document.child("s")),
            pugi::xpath_node(document.child("s").attribute("a"), document.child("s")),
            pugi::xpath_node(document.child("s").child("d"))};
        // "@xmlns" included: a namespace declaration is not on XPath's attribute axis.
        for (const char* expression : {"@a", "@b", "c/@b", "c/@a", "d/@b", "s/@a", "@xmlns"}) {
            std::string problem;
            auto query = relayaudit::compileXPath(expression, nullptr, problem);
            QVERIFY2(query, problem.c_str());
            for (const auto& context : contexts)
                QCOMPARE(query->evaluateString(context), query->evaluate_string(context));
        }
    }
    // A condition "/path[test][test]" is run as its path once plus the tests per node; the tests
    // are taken apart exactly, brackets and quotes inside them included.
    void conditionSplitsIntoPathAndTests() {
        pugi::xpath_variable_set none;
        auto split = splitCondition("/snapshot/exchange/*[@a='x]['][b[@c] and \"]\"!=@d]", &none);
        QVERIFY(split);
        QCOMPARE(QString::fromStdString(split->path), QString("/snapshot/exchange/*"));
        QCOMPARE(split->tests.size(), std::size_t(2));
    }

    // A test that depends on the node's place in its node-set means something else outside it:
    // such conditions, and other shapes, run whole.
    void positionalOrOtherConditionsAreNotSplit() {
        pugi::xpath_variable_set none;
        for (const char* whole : {"/snapshot/exchange/virtualServer[1]",
                                  "/snapshot/exchange/virtualServer[position() > 1]",
                                  "/snapshot/exchange/virtualServer[last()]",
                                  "/snapshot/exchange/virtualServer[@flags + 1]",
                                  "//virtualServer[@flags]", "/snapshot/exchange/virtualServer/..",
                                  "/snapshot/exchange/virtualServer[@a] | /snapshot"})
            QVERIFY2(!splitCondition(whole, &none), whole);
    }

    // Shared paths, per-node tests and whole conditions together select what each condition
    // selects on its own, in document order, with consts in the tests.
    void rulesSharingAPathSelectWhatTheirConditionsSelect() {
        std::string packText = "<rulePack name=\"t\" version=\"1\"><const name=\"on\" "
                               "select=\"boolean(/snapshot/exchange)\"/>";
        const char* conditions[] = {
            "/snapshot/exchange/virtualServer[@flags='7' or @present='true'][$on]",
            "/snapshot/exchange/virtualServer[address]",
            "/snapshot/exchange/virtualServer[2]",
            "/snapshot/exchange/*[not(address)]",
        };
        for (int i = 0; i < 4; ++i)
            packText += "<rule id=\"X-R" + std::to_string(i) +
                        "\" severity=\"warning\" kind=\"unsafe\"><title>t</title><condition>" +
                        conditions[i] + "</condition><message>m</message>" + kProse + "</rule>";
        packText += "</rulePack>";
        auto findings = run(packText);
        QStringList got;
        for (const auto& finding : findings)
            got << QString::fromStdString(finding.rule->id + " " + finding.object);
        QCOMPARE(got,
                 QStringList({"X-R0 CN=1", "X-R0 CN=2", "X-R1 CN=1", "X-R2 CN=2", "X-R3 CN=2"}));
    }

    void valueIfElseAndNestedIfRenderPerNode() {
        auto findings =
            run(pack("<condition>//virtualServer</condition>\n"
                     "            <message><value of=\"@name\"/> has flags <value of=\"@flags\"/>\n"
                     "              <if test=\"@flags != 0\">(set<if test=\"@present='false'\">, "
                     "by default</if>)<else>(none)</else></if>.</message>"));
        QCOMPARE(findings.size(), std::size_t(2));
        QCOMPARE(messageOf(findings, 0), QString("one has flags 7 (set, by default)."));
        QCOMPARE(messageOf(findings, 1), QString("two has flags 0 (none)."));
    }
    void literalWhiteSpaceCollapsesAcrossPartsAndIsTrimmed() {
        auto findings = run(pack("<condition>//virtualServer[@name='two']</condition>\n"
                                 "            <message>\n"
                                 "              a   <if test=\"false()\">never </if> b\n"
                                 "              <value of=\"@missing\"/> c </message>"));
        QCOMPARE(messageOf(findings, 0), QString("a b c"));
    }
    void valuesKeepTheirOwnSpaces() {
        auto findings =
            run(pack("<condition>//virtualServer[@name='two']</condition>\n"
                     "            <message>[<value of=\"concat('  x', '  ')\"/>]</message>"));
        QCOMPARE(messageOf(findings, 0), QString("[  x  ]"));
    }
    void letsAreEvaluatedPerOffendingNodeAndUsableEverywhere() {
        auto findings = run(pack("<condition>//virtualServer</condition>\n"
                                 "            <let name=\"addresses\" select=\"address\"/>\n"
                                 "            <let name=\"count\" select=\"count($addresses)\"/>\n"
                                 "            <object>concat('obj-', @name, '-', $count)</object>\n"
                                 "            <name>concat(@name, ' (', $count, ')')</name>\n"
                                 "            <message><value of=\"$count\"/> address(es), first "
                                 "<value of=\"$addresses/@value\"/></message>\n"
                                 "            <evidence attribute=\"a\" observed=\"$count\"/>"));
        QCOMPARE(findings.size(), std::size_t(2));
        QCOMPARE(messageOf(findings, 0), QString("2 address(es), first 10.0.0.1"));
        QCOMPARE(messageOf(findings, 1), QString("0 address(es), first"));
        QCOMPARE(QString::fromStdString(findings[0].object), QString("obj-one-2"));
        QCOMPARE(QString::fromStdString(findings[0].objectName), QString("one (2)"));
        QCOMPARE(QString::fromStdString(findings[1].evidence.at(0).observed), QString("0"));
    }
    // A rule with lets is compiled twice, each with its own variable set, and its nodes are
    // shared between the two: every finding still has its own node's values, in node order.
    void aRuleWithLetsRunsOnTwoCompilationsWithTheirOwnValues() {
        auto loaded = load(pack("<condition>/snapshot/exchange/virtualServer</condition>\n"
                                "<let name=\"count\" select=\"count(address)\"/>\n"
                                "<let name=\"first\" select=\"address[1]/@value\"/>\n"
                                "<message><value of=\"$count\"/> from <value of=\"$first\"/>"
                                "</message>\n"
                                "<evidence attribute=\"a\" for-each=\"address\" "
                                "observed=\"concat(@value, '/', $count)\"/>"));
        QVERIFY2(loaded->ok, qPrintable(allErrors(*loaded)));
        const Rule& rule = *loaded->catalogue.find("X-TEST");
        const CompiledRule& compiled = loaded->catalogue.compiled(rule);
        QVERIFY(compiled.twin);
        QVERIFY(compiled.twin->variables.get() != compiled.variables.get());
        QVERIFY(!compiled.twin->twin);
        std::string xml = "<snapshot formatVersion=\"2\"><exchange>";
        for (int i = 0; i < 3000; ++i) {
            xml += "<virtualServer dn=\"CN=" + std::to_string(100000 + i) + "\">";
            for (int a = 0; a < i % 4; ++a)
                xml += "<address value=\"" + std::to_string(i) + "." + std::to_string(a) + "\"/>";
            xml += "</virtualServer>";
        }
        xml += "</exchange></snapshot>";
        pugi::xml_document snapshot;
        QVERIFY(snapshot.load_string(xml.c_str()));
        for (int round = 0; round < 5; ++round) {
            auto findings = loaded->catalogue.evaluate(snapshot);
            QCOMPARE(findings.size(), std::size_t(3000));
            for (int i = 0; i < 3000; ++i) {
                const auto& finding = findings[std::size_t(i)];
                const std::string count = std::to_string(i % 4);
                QCOMPARE(QString::fromStdString(finding.object),
                         QString::fromStdString("CN=" + std::to_string(100000 + i)));
                QCOMPARE(QString::fromStdString(finding.message),
                         QString::fromStdString(count + " from" +
                                                (i % 4 ? " " + std::to_string(i) + ".0" : "")));
                QCOMPARE(finding.evidence.size(), std::size_t(i % 4));
                for (int a = 0; a < i % 4; ++a)
                    QCOMPARE(QString::fromStdString(finding.evidence[std::size_t(a)].observed),
                             QString::fromStdString(std::to_string(i) + "." + std::to_string(a) +
                                                    "/" + count));
            }
        }
    }
    void whereFiltersTheConditionsNodesWithLets() {
        auto findings = run(pack("<condition>//virtualServer</condition>\n"
                                 "            <let name=\"addresses\" select=\"address\"/>\n"
                                 "            <where>count($addresses) &gt; 1</where>\n"
                                 "            <message><value of=\"@name\"/></message>"));
        QCOMPARE(findings.size(), std::size_t(1));
        QCOMPARE(messageOf(findings, 0), QString("one"));
    }
    void constValueAndSelectAreUsableInConditionsAndMessages() {
        auto findings = run(pack(
            "<condition>//virtualServer[@flags=$seven]</condition>\n"
            "            <message><value of=\"$seven\"/> of <value "
            "of=\"count($servers)\"/></message>",
            "<const name=\"seven\" value=\"7\"/>\n"
            "            <const name=\"servers\" select=\"/snapshot/exchange/virtualServer\"/>"));
        QCOMPARE(findings.size(), std::size_t(1));
        QCOMPARE(messageOf(findings, 0), QString("7 of 2"));
    }
    void letInTheConditionIsRefusedPointingToWhere() {
        auto loaded = load(
            pack("<condition>//virtualServer[$n &gt; 1]</condition>\n"
                 "            <let name=\"n\" select=\"count(address)\"/><message>m</message>"));
        QVERIFY(!loaded->ok);
        QVERIFY2(allErrors(*loaded).contains("t.xml:3: rule X-TEST: "),
                 qPrintable(allErrors(*loaded)));
        QVERIFY2(allErrors(*loaded).contains("<where>"), qPrintable(allErrors(*loaded)));
    }
    void xpathErrorsNameFileAndLine() {
        auto loaded = load(pack("<condition>//virtualServer</condition>\n"
                                "            <message>a\n"
                                "              <value of=\"@name[\"/></message>"));
        QVERIFY(!loaded->ok);
        QVERIFY2(allErrors(*loaded).startsWith("t.xml:5: rule X-TEST: <value of=\"@name[\"> is not "
                                               "valid XPath"),
                 qPrintable(allErrors(*loaded)));
    }
    void elseMustComeLastAndUnknownMarkupIsRefused() {
        auto loaded = load(
            pack("<condition>//virtualServer</condition>\n"
                 "            <message><if test=\"1\">a<else>b</else>c</if><b>bold</b></message>"));
        QVERIFY(!loaded->ok);
        QVERIFY2(allErrors(*loaded).contains("<else> must be the last"),
                 qPrintable(allErrors(*loaded)));
        QVERIFY2(allErrors(*loaded).contains("unexpected <b>"), qPrintable(allErrors(*loaded)));
    }
    void evidenceForEachGivesOneRowPerNodeAndWithoutItOneRow() {
        auto findings = run(pack("<condition>//virtualServer[@name='one']</condition>\n"
                                 "            <message>m</message>\n"
                                 "            <evidence attribute=\"address\" for-each=\"address\" "
                                 "observed=\"@value\" expected=\"none\"/>\n"
                                 "            <evidence attribute=\"name\" observed=\"@name\"/>"));
        QCOMPARE(findings.size(), std::size_t(1));
        const auto& rows = findings[0].evidence;
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(rows[0].observed), QString("10.0.0.1"));
        QCOMPARE(QString::fromStdString(rows[1].observed), QString("10.0.0.2"));
        QCOMPARE(QString::fromStdString(std::string(rows[1].expected)), QString("none"));
        QCOMPARE(QString::fromStdString(std::string(rows[2].attribute)), QString("name"));
    }
    void examplesThatHoldGiveNoFailure() {
        auto loaded =
            load(pack("<condition>//virtualServer[@flags != 0]</condition>\n"
                      "            <message>flags <value of=\"@flags\"/><if "
                      "test=\"@present='false'\"> (default)</if></message>\n"
                      "            <evidence attribute=\"flags\" observed=\"@flags\"/>\n"
                      "            <example expect=\"fires\" message-contains=\"flags 7 "
                      "(default)\" evidence-contains=\"7\">\n"
                      "              <exchange><virtualServer flags=\"7\" "
                      "present=\"false\"/></exchange></example>\n"
                      "            <example expect=\"fires\" message-contains=\"flags 5\">\n"
                      "              <snapshot formatVersion=\"2\"><exchange><virtualServer "
                      "flags=\"5\" present=\"true\"/></exchange></snapshot></example>\n"
                      "            <example expect=\"silent\"><exchange><virtualServer "
                      "flags=\"0\"/></exchange></example>"));
        QVERIFY2(loaded->ok, qPrintable(allErrors(*loaded)));
        auto failures = checkExamples(loaded->catalogue);
        QVERIFY2(failures.empty(), failures.empty() ? "" : failures.front().c_str());
    }
    void wrongExamplesAreReportedWithFileLineRuleAndNumber() {
        auto loaded = load(pack("<condition>//virtualServer[@flags != 0]</condition>\n"
                                "            <message>flags <value of=\"@flags\"/></message>\n"
                                "            <example expect=\"fires\" message-contains=\"flags "
                                "9\"><exchange><virtualServer flags=\"7\"/></exchange></example>\n"
                                "            <example expect=\"silent\"><exchange><virtualServer "
                                "flags=\"1\"/></exchange></example>\n"
                                "            <example expect=\"fires\"><exchange><virtualServer "
                                "flags=\"0\"/></exchange></example>"));
        QVERIFY2(loaded->ok, qPrintable(allErrors(*loaded)));
        auto failures = checkExamples(loaded->catalogue);
        QCOMPARE(failures.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(failures[0]),
                 QString("t.xml:5: rule X-TEST: example 1: expected a message containing "
                         "\"flags 9\", got \"flags 7\""));
        QCOMPARE(QString::fromStdString(failures[1]),
                 QString("t.xml:6: rule X-TEST: example 2: expected silent, got 1 finding(s): "
                         "\"flags 1\""));
        QCOMPARE(QString::fromStdString(failures[2]),
                 QString("t.xml:7: rule X-TEST: example 3: expected it to fire, got no finding"));
    }
    void untestedBranchesEvidenceAndMissingExamplesAreReported() {
        auto loaded = load(pack(
            "<condition>//virtualServer</condition>\n"
            "            <message>m<if test=\"@flags='7'\"> seven</if></message>\n"
            "            <evidence attribute=\"x\" observed=\"@missing\"/>\n"
            "            <example expect=\"fires\" message-contains=\"m seven\" "
            "evidence-contains=\"y\"><exchange><virtualServer flags=\"7\"/></exchange></example>"));
        QVERIFY2(loaded->ok, qPrintable(allErrors(*loaded)));
        QStringList failures;
        for (const auto& failure : checkExamples(loaded->catalogue))
            failures << QString::fromStdString(failure);
        auto all = failures.join("\n");
        QVERIFY2(
            all.contains("t.xml:2: rule X-TEST: expected an <example expect=\"silent\">, got none"),
            qPrintable(all));
        QVERIFY2(
            all.contains(
                "t.xml:6: rule X-TEST: example 1: expected evidence containing \"y\", got \"\""),
            qPrintable(all));
        QVERIFY2(all.contains("t.xml:4: rule X-TEST: <if test=\"@flags='7'\">: expected a firing "
                              "example with message-contains where it is false"),
                 qPrintable(all));
        QVERIFY2(
            all.contains(
                "t.xml:5: rule X-TEST: <evidence attribute=\"x\">: expected an observed value"),
            qPrintable(all));
    }
    void causeListsEveryNodeOfANodeSetAndIsEmptyWithoutCause() {
        auto findings =
            run(pack("<condition>//virtualServer</condition>\n"
                     "            <message>m</message>\n"
                     "            <cause>allowing only <value of=\"address/@value\"/> on "
                     "<value of=\"@name\"/></cause>"));
        QCOMPARE(findings.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(findings[0].cause),
                 QString("allowing only 10.0.0.1, 10.0.0.2 on one"));
        QCOMPARE(QString::fromStdString(findings[1].cause), QString("allowing only on two"));
        auto without = run(pack("<condition>//virtualServer</condition><message>m</message>"));
        QCOMPARE(without.size(), std::size_t(2));
        QVERIFY(without[0].cause.empty());
    }
    void causeRefusesIfAndEmptiness() {
        auto withIf = load(pack("<condition>//virtualServer</condition><message>m</message>\n"
                                "<cause>a<if test=\"1\">b</if></cause>"));
        QVERIFY(!withIf->ok);
        QVERIFY2(allErrors(*withIf).contains("<cause> allows text and <value of> only, no <if>"),
                 qPrintable(allErrors(*withIf)));
        auto empty = load(pack("<condition>//virtualServer</condition><message>m</message>\n"
                               "<cause> </cause>"));
        QVERIFY(!empty->ok);
        QVERIFY2(allErrors(*empty).contains("<cause> is empty"), qPrintable(allErrors(*empty)));
    }
    void causeContainsIsCheckedByExamples() {
        auto loaded =
            load(pack("<condition>//virtualServer</condition>\n"
                      "            <message>m</message><cause>fixing <value "
                      "of=\"@name\"/></cause>\n"
                      "            <example expect=\"fires\" cause-contains=\"fixing "
                      "two\"><exchange><virtualServer name=\"one\"/></exchange></example>\n"
                      "            <example expect=\"silent\"><exchange/></example>"));
        QVERIFY2(loaded->ok, qPrintable(allErrors(*loaded)));
        auto failures = checkExamples(loaded->catalogue);
        QCOMPARE(failures.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(failures[0]),
                 QString("t.xml:5: rule X-TEST: example 1: expected a cause containing "
                         "\"fixing two\", got \"fixing one\""));
    }
    void explainShowsTheRuleWhole() {
        auto loaded = load(pack("<condition>//x</condition><message>m</message>"));
        QVERIFY(loaded->ok);
        auto text = QString::fromStdString(explainRule(*loaded->catalogue.find("X-TEST")));
        for (const char* part : {"X-TEST: Test rule", "Severity: warning", "Kind: unsafe",
                                 "(t.xml:2)", "Why it matters:\n  w", "  1. first\n  2. second",
                                 "  - ref A <https://example.org/a>"})
            QVERIFY2(text.contains(part), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestRuleLanguage)
#include "tst_rule_language.moc"
