// No blind spots: what the input or the account did not show is reported as "could not judge",
// never passed. Directory entries as an export or a restricted account would give them, through
// the snapshot builder and the built-in rules.
#include "directory_builder.h"
#include "rules.h"
#include "snapshot.h"
#include "snapshot_builder.h"
#include "snapshot_validation.h"

#include <QtTest/QtTest>
#include <map>

using namespace relayaudit;
using testsupport::Forest;

namespace {

const std::string kVersion2003 = "Version 6.5 (Build 7638.2: Service Pack 2)";
const std::string kVersion2010 = "Version 14.3 (Build 123.4)";
const std::string kVersion2016 = "Version 15.1 (Build 2507.6)";

std::string modernServerDn(const Forest& forest, const std::string& name) {
    return "CN=" + name +
           ",CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative "
           "Groups," +
           forest.organization();
}

DirectoryEntry& addServer(Forest& forest, const std::string& dn, const std::string& version) {
    auto& entry = forest.add(dn, {"top", "server", "msExchExchangeServer"});
    if (!version.empty())
        Forest::set(entry, "serialNumber", version);
    return entry;
}

Forest organisationWithDomain() {
    auto forest = testsupport::forestWithoutServers();
    return forest;
}

} // namespace

class TestVisibility : public QObject {
    Q_OBJECT

    RuleCatalogue catalogue;

    std::multimap<std::string, std::string> findingsFor(const Forest& forest,
                                                        const CollectionContext& context = {}) {
        pugi::xml_document snapshot;
        buildSnapshot(forest.entries, context, snapshot);
        auto problem = validateSnapshot(snapshot);
        if (problem)
            qWarning("snapshot does not validate: %s", problem->c_str());
        std::multimap<std::string, std::string> result;
        for (const auto& finding : catalogue.evaluate(snapshot)) {
            result.emplace(finding.rule->id, finding.object);
            messages_[finding.rule->id] = finding.message;
        }
        return result;
    }
    std::map<std::string, std::string> messages_;

private slots:
    void initTestCase() {
        std::vector<RulePackError> errors;
        catalogue.loadBuiltin(errors);
        QVERIFY(errors.empty());
    }

