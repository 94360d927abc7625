// Every rule of the built-in packs: a case where it fires and one where it must not, on
// directory entries built with the real binary formats. Plus rule-pack validation.
#include "compiled_rule.h"
#include "directory_builder.h"
#include "example_runner.h"
#include "manual_checks.h"
#include "rules.h"
#include "snapshot.h"
#include "snapshot_builder.h"

#include <QProcess>
#include <QtTest/QtTest>
#include <algorithm>
#include <map>
#include <set>

using namespace relayaudit;
using testsupport::AddressGrant;
using testsupport::Forest;
using testsupport::forestWithoutServers;

namespace {

const std::string kOnlyLocalhost =
    testsupport::ipSecurityBlob({{"127.0.0.1", "255.255.255.255"}}, {});
const std::string kGrantByDefault = testsupport::ipSecurityBlob({}, {});

// The safe virtual server: restricted list, TLS required for basic authentication.
std::map<std::string, std::string> safeSettings() {
    return {{"msExchSmtpRelayIpList", kOnlyLocalhost},
            {"msExchSmtpRelayForAuth", "TRUE"},
            {"msExchAuthenticationFlags", "7"},
            {"msExchAccessSSLFlags", "8"}};
}

std::map<std::string, std::string> with(std::map<std::string, std::string> settings,
                                        const std::string& name, const std::string& value) {
    if (value.empty())
        settings.erase(name);
    else
        settings[name] = value;
    return settings;
}

} // namespace

class TestRules : public QObject {
    Q_OBJECT

    RuleCatalogue catalogue;
    std::set<std::string> firedSomewhere;

    // Rule IDs with the objects they fired on; manual checks are set apart, as in the report.
    std::multimap<std::string, std::string> findingsFor(const Forest& forest,
                                                        std::vector<Finding>* manual = nullptr) {
        CollectionContext context;
        context.sourceKind = "ldif";
        pugi::xml_document snapshot;
        buildSnapshot(forest.entries, context, snapshot);
        auto findings = catalogue.evaluate(snapshot);
        auto manualFindings = takeManualFindings(findings, catalogue);
        std::multimap<std::string, std::string> result;
        for (const auto& finding : findings) {
            result.emplace(finding.rule->id, finding.object);
            firedSomewhere.insert(finding.rule->id);
        }
        for (const auto& finding : manualFindings)
            firedSomewhere.insert(finding.rule->id);
        if (manual)
            *manual = std::move(manualFindings);
        return result;
    }
    bool fires(const Forest& forest, const std::string& id) {
        return findingsFor(forest).count(id);
    }

    Forest withVirtualServer(const std::map<std::string, std::string>& settings) {
        auto forest = forestWithoutServers();
        forest.virtualServer("EXCH01", 1, settings);
        return forest;
    }

private slots:
    void initTestCase() {
        std::vector<RulePackError> errors;
        QVERIFY(catalogue.loadBuiltin(errors));
        QVERIFY(errors.empty());
        QVERIFY(catalogue.rules().size() >= 8);
    }

