// The snapshot: decoded shape, schema validity, hostile text, save/load round trip.
#include "atomic_file.h"
#include "builder/text_set.h"
#include "directory_builder.h"
#include "raw_element_oracle.h"
#include "raw_elements.h"
#include "rules.h"
#include "snapshot.h"
#include "snapshot_build_thread.h"
#include "snapshot_builder.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <algorithm>
#include <map>
#include <random>
#include <sstream>

using namespace relayaudit;
using testsupport::Forest;

namespace {

Forest sampleForest() {
    Forest forest;
    forest.domain();
    forest.guest("66080");
    forest.organizationEntry();
    forest.virtualServer(
        "EXCH01", 1,
        {{"msExchSmtpRelayIpList", testsupport::ipSecurityBlob({{"10.1.0.0", "255.255.0.0"},
                                                                {"127.0.0.1", "255.255.255.255"}},
                                                               {}, {"relay.corp.example"})},
         {"msExchAuthenticationFlags", "5"}});
    forest.virtualServer("EXCH01", 2,
                         {{"msExchSmtpRelayIpList", testsupport::ipSecurityBlob({}, {})}});
    forest.virtualServer("EXCH02", 1, {{"msExchSmtpRelayIpList", std::string("\x18\x00\x00", 3)}});
    return forest;
}

// The text as removeRawElements leaves it.
std::string withoutRawElements(std::string text) {
    text.resize(removeRawElements(text.data(), text.size()));
    return text;
}

// A document as its text (two documents are the same when their texts are), for QCOMPARE.
QString textOf(const pugi::xml_document& document) {
    std::ostringstream out;
    document.save(out);
    return QString::fromStdString(out.str());
}

pugi::xml_document build(const Forest& forest, const std::string& source = "ldif") {
    const CollectionContext context = testsupport::fixedContext(source);
    pugi::xml_document snapshot;
    buildSnapshot(forest.entries, context, snapshot);
    return snapshot;
}

std::vector<std::string> findingKeys(const pugi::xml_document& snapshot) {
    RuleCatalogue catalogue;
    std::vector<RulePackError> errors;
    catalogue.loadBuiltin(errors);
    std::vector<std::string> keys;
    for (const auto& finding : catalogue.evaluate(snapshot))
        keys.push_back(finding.rule->id + " " + finding.object + " " + finding.message);
    return keys;
}

QString validate(const QString& file) {
    QProcess xmllint;
    xmllint.start(XMLLINT_PROGRAM,
                  {"--noout", "--schema", RELAYAUDIT_SOURCE_DIR "/schemas/snapshot.xsd", file});
    xmllint.waitForFinished(30000);
    return xmllint.exitCode() == 0 ? QString() : QString(xmllint.readAllStandardError());
}

} // namespace