    void server2003WithoutVirtualServerIsUnseen() {
        auto forest = organisationWithDomain();
        addServer(forest, forest.serverDn("EXCH002"), kVersion2003);
        auto findings = findingsFor(forest);
        QCOMPARE(findings.count("EXS-SERVER-UNSEEN"), std::size_t(1));
        QCOMPARE(findings.find("EXS-SERVER-UNSEEN")->second, forest.serverDn("EXCH002"));
        QVERIFY(messages_["EXS-SERVER-UNSEEN"].find("View-Only Organization Management") !=
                std::string::npos);
        QVERIFY(!findings.count("ORG-UNREADABLE")); // the server itself is visible
    }
    void server2003WithAVirtualServerIsJudgedNotUnseen() {
        auto forest = organisationWithDomain();
        addServer(forest, forest.serverDn("EXCH001"), kVersion2003);
        forest.virtualServer("EXCH001", 1, {{"msExchSmtpRelayForAuth", "TRUE"}});
        QVERIFY(!findingsFor(forest).count("EXS-SERVER-UNSEEN"));
    }
    void virtualServerCountsUnderItsServerWhateverTheCaseOfTheDn() {
        auto forest = organisationWithDomain();
        addServer(forest, forest.serverDn("EXCH001"), kVersion2003);
        auto& server = forest.virtualServer("EXCH001", 1, {});
        for (auto& c : server.dn)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        QVERIFY(!findingsFor(forest).count("EXS-SERVER-UNSEEN"));
    }
    void virtualServerOfAnotherServerDoesNotCount() {
        // EXCH01 is a prefix of EXCH010's name: counting must go by RDNs, not by text.
        auto forest = organisationWithDomain();
        addServer(forest, forest.serverDn("EXCH01"), kVersion2003);
        forest.virtualServer("EXCH010", 1, {});
        auto findings = findingsFor(forest);
        QCOMPARE(findings.count("EXS-SERVER-UNSEEN"), std::size_t(1));
        QCOMPARE(findings.find("EXS-SERVER-UNSEEN")->second, forest.serverDn("EXCH01"));
    }
    void serverOfUnknownVersionWithNothingVisibleIsUnseen() {
        auto forest = organisationWithDomain();
        addServer(forest, forest.serverDn("EX9"), "");
        QVERIFY(findingsFor(forest).count("EXS-SERVER-UNSEEN"));
    }
    void exchange55ServerIsLeftToTheImsRules() {
        auto forest = organisationWithDomain();
        addServer(forest, forest.serverDn("EX55"), "Version 5.5 (Build 2653.23)");
        auto findings = findingsFor(forest);
        QVERIFY(!findings.count("EXS-SERVER-UNSEEN"));
        QVERIFY(!findings.count("EXR-SERVER-UNSEEN"));
    }
    void modernServerWithoutReceiveConnectorIsUnseen() {
        auto forest = organisationWithDomain();
        addServer(forest, modernServerDn(forest, "EX2016"), kVersion2016);
        auto findings = findingsFor(forest);
        QCOMPARE(findings.count("EXR-SERVER-UNSEEN"), std::size_t(1));
        QVERIFY(!findings.count("EXS-SERVER-UNSEEN"));
    }
    void modernServerWithAReceiveConnectorIsJudgedNotUnseen() {
        auto forest = organisationWithDomain();
        addServer(forest, modernServerDn(forest, "EX2016"), kVersion2016);
        forest.receiveConnector("EX2016", "Default EX2016", {{"msExchSmtpReceiveEnabled", "TRUE"}});
        QVERIFY(!findingsFor(forest).count("EXR-SERVER-UNSEEN"));
    }
    void exchange2010MailboxOnlyServerHasNoConnectorToSee() {
        auto forest = organisationWithDomain();
        auto& server = addServer(forest, modernServerDn(forest, "EXMBX"), kVersion2010);
        Forest::set(server, "msExchCurrentServerRoles", "2"); // Mailbox only
        QVERIFY(!findingsFor(forest).count("EXR-SERVER-UNSEEN"));
    }
    void exchange2010HubTransportServerWithoutConnectorIsUnseen() {
        auto forest = organisationWithDomain();
        auto& server = addServer(forest, modernServerDn(forest, "EXHUB"), kVersion2010);
        Forest::set(server, "msExchCurrentServerRoles", "38"); // Mailbox, CAS, Hub Transport
        QVERIFY(findingsFor(forest).count("EXR-SERVER-UNSEEN"));
    }
    void serverWithRolesButNoSerialNumberCountsAsModern() {
        auto forest = organisationWithDomain();
        auto& server = addServer(forest, modernServerDn(forest, "EXHUB"), "");
        Forest::set(server, "msExchCurrentServerRoles", "32");
        auto findings = findingsFor(forest);
        QVERIFY(findings.count("EXR-SERVER-UNSEEN"));
        QVERIFY(!findings.count("EXS-SERVER-UNSEEN"));
    }
    void organisationWithoutAnythingVisibleIsUnreadable() {
        auto forest = organisationWithDomain();
        auto findings = findingsFor(forest);
        QCOMPARE(findings.count("ORG-UNREADABLE"), std::size_t(1));
        QCOMPARE(findings.find("ORG-UNREADABLE")->second, forest.organization());
        QVERIFY(!findings.count("ORG-NO-EXCHANGE"));
    }
    void exchangeContainerWithoutOrganisationIsUnreadable() {
        Forest forest;
        forest.domain();
        forest.guest("66082");
        forest.add("CN=Microsoft Exchange,CN=Services," + forest.configuration(),
                   {"top", "container"});
        auto findings = findingsFor(forest);
        QCOMPARE(findings.count("ORG-UNREADABLE"), std::size_t(1));
        QVERIFY(!findings.count("ORG-NO-EXCHANGE"));
        QVERIFY(messages_["ORG-UNREADABLE"].find("no Exchange organisation under it") !=
                std::string::npos);
    }
    void refusedSearchRecordedByTheCollectorIsUnreadable() {
        Forest forest;
        forest.domain();
        forest.guest("66082");
        CollectionContext context;
        context.sourceKind = "ldap";
        context.configurationNC = forest.configuration();
        context.unreadableObjects.push_back(
            {forest.configuration(), "the Exchange objects of the configuration naming context",
             "Insufficient access (LDAP 50)"});
        auto findings = findingsFor(forest, context);
        QCOMPARE(findings.count("ORG-UNREADABLE"), std::size_t(1));
        QCOMPARE(findings.find("ORG-UNREADABLE")->second, forest.configuration());
        QVERIFY(messages_["ORG-UNREADABLE"].find("Insufficient access (LDAP 50)") !=
                std::string::npos);
        QVERIFY(!findings.count("ORG-NO-EXCHANGE"));
    }
    void damagedVisibleCountDoesNotLoad() {
        // A hand-edited count must not read as "something is visible".
        auto forest = organisationWithDomain();
        addServer(forest, forest.serverDn("EXCH002"), kVersion2003);
        pugi::xml_document snapshot;
        buildSnapshot(forest.entries, {}, snapshot);
        QVERIFY(!validateSnapshot(snapshot));
        snapshot.select_node("//server").node().attribute("virtualServers").set_value("one");
        auto problem = validateSnapshot(snapshot);
        QVERIFY(problem);
        QVERIFY2(problem->find("virtualServers=\"one\"") != std::string::npos, problem->c_str());
        snapshot.select_node("//server").node().attribute("virtualServers").set_value("0");
        QVERIFY(!validateSnapshot(snapshot));
        snapshot.select_node("//server").node().remove_attribute("generation");
        problem = validateSnapshot(snapshot);
        QVERIFY(problem);
        QVERIFY2(problem->find("generation") != std::string::npos, problem->c_str());
    }
    void noEntriesAtAllIsNothingJudged() {
        auto findings = findingsFor(Forest{});
        QCOMPARE(findings.size(), std::size_t(1));
        QCOMPARE(findings.begin()->first, std::string("ORG-NO-EXCHANGE"));
        const Rule* rule = nullptr;
        for (const auto* candidate : catalogue.rules())
            if (candidate->id == "ORG-NO-EXCHANGE")
                rule = candidate;
        QVERIFY(rule);
        QCOMPARE(int(rule->severity), int(Severity::Error));
        QCOMPARE(int(rule->kind), int(RuleKind::CannotJudge));
    }
};

QTEST_GUILESS_MAIN(TestVisibility)
#include "tst_visibility.moc"