    // Rules run on two threads; the findings, their order and their text must be those of running
    // the rules one after another, and the same on every run. 1,200 virtual servers, so that each
    // rule firing on a quarter of them has more nodes than one run of findings (256) and its runs
    // go to both threads.
    void evaluationOnTwoThreadsEqualsOneRuleAfterAnother() {
        auto forest = forestWithoutServers();
        const std::string blobs[] = {kOnlyLocalhost, kGrantByDefault,
                                     testsupport::ipSecurityBlob({{"10.0.0.0", "255.0.0.0"}}, {}),
                                     kOnlyLocalhost.substr(0, 30)};
        for (int i = 0; i < 1200; ++i)
            forest.virtualServer("EXCH" + std::to_string(i / 4), i % 4 + 1,
                                 {{"msExchSmtpRelayIpList", blobs[i % 4]},
                                  {"msExchAuthenticationFlags", std::to_string(i % 8)},
                                  {"msExchSmtpRelayForAuth", i % 5 ? "TRUE" : "FALSE"}});
        CollectionContext context;
        context.sourceKind = "ldif";
        pugi::xml_document snapshot;
        buildSnapshot(forest.entries, context, snapshot);

        auto describe = [](const std::vector<Finding>& findings) {
            std::vector<std::string> lines;
            for (const auto& f : findings) {
                std::string line = f.rule->id + "|" + f.object + "|" + f.objectName + "|" +
                                   f.message + "|" + f.cause;
                for (const auto& e : f.evidence)
                    line += "|" + std::string(e.attribute) + "=" + e.observed + "/" +
                            std::string(e.expected);
                lines.push_back(line);
            }
            return lines;
        };
        auto first = describe(catalogue.evaluate(snapshot));
        QVERIFY(first.size() > 1200);
        std::map<std::string, int> perRule;
        for (const auto& line : first)
            ++perRule[line.substr(0, line.find('|'))];
        QVERIFY(std::any_of(perRule.begin(), perRule.end(),
                            [](const auto& rule) { return rule.second > 256; }));
        for (int run = 0; run < 5; ++run)
            QCOMPARE(describe(catalogue.evaluate(snapshot)), first);
        // One rule after another on this thread, in catalogue order, then sorted as evaluate()
        // documents: most severe first, then rule ID, then object.
        std::vector<Finding> oneByOne;
        for (const auto* rule : catalogue.rules()) {
            const CompiledRule& compiled = catalogue.compiled(*rule);
            bindConsts(*compiled.pack, snapshot);
            evaluateRule(*rule, compiled, snapshot, oneByOne);
        }
        std::stable_sort(oneByOne.begin(), oneByOne.end(), [](const Finding& a, const Finding& b) {
            if (a.severity() != b.severity())
                return a.severity() > b.severity();
            if (a.rule->id != b.rule->id)
                return a.rule->id < b.rule->id;
            return a.object < b.object;
        });
        QCOMPARE(describe(oneByOne), first);
    }

    void safeVirtualServerHasNoFindings() {
        auto findings = findingsFor(withVirtualServer(safeSettings()));
        QVERIFY2(findings.empty(), findings.empty() ? "" : findings.begin()->first.c_str());
    }

    // EXS-RELAY-OPEN
    void relayOpenFiresForGrantByDefaultWithAnonymousDefault() {
        auto forest =
            withVirtualServer(with(with(safeSettings(), "msExchSmtpRelayIpList", kGrantByDefault),
                                   "msExchAuthenticationFlags", ""));
        auto findings = findingsFor(forest);
        QCOMPARE(findings.count("EXS-RELAY-OPEN"), std::size_t(1));
        QCOMPARE(QString::fromStdString(findings.find("EXS-RELAY-OPEN")->second),
                 QString::fromStdString(forest.entries.back().dn));
    }
    void relayOpenFiresForDenyListOnlyMode() {
        auto blob = testsupport::ipSecurityBlob({}, {{"192.0.2.1", "255.255.255.255"}});
        QVERIFY(fires(withVirtualServer(with(safeSettings(), "msExchSmtpRelayIpList", blob)),
                      "EXS-RELAY-OPEN"));
    }
    void relayOpenFiresForGrantWithMaskZero() {
        auto blob = testsupport::ipSecurityBlob({{"0.0.0.0", "0.0.0.0"}}, {});
        QVERIFY(fires(withVirtualServer(with(with(safeSettings(), "msExchSmtpRelayIpList", blob),
                                             "msExchAuthenticationFlags", "1")),
                      "EXS-RELAY-OPEN"));
    }
    void relayOpenSilentWhenAnonymousIsOff() {
        QVERIFY(!fires(
            withVirtualServer(with(with(safeSettings(), "msExchSmtpRelayIpList", kGrantByDefault),
                                   "msExchAuthenticationFlags", "6")),
            "EXS-RELAY-OPEN"));
    }
    void relayOpenSilentForOnlyListBelowAndAbsentList() {
        QVERIFY(!fires(withVirtualServer(safeSettings()), "EXS-RELAY-OPEN"));
        QVERIFY(!fires(withVirtualServer(with(safeSettings(), "msExchSmtpRelayIpList", "")),
                       "EXS-RELAY-OPEN"));
        QVERIFY(!fires(withVirtualServer(with(safeSettings(), "msExchSmtpRelayIpList",
                                              testsupport::emptyOnlyListBlob())),
                       "EXS-RELAY-OPEN"));
    }