class TestSnapshot : public QObject {
    Q_OBJECT

private slots:
    void relayListIsDecodedWithModeEntriesAndSummary() {
        auto snapshot = build(sampleForest());
        auto list = snapshot.select_node("//virtualServer[@server='EXCH01'][1]/relayList").node();
        QCOMPARE(QString(list.attribute("status").value()), QString("valid"));
        QCOMPARE(QString(list.attribute("mode").value()), QString("only-list-below"));
        QCOMPARE(
            snapshot.select_nodes("//virtualServer[1]/relayList/address[@list='grant']").size(),
            std::size_t(2));
        auto wide =
            snapshot.select_node("//virtualServer[1]/relayList/address[@prefix='16']").node();
        QCOMPARE(QString(wide.attribute("hostBits").value()), QString("16"));
        QCOMPARE(QString(wide.attribute("addresses").value()), QString("65536"));
        QVERIFY(QString(list.attribute("summary").value()).contains("relay.corp.example"));
    }
    void relayListCarriesItsWidestGrantOnlyWhenItGrantsAnAddress() {
        auto snapshot = build(sampleForest());
        auto first = snapshot.select_node("//virtualServer[@server='EXCH01'][1]/relayList").node();
        QCOMPARE(QString(first.attribute("widestGrantHostBits").value()), QString("16"));
        auto second =
            snapshot.select_node("//virtualServer[contains(@dn,'CN=2,')]/relayList").node();
        QVERIFY(!second.attribute("widestGrantHostBits"));
    }
    void loadingRefusesARelayListWhoseWidestGrantIsMissingOrWrong() {
        QTemporaryDir directory;
        for (const char* value : {"", "8"}) {
            auto snapshot = build(sampleForest());
            auto list =
                snapshot.select_node("//virtualServer[@server='EXCH01'][1]/relayList").node();
            if (*value)
                list.attribute("widestGrantHostBits").set_value(value);
            else
                list.remove_attribute("widestGrantHostBits");
            QString file = directory.filePath("snapshot.xml");
            QVERIFY(!writeFileAtomically(file.toStdString(), snapshotToString(snapshot)));
            pugi::xml_document loaded;
            auto problem = loadSnapshot(file.toStdString(), loaded);
            QVERIFY(problem && problem->find("widestGrantHostBits") != std::string::npos);
        }
    }
    void absentAttributesTakeExchangeDefaultsAndSayTheyWereAbsent() {
        auto snapshot = build(sampleForest());
        auto second = snapshot.select_node("//virtualServer[@dn and contains(@dn,'CN=2,')]").node();
        QCOMPARE(QString(second.attribute("relayForAuth").value()), QString("true"));
        QCOMPARE(QString(second.attribute("relayForAuthPresent").value()), QString("false"));
        QCOMPARE(QString(second.attribute("authFlags").value()), QString("7"));
        QCOMPARE(QString(second.attribute("anonymous").value()), QString("true"));
        QCOMPARE(QString(second.child("relayList").attribute("mode").value()),
                 QString("all-except-list-below"));
    }
    void undecodableBlobIsInvalidWithReasonAndRawKept() {
        auto snapshot = build(sampleForest());
        auto broken = snapshot.select_node("//virtualServer[@server='EXCH02']").node();
        QCOMPARE(QString(broken.child("relayList").attribute("status").value()),
                 QString("invalid"));
        QVERIFY(!QString(broken.child("relayList").attribute("reason").value()).isEmpty());
        auto raw = broken.find_child_by_attribute("raw", "name", "msExchSmtpRelayIpList");
        QCOMPARE(QString(raw.attribute("encoding").value()), QString("base64"));
        QCOMPARE(QString(raw.text().get()), QString("GAAA"));
    }
    void guestIsFoundBySidAndJudgedByAccountControl() {
        auto snapshot = build(sampleForest());
        auto domain = snapshot.select_node("//domain").node();
        QCOMPARE(QString(domain.attribute("sid").value()),
                 QString("S-1-5-21-1004336348-1177238915-682003330"));
        QCOMPARE(QString(domain.attribute("guestStatus").value()), QString("found"));
        QCOMPARE(QString(domain.child("guest").attribute("enabled").value()), QString("true"));
        QCOMPARE(QString(domain.attribute("dnsName").value()), QString("corp.example"));
    }
    void guestOfEachOfManyDomainsIsFoundInItsOwnDomain() {
        Forest forest;
        for (std::uint32_t i = 0; i < 40; ++i) {
            forest.base = "DC=d" + std::to_string(i) + ",DC=corp,DC=example";
            forest.domain(testsupport::domainSid(i, 7, 7));
            if (i % 3 != 2) // every third domain has no Guest in the input
                forest.guest(i % 2 ? "66080" : "66082", "Guest", testsupport::guestSid(i, 7, 7));
        }
        auto snapshot = build(forest);
        auto domains = snapshot.select_nodes("//domain");
        QCOMPARE(domains.size(), std::size_t(40));
        for (const auto& item : domains) {
            auto domain = item.node();
            std::string dn = domain.attribute("dn").value();
            int i = std::stoi(dn.substr(4));
            if (i % 3 == 2) {
                QCOMPARE(QString(domain.attribute("guestStatus").value()), QString("not-found"));
                continue;
            }
            QCOMPARE(QString(domain.attribute("guestStatus").value()), QString("found"));
            QCOMPARE(std::string(domain.child("guest").attribute("dn").value()),
                     "CN=Guest,CN=Users," + dn);
            QCOMPARE(QString(domain.child("guest").attribute("enabled").value()),
                     QString(i % 2 ? "true" : "false"));
        }
    }
    // Domains come in the order of their lower-case DNs, and a SID that several domains claim
    // (damaged or hostile input) belongs to the one whose DN sorts last: only the Guest under
    // that domain is placed (build_domains.cpp, DomainTable).
    void aSidClaimedTwiceBelongsToTheDomainWhoseDnSortsLast() {
        Forest forest;
        for (const char* base : {"DC=Zeta,DC=corp,DC=example", "DC=alpha,DC=corp,DC=example"}) {
            forest.base = base;
            forest.domain(testsupport::domainSid(5, 5, 5));
            forest.guest("66080", "Guest", testsupport::guestSid(5, 5, 5));
        }
        auto snapshot = build(forest);
        auto domains = snapshot.select_nodes("//domain");
        QCOMPARE(domains.size(), std::size_t(2));
        auto alpha = domains[0].node(), zeta = domains[1].node();
        QCOMPARE(QString(alpha.attribute("dn").value()), QString("DC=alpha,DC=corp,DC=example"));
        QCOMPARE(QString(zeta.attribute("dn").value()), QString("DC=Zeta,DC=corp,DC=example"));
        QCOMPARE(QString(zeta.attribute("guestStatus").value()), QString("found"));
        QCOMPARE(QString(zeta.child("guest").attribute("dn").value()),
                 QString("CN=Guest,CN=Users,DC=Zeta,DC=corp,DC=example"));
        QCOMPARE(QString(alpha.attribute("guestStatus").value()), QString("not-found"));
    }
    void configurationContextIsInferredFromDistinguishedNames() {
        auto snapshot = build(sampleForest());
        auto forest = snapshot.select_node("/snapshot/forest").node();
        QCOMPARE(QString(forest.attribute("configurationNC").value()),
                 QString("CN=Configuration,DC=corp,DC=example"));
        QCOMPARE(QString(forest.attribute("rootDomainNC").value()), QString("DC=corp,DC=example"));
    }
    void duplicateEntriesAcrossExportsAreCountedOnce() {
        auto forest = sampleForest();
        auto copy = forest.entries.back();
        copy.dn = QString::fromStdString(copy.dn).toLower().toStdString();
        forest.entries.push_back(copy);
        auto snapshot = build(forest);
        QCOMPARE(snapshot.select_nodes("//virtualServer").size(), std::size_t(3));
        QCOMPARE(QString(snapshot.select_node("/snapshot/forest")
                             .node()
                             .attribute("duplicateEntries")
                             .value()),
                 QString("1"));
    }
    // A live collection hands each entry over and drops it (SnapshotBuilder::add by move): what
    // finish() still needs (server counts, forest, domains) must survive, in the same document.
    void entriesHandedOverOneByOneGiveTheSameSnapshot() {
        auto forest = sampleForest();
        auto whole = build(forest);
        const CollectionContext context = testsupport::fixedContext();
        pugi::xml_document streamed;
        SnapshotBuilder builder(streamed);
        for (auto& entry : forest.entries) {
            builder.add(std::move(entry));
            entry = DirectoryEntry{}; // nothing of it is left behind
        }
        builder.finish(context);
        QCOMPARE(textOf(streamed), textOf(whole));
        auto organization = streamed.select_node("//organization").node();
        QCOMPARE(QString(organization.attribute("virtualServers").value()), QString("3"));
        QVERIFY(streamed.select_node("//organization/following-sibling::virtualServer"));
    }

