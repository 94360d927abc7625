// Receive connectors and SMTP connectors from directory entries with real binary security
// descriptors: what the snapshot says about them, and each of their rules firing and silent.
#include "directory_builder.h"
#include "manual_checks.h"
#include "rules.h"
#include "snapshot_builder.h"
#include "snapshot_validation.h"

#include <QtTest/QtTest>
#include <map>
#include <set>

using namespace relayaudit;
using testsupport::binarySid;
using testsupport::Forest;
using testsupport::forestWithoutServers;
using testsupport::guidBytes;
using testsupport::kAcceptAnyRecipient;
using testsupport::securityDescriptor;
using testsupport::TestAce;

namespace {

constexpr std::uint8_t kAllow = 0, kDeny = 1, kAllowObject = 5, kDenyObject = 6;
constexpr std::uint8_t kInheritOnly = 0x08, kInherited = 0x10;
constexpr std::uint32_t kControlAccess = 0x100, kGenericAll = 0x10000000, kReadProperty = 0x10;
const char* kSubmit = "a18293f1-0685-4540-aa63-e32df421b3a2";
const std::string kAnonymous = binarySid({7});
const std::string kEveryone = binarySid({0}, 1);

TestAce objectAce(std::uint8_t type, const std::string& sid, const char* right,
                  std::uint8_t flags = 0, std::uint32_t mask = kControlAccess) {
    return TestAce{type, flags, mask, guidBytes(right), sid};
}

// One enabled connector on EX2016 with the given attributes and a descriptor of these ACEs.
Forest withConnector(std::map<std::string, std::string> values,
                     const std::vector<TestAce>& aces = {}) {
    auto forest = forestWithoutServers();
    if (!values.count("nTSecurityDescriptor"))
        values["nTSecurityDescriptor"] = securityDescriptor(aces);
    forest.receiveConnector("EX2016", "Connector", values);
    return forest;
}

void setRanges(Forest& forest, const std::vector<std::string>& ranges) {
    forest.entries.back().attributes.push_back({"msExchSmtpReceiveRemoteIPRanges", ranges});
}

pugi::xml_document snapshotOf(const Forest& forest) {
    CollectionContext context;
    context.sourceKind = "ldif";
    pugi::xml_document snapshot;
    buildSnapshot(forest.entries, context, snapshot);
    return snapshot;
}

pugi::xml_node connectorOf(const pugi::xml_document& snapshot) {
    return snapshot.child("snapshot").child("exchange").child("receiveConnector");
}

std::string attr(pugi::xml_node node, const char* name) {
    return node.attribute(name).value();
}

// "trustee right effective" rows of the extended-right summary.
std::set<std::string> rightsOf(const pugi::xml_document& snapshot) {
    std::set<std::string> rows;
    for (auto row : connectorOf(snapshot).child("permissions").children("extendedRight"))
        rows.insert(attr(row, "trustee") + " " + attr(row, "right") + " " + attr(row, "effective"));
    return rows;
}

} // namespace

class TestReceiveConnectors : public QObject {
    Q_OBJECT

    RuleCatalogue catalogue;

    std::multiset<std::string> ruleIds(const Forest& forest,
                                       std::vector<Finding>* manual = nullptr) {
        auto snapshot = snapshotOf(forest);
        auto findings = catalogue.evaluate(snapshot);
        auto manualFindings = takeManualFindings(findings, catalogue);
        std::multiset<std::string> ids;
        for (const auto& finding : findings)
            ids.insert(finding.rule->id);
        if (manual)
            *manual = std::move(manualFindings);
        return ids;
    }
    bool fires(const Forest& forest, const std::string& id) { return ruleIds(forest).count(id); }

private slots:
    void initTestCase() {
        std::vector<RulePackError> errors;
        QVERIFY(catalogue.loadBuiltin(errors));
        QVERIFY(errors.empty());
    }