    // EXS-RELAY-WIDE
    void relayWideFiresForSlash16Grant() {
        auto blob = testsupport::ipSecurityBlob(
            {{"10.20.0.0", "255.255.0.0"}, {"127.0.0.1", "255.255.255.255"}}, {});
        QVERIFY(fires(withVirtualServer(with(safeSettings(), "msExchSmtpRelayIpList", blob)),
                      "EXS-RELAY-WIDE"));
    }
    void relayWideSilentFor256AddressesAndForMaskZero() {
        auto slash24 = testsupport::ipSecurityBlob({{"10.20.30.0", "255.255.255.0"}}, {});
        QVERIFY(!fires(withVirtualServer(with(safeSettings(), "msExchSmtpRelayIpList", slash24)),
                       "EXS-RELAY-WIDE"));
        auto everything = testsupport::ipSecurityBlob({{"0.0.0.0", "0.0.0.0"}}, {});
        QVERIFY(!fires(withVirtualServer(with(safeSettings(), "msExchSmtpRelayIpList", everything)),
                       "EXS-RELAY-WIDE"));
    }

    void relayWideFiresForEverythingGrantWhenAnonymousIsOff() {
        // Not OPEN (anonymous is off), but every address is granted: still reported.
        auto blob = testsupport::ipSecurityBlob({{"0.0.0.0", "0.0.0.0"}}, {});
        auto forest = withVirtualServer(with(with(safeSettings(), "msExchSmtpRelayIpList", blob),
                                             "msExchAuthenticationFlags", "6"));
        QVERIFY(fires(forest, "EXS-RELAY-WIDE"));
        QVERIFY(!fires(forest, "EXS-RELAY-OPEN"));
    }

    // EXS-RELAY-LIST-INVALID
    void listInvalidFiresForTruncatedBlobAndSaysUnknown() {
        auto forest = withVirtualServer(
            with(safeSettings(), "msExchSmtpRelayIpList", kOnlyLocalhost.substr(0, 30)));
        CollectionContext context;
        pugi::xml_document snapshot;
        buildSnapshot(forest.entries, context, snapshot);
        auto findings = catalogue.evaluate(snapshot);
        auto invalid = std::find_if(findings.begin(), findings.end(), [](const Finding& f) {
            return f.rule->id == "EXS-RELAY-LIST-INVALID";
        });
        QVERIFY(invalid != findings.end());
        QCOMPARE(QString(invalid->status()), QString("unknown"));
        firedSomewhere.insert("EXS-RELAY-LIST-INVALID");
        // A list that cannot be read is neither open nor safe.
        QVERIFY(!fires(forest, "EXS-RELAY-OPEN"));
    }
    void listInvalidFiresForSeveralValuesOfTheSingleValuedList() {
        auto forest = withVirtualServer(with(safeSettings(), "msExchAuthenticationFlags", "1"));
        for (auto& attribute : forest.entries.back().attributes)
            if (attribute.name == "msExchSmtpRelayIpList")
                attribute.values.push_back(kGrantByDefault);
        QVERIFY(fires(forest, "EXS-RELAY-LIST-INVALID"));
    }
    void emptyRelayListValueMeansNobodyRelays() {
        auto forest = withVirtualServer(with(safeSettings(), "msExchSmtpRelayIpList", ""));
        // Present with a zero-length value (Forest::virtualServer leaves empty values out).
        forest.entries.back().attributes.push_back({"msExchSmtpRelayIpList", {""}});
        QVERIFY(!fires(forest, "EXS-RELAY-LIST-INVALID"));
        QVERIFY(!fires(forest, "EXS-RELAY-OPEN"));
    }
    void listInvalidSilentForValidAndAbsentLists() {
        QVERIFY(!fires(withVirtualServer(safeSettings()), "EXS-RELAY-LIST-INVALID"));
        QVERIFY(!fires(withVirtualServer(with(safeSettings(), "msExchSmtpRelayIpList", "")),
                       "EXS-RELAY-LIST-INVALID"));
    }

    // EXS-RELAY-AUTH-NONDEFAULT
    void authNonDefaultFiresForFalse() {
        QVERIFY(fires(withVirtualServer(with(safeSettings(), "msExchSmtpRelayForAuth", "FALSE")),
                      "EXS-RELAY-AUTH-NONDEFAULT"));
    }
    void authNonDefaultSilentForTrueAndAbsent() {
        QVERIFY(!fires(withVirtualServer(safeSettings()), "EXS-RELAY-AUTH-NONDEFAULT"));
        QVERIFY(!fires(withVirtualServer(with(safeSettings(), "msExchSmtpRelayForAuth", "")),
                       "EXS-RELAY-AUTH-NONDEFAULT"));
    }