    // finish() puts the exchange element last and each kind in it after the other, whatever
    // order the entries came in: organisations, servers, virtual servers, receive connectors,
    // SMTP connectors, each kind in the order it came (the virtual servers are built in the
    // exchange element itself, the others moved in). Also without any virtual server.
    void exchangeObjectsAreGroupedByKindInArrivalOrder() {
        for (bool withVirtualServers : {true, false}) {
            auto forest = sampleForest();
            forest.receiveConnector("EXCH03", "Relay",
                                    {{"msExchSmtpReceiveBindings", "0.0.0.0:25"}});
            forest.smtpConnector("Internet", {"SMTP:*;1"});
            for (const char* server : {"EXCH01", "EXCH02"})
                forest.add(forest.serverDn(server), {"top", "server", "msExchExchangeServer"});
            forest.receiveConnector("EXCH03", "Default",
                                    {{"msExchSmtpReceiveBindings", "0.0.0.0:25"}});
            if (!withVirtualServers)
                std::erase_if(forest.entries, [](const DirectoryEntry& entry) {
                    return entry.hasObjectClass("protocolCfgSMTPServer");
                });
            std::reverse(forest.entries.begin(), forest.entries.end()); // kinds interleaved
            std::vector<std::string> virtualServerDns, receiveConnectorDns;
            for (const auto& entry : forest.entries) {
                if (entry.hasObjectClass("protocolCfgSMTPServer"))
                    virtualServerDns.push_back(entry.dn);
                if (entry.hasObjectClass("msExchSmtpReceiveConnector"))
                    receiveConnectorDns.push_back(entry.dn);
            }
            auto snapshot = build(forest);
            auto root = snapshot.child("snapshot");
            QCOMPARE(QString(root.last_child().name()), QString("exchange"));
            QVERIFY(!snapshot.select_node("//pending"));
            const std::vector<std::string> order = {"organization", "server", "virtualServer",
                                                    "receiveConnector", "smtpConnector"};
            std::size_t kind = 0;
            std::vector<std::string> seenVirtualServers, seenReceiveConnectors;
            std::map<std::string, int> counts;
            for (auto child : root.child("exchange").children()) {
                auto at = std::find(order.begin(), order.end(), std::string(child.name()));
                QVERIFY2(at != order.end(), child.name());
                QVERIFY2(std::size_t(at - order.begin()) >= kind, child.name());
                kind = std::size_t(at - order.begin());
                ++counts[child.name()];
                if (kind == 2)
                    seenVirtualServers.push_back(child.attribute("dn").value());
                if (kind == 3)
                    seenReceiveConnectors.push_back(child.attribute("dn").value());
            }
            QCOMPARE(counts["organization"], 1);
            QVERIFY(counts["server"] > 0);
            QCOMPARE(counts["smtpConnector"], 1);
            QCOMPARE(std::size_t(counts["virtualServer"]), virtualServerDns.size());
            QCOMPARE(withVirtualServers, !virtualServerDns.empty());
            QVERIFY(seenVirtualServers == virtualServerDns);
            QVERIFY(seenReceiveConnectors == receiveConnectorDns);
        }
    }

