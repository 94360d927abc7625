// Rules run while the snapshot is built (early_evaluation.h): which expressions may run early,
// that the builder hands over each object complete and unchanged afterwards, and that the
// findings are the same with the early answers as without them.
#include "directory_builder.h"
#include "early_evaluation.h"
#include "rules.h"
#include "snapshot_builder.h"
#include "split_mix64.h"
#include "xml_text.h"
#include "xpath_locality.h"

#include <QtTest/QtTest>

using namespace relayaudit;
using testsupport::Forest;
using testsupport::xmlTextOf;

namespace {

// Every part of every finding, one line each, in the report's order.
QStringList linesOf(const std::vector<Finding>& findings) {
    QStringList lines;
    for (const auto& finding : findings) {
        std::string line = finding.rule->id + " | " + finding.object + " | " + finding.objectName +
                           " | " + finding.message + " | " + finding.cause;
        for (const auto& item : finding.evidence)
            line.append(" | ")
                .append(item.attribute)
                .append("=")
                .append(item.observed)
                .append(" (")
                .append(item.expected)
                .append(")");
        lines << QString::fromStdString(line);
    }
    return lines;
}

RuleCatalogue builtinRules() {
    RuleCatalogue catalogue;
    std::vector<RulePackError> errors;
    if (!catalogue.loadBuiltin(errors))
        qFatal("built-in rule packs: %s", errors.front().describe().c_str());
    return catalogue;
}

// A forest whose virtual servers, receive connectors and SMTP connectors take every setting the
// rules look at, in random combinations; `enabledGuest` decides the rules that read the domains.
Forest randomForest(std::uint64_t seed, bool enabledGuest) {
    testsupport::SplitMix64 random(seed);
    Forest forest;
    forest.domain();
    forest.guest(enabledGuest ? "66080" : "66082");
    forest.organizationEntry();
    const std::string relayLists[] = {
        "",
        testsupport::ipSecurityBlob({{"127.0.0.1", "255.255.255.255"}}, {}),
        testsupport::ipSecurityBlob({}, {}),
        testsupport::ipSecurityBlob({{"10.20.0.0", "255.255.0.0"}}, {}),
        testsupport::ipSecurityBlob({{"0.0.0.0", "0.0.0.0"}}, {}),
        testsupport::ipSecurityBlob({{"10.0.0.0", "255.0.0.0"}}, {{"10.9.0.0", "255.255.0.0"}},
                                    {"relay.corp.example"}),
        testsupport::emptyOnlyListBlob(),
        testsupport::ipSecurityBlob({{"127.0.0.1", "255.255.255.255"}}, {}).substr(0, 30)};
    const char* flags[] = {"", "0", "1", "2", "4", "5", "6", "7", "x"};
    const char* booleans[] = {"", "TRUE", "FALSE", "maybe"};
    const char* sslFlags[] = {"", "0", "8", "40", "bad"};
    for (int i = 0; i < 300; ++i)
        forest.virtualServer("EXCH" + std::to_string(i / 5), i % 5 + 1,
                             {{"msExchSmtpRelayIpList", relayLists[random.below(8)]},
                              {"msExchAuthenticationFlags", flags[random.below(9)]},
                              {"msExchSmtpRelayForAuth", booleans[random.below(4)]},
                              {"msExchAccessSSLFlags", sslFlags[random.below(5)]}});
    const std::string anonymous = testsupport::binarySid({7});
    const std::string everyone = testsupport::binarySid({0}, 1);
    const char* anyRecipient = testsupport::kAcceptAnyRecipient;
    const char* mechanisms[] = {"", "29", "32", "33", "61", "1", "zz"};
    const char* ranges[] = {"0.0.0.0-255.255.255.255", "10.0.0.0/8", "192.168.1.1", ""};
    for (int i = 0; i < 60; ++i) {
        std::vector<testsupport::TestAce> aces;
        if (random.below(2))
            aces.push_back({5, 0, 0x100, testsupport::guidBytes(anyRecipient),
                            random.below(2) ? anonymous : everyone});
        if (random.below(3) == 0)
            aces.push_back({0, std::uint8_t(random.below(2) ? 0x08 : 0), 0x10000000, "", everyone});
        std::string descriptor = testsupport::securityDescriptor(aces);
        if (random.below(6) == 0)
            descriptor = descriptor.substr(0, 10);
        forest.receiveConnector(
            "EX" + std::to_string(i / 6), "Connector " + std::to_string(i),
            {{"msExchSmtpReceiveEnabled", booleans[random.below(4)]},
             {"msExchSMTPReceiveInboundSecurityFlag", mechanisms[random.below(7)]},
             {"nTSecurityDescriptor", random.below(8) ? descriptor : ""},
             {"msExchSmtpReceiveRemoteIPRanges", ranges[random.below(4)]}});
    }
    for (int i = 0; i < 5; ++i)
        forest.smtpConnector("Connector " + std::to_string(i), {"SMTP:*;1"});
    return forest;
}

// The snapshot built with the early evaluation told of each object, as a live audit builds it.
void buildWithEarlyEvaluation(const Forest& forest, pugi::xml_document& snapshot,
                              EarlyEvaluation& early) {
    SnapshotBuilder builder(snapshot, RawValues::Kept,
                            [&early](pugi::xml_node object, std::string_view path) {
                                early.objectBuilt(object, path);
                            });
    for (const auto& entry : forest.entries)
        builder.add(entry);
    builder.finish(testsupport::fixedContext());
}

} // namespace