    // EXS-RELAY-GUEST
    void relayGuestFiresWithEnabledGuestInAnyDomain() {
        Forest forest;
        forest.domain();
        forest.guest("66082");
        forest.base = "DC=child,DC=corp,DC=example";
        forest.domain(testsupport::domainSid(1, 2, 3));
        forest.guest("66080", "Guest", testsupport::guestSid(1, 2, 3));
        forest.base = "DC=corp,DC=example";
        forest.virtualServer("EXCH01", 1, with(safeSettings(), "msExchSmtpRelayForAuth", ""));
        QVERIFY(fires(forest, "EXS-RELAY-GUEST"));
    }
    void relayGuestSilentWhenGuestDisabledOrRelayForAuthOffOrNoAuthentication() {
        QVERIFY(!fires(withVirtualServer(safeSettings()), "EXS-RELAY-GUEST"));
        auto enabledGuest = [&](const std::map<std::string, std::string>& settings) {
            Forest forest;
            forest.domain();
            forest.guest("66080");
            forest.virtualServer("EXCH01", 1, settings);
            return forest;
        };
        QVERIFY(!fires(enabledGuest(with(safeSettings(), "msExchSmtpRelayForAuth", "FALSE")),
                       "EXS-RELAY-GUEST"));
        QVERIFY(!fires(enabledGuest(with(safeSettings(), "msExchAuthenticationFlags", "1")),
                       "EXS-RELAY-GUEST"));
    }

    // EXS-RELAY-GUEST-UNKNOWN
    void relayGuestUnknownFiresWithoutDomainData() {
        Forest forest;
        forest.virtualServer("EXCH01", 1, safeSettings());
        QVERIFY(fires(forest, "EXS-RELAY-GUEST-UNKNOWN"));
    }
    void relayGuestUnknownSilentWhenEveryGuestIsKnown() {
        QVERIFY(!fires(withVirtualServer(safeSettings()), "EXS-RELAY-GUEST-UNKNOWN"));
    }

    // EXS-AUTH-BASIC-CLEARTEXT
    void basicCleartextFiresForDefaultsWithoutTls() {
        QVERIFY(fires(withVirtualServer(with(with(safeSettings(), "msExchAuthenticationFlags", ""),
                                             "msExchAccessSSLFlags", "")),
                      "EXS-AUTH-BASIC-CLEARTEXT"));
    }
    void basicCleartextSilentWithTlsRequiredOrBasicOff() {
        QVERIFY(!fires(withVirtualServer(safeSettings()), "EXS-AUTH-BASIC-CLEARTEXT"));
        QVERIFY(
            !fires(withVirtualServer(with(with(safeSettings(), "msExchAuthenticationFlags", "5"),
                                          "msExchAccessSSLFlags", "0")),
                   "EXS-AUTH-BASIC-CLEARTEXT"));
    }

    // EXS-VALUE-INVALID
    void valueInvalidFiresForNonNumericFlags() {
        auto forest = withVirtualServer(with(safeSettings(), "msExchAuthenticationFlags", "seven"));
        QVERIFY(fires(forest, "EXS-VALUE-INVALID"));
        // Unknown flags never count as "anonymous off".
        QVERIFY(!fires(forest, "EXS-AUTH-BASIC-CLEARTEXT"));
    }
    void valueInvalidFiresForSeveralValuesOfASingleValuedFlag() {
        auto forest = withVirtualServer(safeSettings());
        for (auto& attribute : forest.entries.back().attributes)
            if (attribute.name == "msExchAuthenticationFlags")
                attribute.values.push_back("1");
        QVERIFY(fires(forest, "EXS-VALUE-INVALID"));
    }
    void valueInvalidSilentForWellFormedValues() {
        QVERIFY(!fires(withVirtualServer(safeSettings()), "EXS-VALUE-INVALID"));
    }