    // A live collection builds on a second thread (SnapshotBuildThread); with a queue of one
    // entry the two threads hand over at every entry, and the document is still the same.
    void entriesBuiltOnASecondThreadGiveTheSameSnapshot() {
        auto forest = sampleForest();
        auto whole = build(forest);
        const CollectionContext context = testsupport::fixedContext();
        pugi::xml_document threaded;
        SnapshotBuildThread builder(threaded, RawValues::Kept, 1);
        for (auto& entry : forest.entries)
            builder.add(std::move(entry));
        builder.finish(context);
        QCOMPARE(textOf(threaded), textOf(whole));
    }

    // The LDAP collector decodes each entry into the one add() handed back, a spent entry whose
    // strings it reuses. Entries of different shapes (more or fewer attributes and values than
    // the spent one held) must come out as if each were new: the document equals the one built
    // from fresh entries.
    void entriesDecodedIntoSpentOnesGiveTheSameSnapshot() {
        auto forest = sampleForest();
        for (int i = 0; i < 1000; ++i) {
            std::map<std::string, std::string> values = {
                {"msExchAuthenticationFlags", std::to_string(i % 8)}};
            if (i % 3 == 0)
                values["msExchSmtpRelayIpList"] = testsupport::ipSecurityBlob(
                    {{"10." + std::to_string(i % 250) + ".0.0", "255.255.0.0"}}, {});
            if (i % 5 == 0)
                values["msExchAccessSSLFlags"] = "8";
            auto& entry = forest.virtualServer("EXCH" + std::to_string(i / 7), i % 7 + 1, values);
            if (i % 11 == 0)
                entry.attributes.push_back({"msExchServerBindings", {":25:", ":587:", ":2525:"}});
        }
        auto whole = build(forest);
        pugi::xml_document threaded;
        SnapshotBuildThread builder(threaded, RawValues::Kept, 128);
        DirectoryEntry decoded; // as the collector's: refilled by copy-assignment, which reuses
        for (const auto& entry : forest.entries) {
            decoded.dn = entry.dn;
            decoded.origin = entry.origin;
            decoded.attributes = entry.attributes;
            builder.add(std::move(decoded));
        }
        builder.finish(testsupport::fixedContext());
        QCOMPARE(textOf(threaded), textOf(whole));
    }