    // ---- AuthMechanism by name ----------------------------------------------------------------
    void defaultAuthMechanismIsNamedAndSaysItWasAbsent() {
        auto snapshot = snapshotOf(withConnector({}));
        auto connector = connectorOf(snapshot);
        QCOMPARE(attr(connector, "authMechanism"), std::string("29"));
        QCOMPARE(attr(connector, "authMechanismPresent"), std::string("false"));
        QCOMPARE(attr(connector, "authMechanismNames"),
                 std::string("Tls, BasicAuth, BasicAuthRequireTLS, ExchangeServer"));
        QCOMPARE(attr(connector, "authBasicRequireTls"), std::string("true"));
        QCOMPARE(attr(connector, "authExternalAuthoritative"), std::string("false"));
    }
    void everyMechanismBitHasItsName() {
        auto snapshot = snapshotOf(withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "63"}}));
        QCOMPARE(attr(connectorOf(snapshot), "authMechanismNames"),
                 std::string("Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer, "
                             "ExternalAuthoritative"));
        auto none = snapshotOf(withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "0"}}));
        QCOMPARE(attr(connectorOf(none), "authMechanismNames"), std::string("None"));
    }
    void unknownAndSignBitsAreShownNotDropped() {
        // Bit 31 set reads as a negative 32-bit INTEGER.
        auto snapshot =
            snapshotOf(withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "-2147483552"}}));
        auto connector = connectorOf(snapshot);
        QCOMPARE(attr(connector, "authMechanismNames"),
                 std::string("ExternalAuthoritative, unknown bits 0x80000040"));
        QCOMPARE(attr(connector, "authExternalAuthoritative"), std::string("true"));
    }
    void unreadableAuthMechanismIsUnknownAndInvalid() {
        auto forest = withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "lots"}});
        auto snapshot = snapshotOf(forest);
        auto connector = connectorOf(snapshot);
        QCOMPARE(attr(connector, "authBasic"), std::string("unknown"));
        QCOMPARE(attr(connector, "invalidAttributes"),
                 std::string("msExchSMTPReceiveInboundSecurityFlag"));
        QVERIFY(fires(forest, "EXS-VALUE-INVALID"));
        QVERIFY(!fires(forest, "EXR-RECV-BASIC-NO-TLS"));
    }

    // ---- Bindings and ranges --------------------------------------------------------------------
    void bindingsAreParsedAndABadOneIsShownNotJudged() {
        auto forest = withConnector({});
        forest.entries.back().attributes.push_back(
            {"msExchSmtpReceiveBindings", {"0.0.0.0:25", "[::]:587", "mail:25"}});
        auto snapshot = snapshotOf(forest);
        std::vector<std::string> seen;
        for (auto binding : connectorOf(snapshot).children("binding"))
            seen.push_back(attr(binding, "status") + " " + attr(binding, "address") + " " +
                           attr(binding, "port"));
        QCOMPARE(seen, (std::vector<std::string>{"valid 0.0.0.0 25", "valid :: 587", "invalid  "}));
        QVERIFY(attr(connectorOf(snapshot), "invalidAttributes").empty());
    }
    void absentRangesCoverEveryAddressAndAreWide() {
        auto snapshot = snapshotOf(withConnector({}));
        auto connector = connectorOf(snapshot);
        QCOMPARE(attr(connector, "remoteRangesPresent"), std::string("false"));
        QCOMPARE(attr(connector, "remoteRangesCoverEverything"), std::string("true"));
        QCOMPARE(attr(connector, "remoteIpv4Addresses"), std::string("4294967296"));
        QCOMPARE(attr(connector, "remoteIpv6Addresses"),
                 std::string("340282366920938463463374607431768211456"));
        QCOMPARE(attr(connector, "remoteRangesWide"), std::string("true"));
    }
    void rangesInEveryNotationAddUpPerFamily() {
        auto forest = withConnector({});
        setRanges(forest, {"192.0.2.0/25", "192.0.2.128(255.255.255.192)",
                           "192.0.2.192-192.0.2.255", "192.0.2.7", "2001:db8::/121", "fe80::1%11"});
        auto snapshot = snapshotOf(forest);
        auto connector = connectorOf(snapshot);
        QCOMPARE(attr(connector, "remoteIpv4Addresses"), std::string("256"));
        QCOMPARE(attr(connector, "remoteIpv6Addresses"), std::string("129"));
        QCOMPARE(attr(connector, "remoteRangesWide"), std::string("false"));
        QCOMPARE(attr(connector, "remoteRangesCoverEverything"), std::string("false"));
    }
    void malformedRangeMakesNarrowRangesUnknownButNotWideOnes() {
        auto narrow = withConnector({});
        setRanges(narrow, {"192.0.2.1", "192.0.2.0/33"});
        auto snapshot = snapshotOf(narrow);
        QCOMPARE(attr(connectorOf(snapshot), "remoteRangesWide"), std::string("unknown"));
        QCOMPARE(attr(connectorOf(snapshot), "invalidAttributes"),
                 std::string("msExchSmtpReceiveRemoteIPRanges"));
        auto wide = withConnector({});
        setRanges(wide, {"10.0.0.0/8", "fe80::1%eth0"});
        auto wideSnapshot = snapshotOf(wide);
        QCOMPARE(attr(connectorOf(wideSnapshot), "remoteRangesWide"), std::string("true"));
    }

    // ---- DACL summary ---------------------------------------------------------------------------
    void objectAceGrantsOnlyItsRight() {
        auto snapshot = snapshotOf(
            withConnector({}, {objectAce(kAllowObject, kAnonymous, kAcceptAnyRecipient)}));
        QCOMPARE(rightsOf(snapshot),
                 (std::set<std::string>{"S-1-5-7 ms-Exch-SMTP-Accept-Any-Recipient allow"}));
        auto row = connectorOf(snapshot).child("permissions").child("extendedRight");
        QCOMPARE(attr(row, "trusteeName"), std::string("ANONYMOUS LOGON"));
        QCOMPARE(attr(row, "allowedVia"), std::string("extended right"));
    }
    void controlAccessWithoutObjectTypeGrantsEveryExtendedRight() {
        auto snapshot =
            snapshotOf(withConnector({}, {TestAce{kAllow, 0, kControlAccess, "", kEveryone}}));
        auto rows = rightsOf(snapshot);
        QCOMPARE(rows.size(), std::size_t(6));
        QVERIFY(rows.count("S-1-1-0 ms-Exch-SMTP-Accept-Any-Recipient allow"));
        QVERIFY(rows.count("S-1-1-0 ms-Exch-Bypass-Anti-Spam allow"));
        auto row = connectorOf(snapshot).child("permissions").child("extendedRight");
        QCOMPARE(attr(row, "allowedVia"), std::string("all extended rights"));
    }
    void genericAllGrantsEveryExtendedRight() {
        auto snapshot =
            snapshotOf(withConnector({}, {TestAce{kAllow, 0, kGenericAll, "", kAnonymous}}));
        QCOMPARE(rightsOf(snapshot).size(), std::size_t(6));
        QCOMPARE(
            attr(connectorOf(snapshot).child("permissions").child("extendedRight"), "allowedVia"),
            std::string("GENERIC_ALL"));
    }
    void inheritOnlyAceDoesNotApplyButAnInheritedOneDoes() {
        auto snapshot = snapshotOf(withConnector(
            {}, {objectAce(kAllowObject, kEveryone, kAcceptAnyRecipient, kInheritOnly),
                 objectAce(kAllowObject, kAnonymous, kSubmit, kInherited)}));
        QCOMPARE(rightsOf(snapshot), (std::set<std::string>{"S-1-5-7 ms-Exch-SMTP-Submit allow"}));
        auto aces = connectorOf(snapshot).child("permissions").children("ace");
        std::vector<std::string> flags;
        for (auto ace : aces)
            flags.push_back(attr(ace, "inheritOnly") + "/" + attr(ace, "inherited"));
        QCOMPARE(flags, (std::vector<std::string>{"true/false", "false/true"}));
    }
    void denyWinsWhetherItComesBeforeOrAfterTheAllow() {
        const auto allow = objectAce(kAllowObject, kAnonymous, kAcceptAnyRecipient);
        const auto deny = objectAce(kDenyObject, kAnonymous, kAcceptAnyRecipient);
        for (const auto& aces :
             {std::vector<TestAce>{deny, allow}, std::vector<TestAce>{allow, deny}}) {
            auto snapshot = snapshotOf(withConnector({}, aces));
            auto row = connectorOf(snapshot).child("permissions").child("extendedRight");
            QCOMPARE(attr(row, "allowed") + attr(row, "denied") + attr(row, "effective"),
                     std::string("truetruedeny"));
        }
    }
    void denyOfAllExtendedRightsBeatsAnObjectAllow() {
        auto snapshot = snapshotOf(
            withConnector({}, {TestAce{kDeny, 0, kControlAccess, "", kAnonymous},
                               objectAce(kAllowObject, kAnonymous, kAcceptAnyRecipient)}));
        auto rows = rightsOf(snapshot);
        QVERIFY(rows.count("S-1-5-7 ms-Exch-SMTP-Accept-Any-Recipient deny"));
        QVERIFY(!rows.count("S-1-5-7 ms-Exch-SMTP-Accept-Any-Recipient allow"));
    }
    void denyForOneTrusteeDoesNotDenyAnother() {
        auto snapshot = snapshotOf(
            withConnector({}, {objectAce(kDenyObject, kAnonymous, kAcceptAnyRecipient),
                               objectAce(kAllowObject, kEveryone, kAcceptAnyRecipient)}));
        QVERIFY(rightsOf(snapshot).count("S-1-1-0 ms-Exch-SMTP-Accept-Any-Recipient allow"));
    }
    void unknownRightIsNamedByItsGuidAndReadPropertyGrantsNothing() {
        const char* other = "00299570-246d-11d0-a768-00aa006e0529"; // User-Force-Change-Password
        auto snapshot = snapshotOf(withConnector(
            {}, {objectAce(kAllowObject, kAnonymous, other),
                 objectAce(kAllowObject, kEveryone, kAcceptAnyRecipient, 0, kReadProperty)}));
        QCOMPARE(rightsOf(snapshot),
                 (std::set<std::string>{"S-1-5-7 " + std::string(other) + " allow"}));
    }
    void everyRightAceIsSpelledOutForExchangeRightsAndTheTrusteesOwnRights() {
        const std::string other = "00299570-246d-11d0-a768-00aa006e0529";
        auto snapshot =
            snapshotOf(withConnector({}, {TestAce{kAllow, 0, kControlAccess, "", kEveryone},
                                          objectAce(kAllowObject, kAnonymous, other.c_str()),
                                          objectAce(kDenyObject, kEveryone, other.c_str())}));
        auto rows = rightsOf(snapshot);
        // Everyone: the six Exchange rights and the GUID its own deny names; ANONYMOUS LOGON:
        // only its own GUID, not the rights Everyone's ACE speaks for.
        QCOMPARE(rows.size(), std::size_t(8));
        QVERIFY(rows.count("S-1-1-0 ms-Exch-SMTP-Submit allow"));
        QVERIFY(rows.count("S-1-1-0 " + other + " deny"));
        QVERIFY(rows.count("S-1-5-7 " + other + " allow"));
        for (auto row : connectorOf(snapshot).child("permissions").children("extendedRight"))
            if (attr(row, "trustee") == "S-1-1-0" && attr(row, "rightGuid") == other)
                QCOMPARE(attr(row, "allowedVia") + "/" + attr(row, "deniedVia"),
                         std::string("all extended rights/extended right"));
    }
    void summaryHasAtMostSixRowsPerTrusteePlusOnePerAce() {
        // Many trustees granted every right beside many GUIDs: rows must not be their product.
        const std::uint32_t count = 200;
        std::vector<TestAce> aces;
        for (std::uint32_t i = 0; i < count; ++i) {
            aces.push_back(
                TestAce{kAllow, 0, kControlAccess, "", binarySid({21, 1, 2, 3, 1000 + i})});
            char guid[37];
            std::snprintf(guid, sizeof guid, "%08x-1234-4321-8888-%012x", i, i);
            aces.push_back(objectAce(kAllowObject, kAnonymous, guid));
        }
        auto snapshot = snapshotOf(withConnector({}, aces));
        auto rows = connectorOf(snapshot).child("permissions").children("extendedRight");
        QCOMPARE(std::size_t(std::distance(rows.begin(), rows.end())), std::size_t(7 * count));
    }
    void truncatedDescriptorIsInvalidWithoutSummaryAndCannotBeJudged() {
        auto full = securityDescriptor({objectAce(kAllowObject, kAnonymous, kAcceptAnyRecipient)});
        for (std::size_t length : {std::size_t(3), std::size_t(20), full.size() - 1}) {
            auto forest = withConnector({{"nTSecurityDescriptor", full.substr(0, length)}});
            auto snapshot = snapshotOf(forest);
            auto permissions = connectorOf(snapshot).child("permissions");
            QCOMPARE(attr(permissions, "status"), std::string("invalid"));
            QVERIFY(!attr(permissions, "reason").empty());
            QVERIFY(!permissions.child("extendedRight"));
            QVERIFY(fires(forest, "EXR-RECV-PERMISSIONS-UNREADABLE"));
            QVERIFY(!fires(forest, "EXR-RECV-ANONYMOUS-RELAY"));
        }
    }

    // ---- EXR-RECV-EXTERNAL-AUTH-WIDE and EXR-RECV-EXTERNAL-AUTH -----------------------------
    void externalAuthWideFiresWhenSmallRangesAddUpPast256() {
        auto forest = withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "33"}});
        setRanges(forest, {"192.0.2.0/24", "198.51.100.7"});
        auto ids = ruleIds(forest);
        QVERIFY(ids.count("EXR-RECV-EXTERNAL-AUTH-WIDE"));
        QVERIFY(!ids.count("EXR-RECV-EXTERNAL-AUTH"));
    }
    void externalAuthWideFiresForIpv6WiderThanSlash120AndForAbsentRanges() {
        auto ipv6 = withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "32"}});
        setRanges(ipv6, {"192.0.2.1", "2001:db8::(ffff:ffff:ffff:ffff:ffff:ffff:ffff:fe00)"});
        QVERIFY(fires(ipv6, "EXR-RECV-EXTERNAL-AUTH-WIDE"));
        auto absent = withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "32"}});
        QVERIFY(fires(absent, "EXR-RECV-EXTERNAL-AUTH-WIDE"));
    }
    void externalAuthWarnsForAtMost256AddressesPerFamily() {
        auto forest = withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "33"}});
        setRanges(forest, {"192.0.2.0/24", "192.0.2.7", "2001:db8::/120"});
        auto ids = ruleIds(forest);
        QVERIFY(ids.count("EXR-RECV-EXTERNAL-AUTH"));
        QVERIFY(!ids.count("EXR-RECV-EXTERNAL-AUTH-WIDE"));
    }
    void externalAuthSilentWhenDisabledWithoutTheBitOrWithAnUnreadableRange() {
        auto disabled = withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "32"},
                                       {"msExchSmtpReceiveEnabled", "FALSE"}});
        auto withoutBit = withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "31"}});
        auto unreadable = withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "32"}});
        setRanges(unreadable, {"192.0.2.1", "192.0.2.300"});
        for (const auto* forest : {&disabled, &withoutBit, &unreadable}) {
            auto ids = ruleIds(*forest);
            QVERIFY(!ids.count("EXR-RECV-EXTERNAL-AUTH-WIDE"));
            QVERIFY(!ids.count("EXR-RECV-EXTERNAL-AUTH"));
        }
        // The unreadable range is not silence: it cannot be judged.
        QVERIFY(fires(unreadable, "EXS-VALUE-INVALID"));
    }

    // ---- EXR-RECV-BASIC-NO-TLS --------------------------------------------------------------
    void basicWithoutRequireTlsFires() {
        for (const char* mechanism : {"4", "5", "37"})
            QVERIFY2(fires(withConnector({{"msExchSMTPReceiveInboundSecurityFlag", mechanism}}),
                           "EXR-RECV-BASIC-NO-TLS"),
                     mechanism);
    }
    void basicWithRequireTlsDefaultOrDisabledIsSilent() {
        QVERIFY(!fires(withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "13"}}),
                       "EXR-RECV-BASIC-NO-TLS"));
        QVERIFY(!fires(withConnector({}), "EXR-RECV-BASIC-NO-TLS")); // absent = 29
        QVERIFY(!fires(withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "1"}}),
                       "EXR-RECV-BASIC-NO-TLS"));
        QVERIFY(!fires(withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "4"},
                                      {"msExchSmtpReceiveEnabled", "FALSE"}}),
                       "EXR-RECV-BASIC-NO-TLS"));
    }

    // ---- EXR-RECV-ANONYMOUS-RELAY stays as it was ---------------------------------------------
    void anonymousRelayStillFiresForAGrantAndNotForADenyAfterIt() {
        const auto allow = objectAce(kAllowObject, kAnonymous, kAcceptAnyRecipient);
        QVERIFY(fires(withConnector({}, {allow}), "EXR-RECV-ANONYMOUS-RELAY"));
        QVERIFY(!fires(
            withConnector({}, {allow, objectAce(kDenyObject, kAnonymous, kAcceptAnyRecipient)}),
            "EXR-RECV-ANONYMOUS-RELAY"));
    }

    // ---- Load-time validation ---------------------------------------------------------------
    void builtSnapshotValidatesAndAMissingVerdictIsRefused() {
        auto forest = withConnector({{"msExchSMTPReceiveInboundSecurityFlag", "32"}});
        forest.smtpConnector("Internet", {"SMTP:*;1"});
        auto snapshot = snapshotOf(forest);
        QVERIFY(!validateSnapshot(snapshot));
        connectorOf(snapshot).remove_attribute("remoteRangesWide");
        auto problem = validateSnapshot(snapshot);
        QVERIFY(problem && problem->find("remoteRangesWide") != std::string::npos);
        auto counted = snapshotOf(forest);
        connectorOf(counted).attribute("remoteIpv4Addresses").set_value("12x");
        QVERIFY(validateSnapshot(counted));
        auto smtp = snapshotOf(forest);
        smtp.child("snapshot")
            .child("exchange")
            .child("smtpConnector")
            .remove_attribute("everyDomain");
        QVERIFY(validateSnapshot(smtp));
    }

    // ---- SMTP connectors ------------------------------------------------------------------------
    void smtpConnectorCarriesAddressSpacesAndSmartHosts() {
        auto forest = forestWithoutServers();
        forest.smtpConnector("Internet", {"SMTP:*;1", "Local:SMTP:corp.example;5", "bogus"},
                             "[192.0.2.25]; relay.example.com");
        auto snapshot = snapshotOf(forest);
        auto connector = snapshot.child("snapshot").child("exchange").child("smtpConnector");
        QCOMPARE(attr(connector, "routingGroup"), std::string("First Routing Group"));
        QCOMPARE(attr(connector, "everyDomain"), std::string("true"));
        QCOMPARE(attr(connector, "routingGroupScope"), std::string("true"));
        std::vector<std::string> spaces;
        for (auto space : connector.children("addressSpace"))
            spaces.push_back(attr(space, "status") + " " + attr(space, "address") + " " +
                             attr(space, "scope"));
        QCOMPARE(spaces,
                 (std::vector<std::string>{"valid * organization",
                                           "valid corp.example routing-group", "invalid  "}));
        std::vector<std::string> hosts;
        for (auto host : connector.children("smartHost"))
            hosts.push_back(attr(host, "host"));
        QCOMPARE(hosts, (std::vector<std::string>{"[192.0.2.25]", "relay.example.com"}));
    }
    void relayDomainsManualCheckIsPerConnectorAndStrongerForStar() {
        auto forest = forestWithoutServers();
        forest.smtpConnector("Internet", {"SMTP:*;1"});
        forest.smtpConnector("Partner", {"SMTP:partner.example;10"});
        std::vector<Finding> manual;
        ruleIds(forest, &manual);
        std::vector<std::string> texts;
        for (const auto& finding : manual)
            if (finding.rule->id == "EXC-RELAY-DOMAINS-MANUAL")
                texts.push_back(finding.message);
        QCOMPARE(texts.size(), std::size_t(2));
        QVERIFY(QString::fromStdString(texts[0]).contains("One of its address spaces is * (every "
                                                          "domain)"));
        QVERIFY(QString::fromStdString(texts[1]).contains("first SMTP:partner.example;10"));
        QVERIFY(!QString::fromStdString(texts[1]).contains("every domain"));
    }
    void relayDomainsManualCheckSilentWithoutSmtpConnectors() {
        std::vector<Finding> manual;
        ruleIds(forestWithoutServers(), &manual);
        for (const auto& finding : manual)
            QVERIFY(finding.rule->id != "EXC-RELAY-DOMAINS-MANUAL");
    }
};

QTEST_GUILESS_MAIN(TestReceiveConnectors)
#include "tst_receive_connectors.moc"