    // DIR-GUEST-ENABLED
    void guestEnabledFiresAndFindsRenamedGuestBySid() {
        Forest forest;
        forest.domain();
        forest.guest("66080", "Gast");
        auto findings = findingsFor(forest);
        QCOMPARE(findings.count("DIR-GUEST-ENABLED"), std::size_t(1));
        QCOMPARE(QString::fromStdString(findings.find("DIR-GUEST-ENABLED")->second),
                 QString("CN=Gast,CN=Users,DC=corp,DC=example"));
    }
    void guestEnabledSilentForDisabledGuestAndForAccountNamedGuestWithOtherRid() {
        QVERIFY(!fires(forestWithoutServers(), "DIR-GUEST-ENABLED"));
        Forest forest;
        forest.domain();
        forest.guest("66082");
        // An enabled account *named* Guest but with RID 1105 is not the Guest account.
        forest.guest("512", "Guest2",
                     testsupport::binarySid({21, 1004336348, 1177238915, 682003330, 1105}));
        Forest::set(forest.entries.back(), "sAMAccountName", "Guest");
        QVERIFY(!fires(forest, "DIR-GUEST-ENABLED"));
    }

    void guestIsNotHiddenByAForeignSecurityPrincipalWithItsSid() {
        Forest forest;
        forest.base = "DC=trusting,DC=example";
        forest.domain(testsupport::domainSid(7, 8, 9));
        // The other domain's Guest SID, as a foreign security principal listed first.
        auto& foreign =
            forest.add("CN=S-1-5-21-1-2-3-501,CN=ForeignSecurityPrincipals," + forest.base,
                       {"top", "foreignSecurityPrincipal"});
        Forest::set(foreign, "objectSid", testsupport::guestSid(1, 2, 3));
        forest.base = "DC=corp,DC=example";
        forest.domain(testsupport::domainSid(1, 2, 3));
        forest.guest("66080", "Guest", testsupport::guestSid(1, 2, 3));
        auto findings = findingsFor(forest);
        QCOMPARE(findings.count("DIR-GUEST-ENABLED"), std::size_t(1));
        QCOMPARE(QString::fromStdString(findings.find("DIR-GUEST-ENABLED")->second),
                 QString("CN=Guest,CN=Users,DC=corp,DC=example"));
    }
    void guestWithSeveralAccountControlValuesIsUnknown() {
        Forest forest;
        forest.domain();
        forest.guest("66082");
        forest.entries.back().attributes.back().values.push_back("512");
        QVERIFY(fires(forest, "DIR-GUEST-UNREADABLE"));
        QVERIFY(!fires(forest, "DIR-GUEST-ENABLED"));
    }

    // DIR-GUEST-UNREADABLE
    void guestUnreadableFiresForDomainWithoutGuestOrWithoutAccountControl() {
        Forest forest;
        forest.domain();
        QVERIFY(fires(forest, "DIR-GUEST-UNREADABLE"));
        Forest noControl;
        noControl.domain();
        noControl.guest("");
        QVERIFY(fires(noControl, "DIR-GUEST-UNREADABLE"));
    }
    void guestUnreadableFiresForPartitionOnlyKnownFromConfiguration() {
        Forest forest = forestWithoutServers();
        auto& crossRef =
            forest.add("CN=CHILD,CN=Partitions," + forest.configuration(), {"top", "crossRef"});
        Forest::set(crossRef, "nCName", "DC=child,DC=corp,DC=example");
        Forest::set(crossRef, "systemFlags", "3");
        Forest::set(crossRef, "dnsRoot", "child.corp.example");
        auto findings = findingsFor(forest);
        QCOMPARE(findings.count("DIR-GUEST-UNREADABLE"), std::size_t(1));
        QCOMPARE(QString::fromStdString(findings.find("DIR-GUEST-UNREADABLE")->second),
                 QString("DC=child,DC=corp,DC=example"));
    }
    void guestUnreadableSilentWhenGuestIsRead() {
        QVERIFY(!fires(forestWithoutServers(), "DIR-GUEST-UNREADABLE"));
    }

    // ORG-NO-EXCHANGE
    void noExchangeFiresForDomainOnlyInput() {
        Forest forest;
        forest.domain();
        forest.guest("66082");
        QVERIFY(fires(forest, "ORG-NO-EXCHANGE"));
    }
    void noExchangeSilentWithAnOrganisation() {
        QVERIFY(!fires(forestWithoutServers(), "ORG-NO-EXCHANGE"));
    }