    // A run nobody reads the raw copies of builds the document without them and without the
    // objects' origins, and nothing else.
    void leavingOutRawValuesRemovesOnlyTheRawElementsAndOrigins() {
        auto forest = sampleForest();
        forest.receiveConnector("EXCH03", "Default EXCH03", {{"msExchSmtpReceiveBindings", ":25"}});
        forest.smtpConnector("Internet", {"SMTP:*;1"}, "smarthost.example");
        auto whole = build(forest);
        const CollectionContext context = testsupport::fixedContext();
        pugi::xml_document lean;
        buildSnapshot(forest.entries, context, lean, RawValues::LeftOut);
        QVERIFY(whole.select_node("//virtualServer/raw"));
        QVERIFY(!lean.select_node("//raw"));
        QVERIFY(whole.select_node("//virtualServer/@origin"));
        QVERIFY(whole.select_node("//smtpConnector/@origin"));
        QVERIFY(whole.select_node("//receiveConnector/@origin"));
        QVERIFY(!lean.select_node("//virtualServer/@origin | //smtpConnector/@origin | "
                                  "//receiveConnector/@origin"));
        for (auto raw : whole.select_nodes("//raw"))
            raw.node().parent().remove_child(raw.node());
        for (auto origin : whole.select_nodes(
                 "//virtualServer/@origin | //smtpConnector/@origin | //receiveConnector/@origin"))
            origin.parent().remove_attribute(origin.attribute());
        QCOMPARE(textOf(lean), textOf(whole));
    }

    // A saved snapshot read for a run without raw readers loses its <raw> elements before it is
    // parsed, by a text filter: where the original parses, the filtered text parses to the same
    // document minus exactly the <raw> elements the oracle (raw_element_oracle.h) reads as
    // removable; where it does not, neither does the filtered text (a damaged <raw> must not
    // vanish into a clean load). Random documents from
    // fragments that try the filter's edges: comments, CDATA, PIs, quotes holding '>' or '<',
    // unquoted or glued attributes, nested and unclosed elements.
    void rawElementFilterKeepsTheRestOfTheDocument() {
        const std::vector<std::string> fragments = {
            "<a>", "</a>", "<raw name=\"x\">t</raw>", "<raw/>", "<raw name='y' encoding=\"b\"/>",
            "<raw name=\"a>b\">v</raw>", "<raw name=x>t</raw>", "<raw><b/></raw>",
            "<!-- <raw>c</raw> -->", "<![CDATA[<raw>d</raw>]]>", "<?pi <raw>e</raw>?>", "text",
            "&amp;", "<raw>", "</raw>", "<rawer>z</rawer>", "<raw  name = \"q\" >w</raw >",
            "<b x=\"<raw>\"/>", "<raw name=\"1\"n2=\"2\">t</raw>", "<raw\tname=\"t\"\n/>", " ",
            "<raw>x<!--c--></raw>", "<raw name=\"<\">t</raw>", "<raw>&lt;</raw>", "<raw>t</raw",
            "<raw name=\"1\" n2=\"2\">t</raw>", "<raw name=\"\">  </raw>", "<c/>", "<raw x",
            // fuzz_raw_elements, regress-e79dc4a0c1bb:
            // a declaration is not text.
            "<raw><?xml?></raw>"};
        std::mt19937 random(20261202);
        int parsedBoth = 0, removedSome = 0;
        for (int round = 0; round < 20000; ++round) {
            std::string text = "<root>";
            const int count = int(random() % 10);
            for (int i = 0; i < count; ++i)
                text += fragments[random() % fragments.size()];
            text += "</root>";
            std::string filtered = text;
            filtered.resize(removeRawElements(filtered.data(), filtered.size()));
            pugi::xml_document original, fromFiltered;
            const auto flags = testsupport::kRawOracleFlags;
            const bool originalParses = bool(original.load_string(text.c_str(), flags));
            const bool filteredParses = bool(fromFiltered.load_string(filtered.c_str(), flags));
            if (!originalParses) {
                QVERIFY2(!filteredParses, ("loads once filtered: " + text).c_str());
                continue;
            }
            QVERIFY2(filteredParses, ("fails once filtered: " + text).c_str());
            const auto removed = testsupport::removeRemovableRawElements(original);
            QVERIFY2(testsupport::serialised(fromFiltered) == testsupport::serialised(original),
                     text.c_str());
            ++parsedBoth;
            removedSome += removed > 0 ? 1 : 0;
        }
        QVERIFY(parsedBoth > 2000);
        QVERIFY(removedSome > 1000);
    }