class EarlyEvaluationTest : public QObject {
    Q_OBJECT
private slots:
    void expressionsThatMayRunEarly_data() {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<bool>("local");
        for (const char* local :
             {"@anonymous='true'", "relayList/@status='invalid'",
              "relayList[@status='valid' and address[@list='grant' and @mask='0.0.0.0']]",
              "@a and (@b or not(@c))", "count(address) > 2", "string(.)", "./relayList",
              "descendant::address", "a//b", "self::node()/@x", "concat(@a, '/x', \"$y\")",
              "relayList /@status", "child::parent", "@hostBits div 2", "node()/@a", ""})
            QTest::newRow(local) << QString(local) << true;
        for (const char* outward : {"$anyEnabledGuest",
                                    "/snapshot/domains/domain",
                                    "//virtualServer",
                                    "../@name",
                                    "../../@anonymous!='true'",
                                    "parent::*/@name",
                                    "ancestor::exchange",
                                    "ancestor-or-self::*",
                                    "preceding-sibling::virtualServer",
                                    "following::x",
                                    "id('x')",
                                    "lang('en')",
                                    "@a = /snapshot/@x",
                                    "@a or /x",
                                    "@a and //x",
                                    "(/snapshot)/x",
                                    "count(//x)",
                                    "@a | /x",
                                    "* /x",
                                    "@n div /x",
                                    "x[/y]",
                                    "'unclosed",
                                    "@a=$b"})
            QTest::newRow(outward) << QString(outward) << false;
    }
    void expressionsThatMayRunEarly() {
        QFETCH(QString, expression);
        QFETCH(bool, local);
        QCOMPARE(readsOnlyItsSubtree(expression.toStdString()), local);
    }

    // The builder tells of each virtual server and connector once, complete: what it is when told
    // is what it is in the finished document, at the path it was told.
    void objectsAreToldCompleteWithTheirFinalPath() {
        auto forest = randomForest(7, false);
        std::vector<std::tuple<const void*, std::string, std::string>> told;
        pugi::xml_document snapshot;
        SnapshotBuilder builder(
            snapshot, RawValues::Kept, [&told](pugi::xml_node object, std::string_view path) {
                told.emplace_back(object.internal_object(), std::string(path), xmlTextOf(object));
            });
        for (const auto& entry : forest.entries)
            builder.add(entry);
        builder.finish(testsupport::fixedContext());
        QCOMPARE(told.size(), std::size_t(300 + 60 + 5));
        std::map<const void*, pugi::xml_node> finished;
        for (const char* path :
             {"/snapshot/exchange/virtualServer", "/snapshot/exchange/receiveConnector",
              "/snapshot/exchange/smtpConnector"})
            for (const auto& node : snapshot.select_nodes(path))
                finished[node.node().internal_object()] = node.node();
        QCOMPARE(finished.size(), told.size());
        for (const auto& [object, path, text] : told) {
            auto node = finished.at(object);
            QCOMPARE(QString::fromStdString(path),
                     QString("/snapshot/exchange/") + QString(node.name()));
            QCOMPARE(QString::fromStdString(xmlTextOf(node)), QString::fromStdString(text));
        }
    }