    // EXR-RECV-ANONYMOUS-RELAY
    void anonymousRelayFiresForAcceptAnyRecipientGrantedToAnonymous() {
        auto forest = forestWithoutServers();
        auto sd = testsupport::securityDescriptor(
            {{5, 0, 0x100, testsupport::guidBytes(testsupport::kAcceptAnyRecipient),
              testsupport::binarySid({7})}});
        forest.receiveConnector("EX2016", "Anonymous Relay", {{"nTSecurityDescriptor", sd}});
        QVERIFY(fires(forest, "EXR-RECV-ANONYMOUS-RELAY"));
    }
    void anonymousRelayFiresForNullDacl() {
        // DACL-present flag with no DACL: Windows grants everything to everybody.
        std::string nullDacl = {1, 0, 0x04, char(0x80), 0, 0, 0, 0, 0, 0,
                                0, 0, 0,    0,          0, 0, 0, 0, 0, 0};
        auto forest = forestWithoutServers();
        forest.receiveConnector("EX2016", "Null", {{"nTSecurityDescriptor", nullDacl}});
        QVERIFY(fires(forest, "EXR-RECV-ANONYMOUS-RELAY"));
        QVERIFY(!fires(forest, "EXR-RECV-PERMISSIONS-UNREADABLE"));
    }
    void anonymousRelaySilentForDenyInheritOnlyOrAuthenticatedUsers() {
        auto grant = testsupport::TestAce{5, 0, 0x100,
                                          testsupport::guidBytes(testsupport::kAcceptAnyRecipient),
                                          testsupport::binarySid({7})};
        auto deny = grant;
        deny.type = 6;
        auto inheritOnly = grant;
        inheritOnly.flags = 0x08;
        auto authenticated = grant;
        authenticated.sid = testsupport::binarySid({11});
        for (const auto& aces : std::vector<std::vector<testsupport::TestAce>>{
                 {grant, deny}, {inheritOnly}, {authenticated}}) {
            auto forest = forestWithoutServers();
            forest.receiveConnector(
                "EX2016", "Default",
                {{"nTSecurityDescriptor", testsupport::securityDescriptor(aces)}});
            QVERIFY(!fires(forest, "EXR-RECV-ANONYMOUS-RELAY"));
        }
    }

    // EXR-RECV-EXTERNAL-AUTH-WIDE (which replaced EXR-RECV-EXTERNAL-AUTH-ANY) and
    // EXR-RECV-EXTERNAL-AUTH
    void externalAuthorityFiresCriticalForEveryAddressAndWarningForRanges() {
        auto sd = testsupport::securityDescriptor({});
        auto forest = forestWithoutServers();
        forest.receiveConnector("EX2016", "Partner",
                                {{"msExchSMTPReceiveInboundSecurityFlag", "32"},
                                 {"msExchSmtpReceiveRemoteIPRanges", "0.0.0.0-255.255.255.255"},
                                 {"nTSecurityDescriptor", sd}});
        QVERIFY(fires(forest, "EXR-RECV-EXTERNAL-AUTH-WIDE"));
        QVERIFY(!fires(forest, "EXR-RECV-EXTERNAL-AUTH"));
        auto narrow = forestWithoutServers();
        narrow.receiveConnector("EX2016", "Partner",
                                {{"msExchSMTPReceiveInboundSecurityFlag", "33"},
                                 {"msExchSmtpReceiveRemoteIPRanges", "192.0.2.0/28"},
                                 {"nTSecurityDescriptor", sd}});
        QVERIFY(fires(narrow, "EXR-RECV-EXTERNAL-AUTH"));
        QVERIFY(!fires(narrow, "EXR-RECV-EXTERNAL-AUTH-WIDE"));
    }
    void externalAuthoritySilentWithoutTheBit() {
        auto forest = forestWithoutServers();
        forest.receiveConnector("EX2016", "Default",
                                {{"msExchSMTPReceiveInboundSecurityFlag", "29"},
                                 {"nTSecurityDescriptor", testsupport::securityDescriptor({})}});
        QVERIFY(!fires(forest, "EXR-RECV-EXTERNAL-AUTH-WIDE"));
        QVERIFY(!fires(forest, "EXR-RECV-EXTERNAL-AUTH"));
    }