    // Two findings of the raw_elements fuzz target, kept: a NUL byte ends pugixml's parse, so a
    // <raw> holding one must stay for the parser to reject (removed, the damaged file loaded
    // clean); a UTF-8 attribute name is a name to pugixml, so such a <raw> goes like any other.
    void rawElementFilterLeavesNulBytesToTheParser() {
        using namespace std::string_literals; // "..."s keeps the NUL bytes
        const std::string nulInValue = "<s><raw name=\"a\0b\">t</raw></s>"s;
        const std::string nulInText = "<s><raw name=\"a\">t\0u</raw></s>"s;
        QCOMPARE(nulInValue.size(), std::size_t(30));
        QCOMPARE(withoutRawElements(nulInValue), nulInValue);
        QCOMPARE(withoutRawElements(nulInText), nulInText);
        QCOMPARE(withoutRawElements("<s><raw name=\"a\" encod\xc3\xa9=\"b\">t</raw></s>"),
                 std::string("<s></s>"));
        // Between two texts a <raw> stays: removed, "t" and "u" would join into one text node.
        const std::string betweenTexts = "<s><raw name=\"a\">t<raw/>u</raw></s>";
        QCOMPARE(withoutRawElements(betweenTexts), betweenTexts);
    }

    // A third finding of the fuzz target: "<!-->" does not end the comment it opens (its "--"
    // belongs to the opener), so a <raw> after it is comment text and stays; likewise for
    // "<?>" and an empty CDATA section's opener.
    void rawElementFilterEndsCommentsWhereTheParserDoes() {
        const std::string comment = "<s><!-->x<raw/>--></s>";
        QCOMPARE(withoutRawElements(comment), comment);
        const std::string instruction = "<s><?>x<raw/>?></s>";
        QCOMPARE(withoutRawElements(instruction), instruction);
        QCOMPARE(withoutRawElements("<s><![CDATA[]]><raw/></s>"),
                 std::string("<s><![CDATA[]]></s>"));
        QCOMPARE(withoutRawElements("<s><!----><raw/></s>"), std::string("<s><!----></s>"));
    }

    // From the review of the filter: a <raw> before the root element stays (removed, the next
    // element would become the root and a damaged file load clean), and so does one next to
    // text; one among elements and white space goes.
    void rawElementFilterKeepsTheRootAndTheText() {
        const std::string beforeRoot = "<raw/><snapshot formatVersion=\"2\"/>";
        QCOMPARE(withoutRawElements(beforeRoot), beforeRoot);
        const std::string afterText = "<s><note>abc<raw>x</raw></note></s>";
        QCOMPARE(withoutRawElements(afterText), afterText);
        const std::string beforeText = "<s><note><raw>x</raw>def</note></s>";
        QCOMPARE(withoutRawElements(beforeText), beforeText);
        QCOMPARE(withoutRawElements("<s>\n  <a/>\n  <raw name=\"cn\">1</raw>\n  <raw/>\n</s>"),
                 std::string("<s>\n  <a/>\n  \n  \n</s>"));
    }

    void unreadableDomainFromCollectorIsRecordedWithReason() {
        Forest forest;
        CollectionContext context;
        context.sourceKind = "ldap";
        context.unreadableDomains.push_back({"DC=other,DC=example", "LDAP 50: access denied"});
        pugi::xml_document snapshot;
        buildSnapshot(forest.entries, context, snapshot);
        auto domain = snapshot.select_node("//domain").node();
        QCOMPARE(QString(domain.attribute("guestStatus").value()), QString("unreadable"));
        QCOMPARE(QString(domain.attribute("reason").value()), QString("LDAP 50: access denied"));
    }