    // The built-in rules on random forests give the same findings, in the same order, with the
    // early answers as without them; and the early evaluation did run whole rules.
    void earlyEvaluationGivesTheSameFindings() {
        auto catalogue = builtinRules();
        for (std::uint64_t seed : {1, 2, 3, 4}) {
            auto forest = randomForest(seed, seed % 2 == 0);
            pugi::xml_document plain;
            buildSnapshot(forest.entries, testsupport::fixedContext(), plain);
            auto expected = linesOf(catalogue.evaluate(plain));

            pugi::xml_document snapshot;
            EarlyEvaluation early(catalogue);
            buildWithEarlyEvaluation(forest, snapshot, early);
            QCOMPARE(xmlTextOf(snapshot), xmlTextOf(plain));
            std::size_t objects = 0;
            QVERIFY(early.ranWhole(*catalogue.find("EXS-RELAY-OPEN"), objects));
            QCOMPARE(objects, std::size_t(300));
            QVERIFY(!early.ranWhole(*catalogue.find("EXS-RELAY-GUEST"), objects)); // reads $vars
            QCOMPARE(linesOf(catalogue.evaluate(snapshot, &early)), expected);
            QVERIFY(expected.size() > 300);
        }
    }

    // EXS-RELAY-WIDE's condition was rewritten without ".." so that it can run early: on random
    // virtual servers it selects what the one written with ".." selected.
    void theWideRelayConditionSelectsWhatItsFormerTextDid() {
        const char* former =
            "/snapshot/exchange/virtualServer[relayList[@status='valid' and "
            "@mode='only-list-below' and address[@list='grant' and @hostBits > 8 and "
            "(@hostBits < 32 or ../../@anonymous!='true')]]]";
        auto catalogue = builtinRules();
        const Rule& rule = *catalogue.find("EXS-RELAY-WIDE");
        testsupport::SplitMix64 random(11);
        const char* anonymous[] = {" anonymous=\"true\"", " anonymous=\"false\"", ""};
        const char* hostBits[] = {"0", "8", "9", "16", "31", "32"};
        std::string xml = "<snapshot><exchange>";
        for (int i = 0; i < 2000; ++i) {
            xml += "<virtualServer dn=\"CN=" + std::to_string(i) + "\"" +
                   anonymous[random.below(3)] + ">";
            for (std::size_t list = random.below(3); list > 0; --list) {
                xml += std::string("<relayList status=\"") +
                       (random.below(4) ? "valid" : "invalid") + "\" mode=\"" +
                       (random.below(3) ? "only-list-below" : "all-except-list-below") + "\">";
                for (std::size_t a = random.below(4); a > 0; --a)
                    xml += std::string("<address list=\"") + (random.below(3) ? "grant" : "deny") +
                           "\" hostBits=\"" + hostBits[random.below(6)] + "\"/>";
                xml += "</relayList>";
            }
            xml += "</virtualServer>";
        }
        xml += "</exchange></snapshot>";
        pugi::xml_document snapshot;
        QVERIFY(snapshot.load_string(xml.c_str()));
        auto dnsOf = [&](const pugi::xpath_node_set& nodes) {
            QStringList dns;
            for (const auto& node : nodes)
                dns << node.node().attribute("dn").value();
            return dns;
        };
        auto expected = dnsOf(snapshot.select_nodes(former));
        QVERIFY(expected.size() > 100 && expected.size() < 1900);
        QCOMPARE(dnsOf(snapshot.select_nodes(rule.condition.c_str())), expected);
        QVERIFY(readsOnlyItsSubtree(rule.condition.substr(
            rule.condition.find('[') + 1, rule.condition.size() - rule.condition.find('[') - 2)));
    }

    // Should a node on a rule's path not have been built early (here one added afterwards), the
    // rule is run late on all its nodes, and the findings are still the same.
    void aNodeNotBuiltEarlyMakesItsPathRunLate() {
        auto catalogue = builtinRules();
        auto forest = randomForest(5, true);
        pugi::xml_document snapshot;
        EarlyEvaluation early(catalogue);
        buildWithEarlyEvaluation(forest, snapshot, early);
        auto exchange = snapshot.child("snapshot").child("exchange");
        auto added = exchange.append_copy(exchange.child("virtualServer"));
        added.attribute("dn").set_value("CN=added");
        auto expected = linesOf(catalogue.evaluate(snapshot));
        QVERIFY(expected.filter("| CN=added |").size() > 0);
        QCOMPARE(linesOf(catalogue.evaluate(snapshot, &early)), expected);
    }
};

QTEST_APPLESS_MAIN(EarlyEvaluationTest)
#include "tst_early_evaluation.moc"