    // EXR-RECV-PERMISSIONS-UNREADABLE
    void permissionsUnreadableFiresWithoutDescriptor() {
        auto forest = forestWithoutServers();
        forest.receiveConnector("EX2016", "Default", {});
        QVERIFY(fires(forest, "EXR-RECV-PERMISSIONS-UNREADABLE"));
    }
    void permissionsUnreadableSilentWithReadableDescriptorOrDisabledConnector() {
        auto forest = forestWithoutServers();
        forest.receiveConnector("EX2016", "Default",
                                {{"nTSecurityDescriptor", testsupport::securityDescriptor({})}});
        QVERIFY(!fires(forest, "EXR-RECV-PERMISSIONS-UNREADABLE"));
        auto disabled = forestWithoutServers();
        disabled.receiveConnector("EX2016", "Old", {{"msExchSmtpReceiveEnabled", "FALSE"}});
        QVERIFY(!fires(disabled, "EXR-RECV-PERMISSIONS-UNREADABLE"));
    }

    // Findings order: most severe first.
    void findingsAreOrderedMostSevereFirst() {
        auto forest = withVirtualServer(
            with(with(with(safeSettings(), "msExchSmtpRelayIpList", kGrantByDefault),
                      "msExchSmtpRelayForAuth", "FALSE"),
                 "msExchAccessSSLFlags", ""));
        CollectionContext context;
        pugi::xml_document snapshot;
        buildSnapshot(forest.entries, context, snapshot);
        auto findings = catalogue.evaluate(snapshot);
        QVERIFY(findings.size() >= 3);
        for (std::size_t i = 1; i < findings.size(); ++i)
            QVERIFY(findings[i - 1].severity() >= findings[i].severity());
        QCOMPARE(QString::fromStdString(findings.front().rule->id), QString("EXS-RELAY-OPEN"));
    }