    void escapedSeparatorInAServerNameDoesNotMoveTheServer() {
        Forest forest;
        forest.virtualServer("FAKE\\,CN=Servers", 1, {});
        auto snapshot = build(forest);
        QCOMPARE(
            QString(snapshot.select_node("//virtualServer").node().attribute("server").value()),
            QString("FAKE,CN=Servers"));
    }
    void objectWithMalformedDnIsStillJudgedAndFlagged() {
        Forest forest;
        auto& server = forest.virtualServer(
            "EXCH01", 1, {{"msExchSmtpRelayIpList", testsupport::ipSecurityBlob({}, {})}});
        server.dn.insert(server.dn.find(',') + 1, ","); // "CN=1,,CN=SMTP,...": an empty RDN
        auto snapshot = build(forest);
        auto node = snapshot.select_node("//virtualServer").node();
        QCOMPARE(QString(node.attribute("invalidAttributes").value()),
                 QString("distinguishedName"));
        QCOMPARE(QString(node.attribute("server").value()), QString());
        auto keys = findingKeys(snapshot);
        auto fired = [&](const std::string& rule) {
            return std::any_of(keys.begin(), keys.end(), [&](const std::string& key) {
                return key.starts_with(rule + " " + forest.entries.back().dn + " ");
            });
        };
        QVERIFY(fired("EXS-RELAY-OPEN"));
        QVERIFY(fired("EXS-VALUE-INVALID"));
    }
    void guestWithMalformedDnIsStillFoundByItsDomainSid() {
        Forest forest;
        forest.domain();
        auto& guest = forest.guest("66080");
        guest.dn = "CN=Guest,,CN=Users," + forest.base;
        auto snapshot = build(forest);
        auto domain = snapshot.select_node("//domain").node();
        QCOMPARE(QString(domain.attribute("guestStatus").value()), QString("found"));
        QCOMPARE(QString(domain.child("guest").attribute("enabled").value()), QString("true"));
        QCOMPARE(snapshot.select_nodes("/snapshot/forest/malformedDn").size(), std::size_t(1));
    }
    void entryWithMalformedDnIsListedWithItsReasonWhateverItsKind() {
        auto forest = sampleForest();
        forest.add("CN=printer\\", {"top", "device"});
        auto snapshot = build(forest);
        auto listed = snapshot.select_nodes("/snapshot/forest/malformedDn");
        QCOMPARE(listed.size(), std::size_t(1));
        auto node = listed.first().node();
        QCOMPARE(QString(node.attribute("dn").value()), QString("CN=printer\\"));
        QCOMPARE(QString(node.attribute("origin").value()), QString("test"));
        QCOMPARE(QString(node.attribute("reason").value()),
                 QString("byte 11 (distinguished name): the DN ends inside a '\\' escape"));
    }
    void snapshotWithMalformedDnsIsSchemaValidAndLoads() {
        auto forest = sampleForest();
        forest.add("CN=a,,DC=corp,DC=example", {"top", "msExchExchangeServer"});
        QTemporaryDir directory;
        QString file = directory.filePath("snapshot.xml");
        QVERIFY(!writeFileAtomically(file.toStdString(), snapshotToString(build(forest))));
        QString problem = validate(file);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        pugi::xml_document loaded;
        QVERIFY(!loadSnapshot(file.toStdString(), loaded));
        QCOMPARE(QString(loaded.select_node("//server[@invalidAttributes='distinguishedName']")
                             .node()
                             .attribute("dn")
                             .value()),
                 QString("CN=a,,DC=corp,DC=example"));
    }
    void loadingRefusesAMalformedDnRecordWithoutReason() {
        QTemporaryDir directory;
        QString file = directory.filePath("damaged.xml");
        writeFileAtomically(file.toStdString(),
                            "<snapshot formatVersion='2'><forest><malformedDn dn='CN=a,'/>"
                            "</forest><domains/><exchange/></snapshot>");
        pugi::xml_document document;
        auto problem = loadSnapshot(file.toStdString(), document);
        QVERIFY(problem && problem->find("lacks the attribute reason") != std::string::npos);
    }

    // The set of DNs seen: a text is new once, whether it fits a block, fills one up or is
    // larger than a block; cleared, it holds nothing.
    void textSetTellsNewTextsFromSeenOnes() {
        TextSet set;
        std::vector<std::string> texts;
        for (int i = 0; i < 3000; ++i)
            texts.push_back("cn=" + std::to_string(i) + std::string(i % 200, 'x'));
        texts.push_back(std::string(300 * 1024, 'y')); // larger than a block
        texts.push_back("");
        for (const auto& text : texts)
            QVERIFY(set.insert(text));
        for (const auto& text : texts)
            QVERIFY(!set.insert(std::string(text))); // a copy: compared by content
        QVERIFY(set.insert(std::string(300 * 1024, 'z')));
        set.clear();
        QVERIFY(set.insert(texts.front()));
        QVERIFY(set.insert(texts.back()));
    }
    void xmlSafeTextEscapesWhatXmlCannotCarry() {
        QCOMPARE(QString::fromStdString(xmlSafeText("plain <b>&")), QString("plain <b>&"));
        QCOMPARE(QString::fromStdString(xmlSafeText("J\xC3\xBCrgen")), QString("Jürgen"));
        QCOMPARE(QString::fromStdString(xmlSafeText(std::string("a\x01"
                                                                "b\x1b",
                                                                4))),
                 QString("a\\01b\\1B"));
        QCOMPARE(QString::fromStdString(xmlSafeText("\xff\xfe")), QString("\\FF\\FE"));
        // Overlong encoding of '<' must not slip through as a character.
        QCOMPARE(QString::fromStdString(xmlSafeText("\xC0\xBC")), QString("\\C0\\BC"));
        QCOMPARE(QString::fromStdString(xmlSafeText("\xE2\x82")), QString("\\E2\\82"));
    }