    // Pack validation
    void packWithBadXPathIsRefusedNamingPackAndRule() {
        RuleCatalogue custom;
        std::vector<RulePackError> errors;
        QVERIFY(!custom.loadText(
            R"(<rulePack name="p" version="1"><rule id="X-BAD" severity="warning" kind="unsafe">
            <title>t</title><condition>//virtualServer[</condition><message>m</message><why>w</why>
            <remediation><step>s</step></remediation>
            <references><reference url="https://example.org/">r</reference></references></rule></rulePack>)",
            "custom.xml", errors));
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(errors[0].source), QString("custom.xml"));
        QCOMPARE(QString::fromStdString(errors[0].rule), QString("X-BAD"));
        QVERIFY(QString::fromStdString(errors[0].message).contains("XPath"));
        QVERIFY(custom.packs().empty());
    }
    void packWithDuplicateIdMissingProseOrBadSeverityIsRefused() {
        RuleCatalogue custom;
        std::vector<RulePackError> errors;
        QVERIFY(custom.loadBuiltin(errors));
        QVERIFY(!custom.loadText(
            R"(<rulePack name="p" version="1"><rule id="EXS-RELAY-OPEN" severity="severe" kind="unsafe">
            <title>t</title><condition>//x</condition><message>m</message>
            <remediation><step>s</step></remediation>
            <references><reference url="https://example.org/">r</reference></references></rule></rulePack>)",
            "dup.xml", errors));
        QString all;
        for (const auto& error : errors)
            all += QString::fromStdString(error.describe()) + "\n";
        QVERIFY2(all.contains("unique"), qPrintable(all));
        QVERIFY2(all.contains("<why>"), qPrintable(all));
        QVERIFY2(all.contains("severity"), qPrintable(all));
    }
    void packConditionMustSelectNodes() {
        RuleCatalogue custom;
        std::vector<RulePackError> errors;
        QVERIFY(!custom.loadText(
            R"(<rulePack name="p" version="1"><rule id="X-COUNT" severity="info" kind="info">
            <title>t</title><condition>count(//x)</condition><message>m</message><why>w</why>
            <remediation><step>s</step></remediation>
            <references><reference url="https://example.org/">r</reference></references></rule></rulePack>)",
            "count.xml", errors));
        QVERIFY(QString::fromStdString(errors.at(0).message).contains("select nodes"));
    }
    void customPackAddsRuleAndMessageValuesShowObservedValues() {
        RuleCatalogue custom;
        std::vector<RulePackError> errors;
        QVERIFY(custom.loadBuiltin(errors));
        QVERIFY(custom.loadText(
            R"(<rulePack name="site" version="2"><rule id="SITE-NO-TLS" severity="info" kind="non-default">
            <title>t</title><condition>//virtualServer[@requireTls='false']</condition>
            <message>ssl flags <value of="@sslFlags"/> on <value of="@server"/></message><why>w</why>
            <remediation><step>s</step></remediation>
            <references><reference url="https://example.org/">r</reference></references></rule></rulePack>)",
            "site.xml", errors));
        auto forest = withVirtualServer(with(safeSettings(), "msExchAccessSSLFlags", "0"));
        CollectionContext context;
        pugi::xml_document snapshot;
        buildSnapshot(forest.entries, context, snapshot);
        auto findings = custom.evaluate(snapshot);
        auto site = std::find_if(findings.begin(), findings.end(),
                                 [](const Finding& f) { return f.rule->id == "SITE-NO-TLS"; });
        QVERIFY(site != findings.end());
        QCOMPARE(QString::fromStdString(site->message), QString("ssl flags 0 on EXCH01"));
    }
    void oldBracePlaceholdersAreRefusedWithTheNewSpelling() {
        RuleCatalogue custom;
        std::vector<RulePackError> errors;
        QVERIFY(!custom.loadText(
            R"(<rulePack name="site" version="2"><rule id="SITE-OLD" severity="info" kind="info">
            <title>t</title><condition>//virtualServer</condition>
            <message>flags {@sslFlags}</message><why>w</why>
            <remediation><step>s</step></remediation>
            <references><reference url="https://example.org/">r</reference></references></rule></rulePack>)",
            "old.xml", errors));
        QVERIFY(QString::fromStdString(errors.at(0).message).contains("<value of="));
        QCOMPARE(errors.at(0).line, 3u);
    }
    // The examples of the built-in packs hold; every rule has one that fires, so it fired.
    void builtinExamplesHold() {
        auto failures = checkExamples(catalogue);
        std::string all;
        for (const auto& failure : failures)
            all += failure + "\n";
        QVERIFY2(failures.empty(), all.c_str());
        for (const auto* rule : catalogue.rules())
            firedSomewhere.insert(rule->id);
    }
    void manualChecksKeepTheirPlaceOrderAndWords() {
        auto forest = withVirtualServer(safeSettings());
        std::vector<Finding> manual;
        auto findings = findingsFor(forest, &manual);
        QVERIFY(findings.empty());
        auto texts = manualCheckTexts(manual);
        QCOMPARE(texts.size(), std::size_t(2));
        QVERIFY(QString::fromStdString(texts[0]).startsWith(
            "Exchange 2003 per-user relay permissions (virtual server Properties, Access, Relay, "
            "Users; msExchSubmitRelaySD) are not evaluated"));
        QVERIFY(QString::fromStdString(texts[1]).contains(
            "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters"));
        QCOMPARE(QString(toString(manual[0].rule->kind)), QString("manual"));
        QCOMPARE(manual[0].severity(), Severity::Info);
    }
    void builtinPacksValidateAgainstRulesSchema() {
        QDir rules(RELAYAUDIT_SOURCE_DIR "/rules");
        const auto packs = rules.entryList({"*.xml"});
        QVERIFY(packs.size() >= 3);
        for (const auto& pack : packs) {
            QProcess xmllint;
            xmllint.start(XMLLINT_PROGRAM,
                          {"--noout", "--schema", RELAYAUDIT_SOURCE_DIR "/schemas/rules.xsd",
                           rules.filePath(pack)});
            QVERIFY(xmllint.waitForFinished(30000));
            QVERIFY2(xmllint.exitCode() == 0, xmllint.readAllStandardError().constData());
        }
    }

    // Every built-in rule must have fired in at least one test above.
    void cleanupTestCase() {
        for (const auto* rule : catalogue.rules())
            QVERIFY2(firedSomewhere.count(rule->id),
                     qPrintable(QString::fromStdString(rule->id) + " has no firing test"));
    }
};

QTEST_GUILESS_MAIN(TestRules)
#include "tst_rules.moc"