    void hostileValuesStillGiveASchemaValidSnapshot() {
        auto forest = sampleForest();
        // The directory escapes RFC 4514 specials in a DN; the snapshot holds the unescaped name.
        auto& hostile =
            forest.virtualServer("EXCH\\<script\\>", 3, {{"msExchAuthenticationFlags", "1; DROP"}});
        Forest::set(hostile, "adminDisplayName",
                    std::string("<script>alert(1)</script>") + "\x01" + "\xff" + "\"'&");
        QTemporaryDir directory;
        QString file = directory.filePath("snapshot.xml");
        auto snapshot = build(forest);
        QVERIFY(!writeFileAtomically(file.toStdString(), snapshotToString(snapshot)));
        QString problem = validate(file);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        pugi::xml_document loaded;
        QVERIFY(!loadSnapshot(file.toStdString(), loaded));
        QVERIFY(QString(loaded.select_node("//virtualServer[@server='EXCH<script>']")
                            .node()
                            .attribute("name")
                            .value())
                    .startsWith("<script>alert(1)</script>\\01\\FF"));
    }

    void savedSnapshotGivesTheSameFindings() {
        auto original = build(sampleForest());
        QTemporaryDir directory;
        QString file = directory.filePath("snapshot.xml");
        QVERIFY(!writeFileAtomically(file.toStdString(), snapshotToString(original)));
        pugi::xml_document loaded;
        QVERIFY(!loadSnapshot(file.toStdString(), loaded));
        auto before = findingKeys(original);
        QVERIFY(before.size() >= 4);
        QCOMPARE(findingKeys(loaded), before);
    }

    void loadingRefusesNonSnapshotsWithPreciseMessages() {
        QTemporaryDir directory;
        auto write = [&](const char* name, const std::string& content) {
            QString file = directory.filePath(name);
            writeFileAtomically(file.toStdString(), content);
            return file.toStdString();
        };
        pugi::xml_document document;
        auto broken =
            loadSnapshot(write("broken.xml", "<snapshot formatVersion='2'><forest"), document);
        QVERIFY(broken && broken->find("byte") != std::string::npos);
        auto wrongRoot = loadSnapshot(write("root.xml", "<report/>"), document);
        QVERIFY(wrongRoot && wrongRoot->find("<snapshot>") != std::string::npos);
        auto wrongVersion = loadSnapshot(write("v.xml", "<snapshot formatVersion='9'/>"), document);
        QVERIFY(wrongVersion && wrongVersion->find("version '9'") != std::string::npos);
        // Format 1 lacked the receive-connector, visibility and IMS attributes the rules read.
        auto formatOne = loadSnapshot(write("v1.xml", "<snapshot formatVersion='1'/>"), document);
        QVERIFY(formatOne && formatOne->find("version '1' is not supported") != std::string::npos &&
                formatOne->find("collect the snapshot again") != std::string::npos);
        // Well-formed but damaged: a virtual server without its decoded settings must not load
        // (it would match no rule and read as clean).
        auto damaged =
            loadSnapshot(write("damaged.xml",
                               "<snapshot formatVersion='2'><forest/><domains/><exchange>"
                               "<virtualServer dn='CN=1' anonymous='true'/></exchange></snapshot>"),
                         document);
        QVERIFY(damaged && damaged->find("lacks the attribute") != std::string::npos);
        auto missing = loadSnapshot(directory.filePath("none.xml").toStdString(), document);
        QVERIFY(missing && missing->find("none.xml") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
