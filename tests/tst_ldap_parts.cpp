// The pieces of the LDAP collector that need no server (analyzer/collect/ldap/): the search
// filter built from directory bytes, and the messages made of what a server says. The rest is
// covered against real slapd and Samba servers in tests/integration.
#include "ldap_diagnostics.h"
#include "ldap_search.h"

#include <QtTest>
#include <string>

using namespace relayaudit::ldapcollect;
using namespace std::string_literals;

class TestLdapParts : public QObject {
    Q_OBJECT

private slots:
    void binarySidInFilterIsEscapedAsRfc4515Requires() {
        // Bytes as in a binary SID (revision 1, authority 5, RID 501 little-endian): NULs and
        // non-ASCII bytes included.
        const std::string sid("\x01\x05\x00\x00\x00\x00\x00\x05\xF5\x01\x00\x00", 12);
        QCOMPARE(equalityFilter("objectSid", sid),
                 "(objectSid=\\01\\05\\00\\00\\00\\00\\00\\05\\F5\\01\\00\\00)"s);
    }

    void filterSpecialCharactersCannotChangeTheFilter() {
        QCOMPARE(equalityFilter("cn", "x)(objectClass=*"), "(cn=x\\29\\28objectClass=\\2A)"s);
        QCOMPARE(equalityFilter("cn", "a\\b"), "(cn=a\\5Cb)"s);
    }

    void plainTextInFilterStaysReadable() {
        QCOMPARE(equalityFilter("cn", "Guest"), "(cn=Guest)"s);
    }

    void activeDirectoryBindDataCodeIsExplained() {
        QCOMPARE(activeDirectoryBindReason("80090308: LdapErr: DSID-0C09044E, comment: "
                                           "AcceptSecurityContext error, data 52e, v4563"),
                 "the password is wrong"s);
        QCOMPARE(activeDirectoryBindReason("... DATA 775, v4563"), "the account is locked out"s);
    }

    void unknownOrMissingBindDataCodeExplainsNothing() {
        QCOMPARE(activeDirectoryBindReason("AcceptSecurityContext error, data 999, v4563"), ""s);
        QCOMPARE(activeDirectoryBindReason("invalid credentials"), ""s);
    }

    void serverDiagnosticCannotForgeALine() {
        const std::string text = withDiagnostic(LDAP_INVALID_CREDENTIALS, "bad\nERROR: forged");
        QVERIFY2(text.find('\n') == std::string::npos, text.c_str());
        QVERIFY2(text.find("bad\\0AERROR: forged") != std::string::npos, text.c_str());
        QVERIFY2(text.find("(LDAP 49)") != std::string::npos, text.c_str());
    }

    // What a hardened domain controller wants, from the words of its refusal (AD and Samba).
    void activeDirectorySigningRequirementIsRecognised() {
        QCOMPARE(strongerAuthDemand("00002028: LdapErr: DSID-0C090259, comment: The server "
                                    "requires binds to turn on integrity checking if SSL\\TLS "
                                    "are not already active on the connection, data 0, v4563"),
                 StrongerAuthDemand::Signing);
        QCOMPARE(strongerAuthDemand("SASL:[GSSAPI]: Sign or Seal are required."),
                 StrongerAuthDemand::Signing);
    }
    void channelBindingRequirementIsRecognised() {
        QCOMPARE(strongerAuthDemand("80090346: LdapErr: DSID-0C090569, comment: "
                                    "AcceptSecurityContext error, data 80090346, v4563"),
                 StrongerAuthDemand::ChannelBinding);
    }
    void tlsRequirementIsRecognised() {
        QCOMPARE(strongerAuthDemand("BindSimple: Transport encryption required."),
                 StrongerAuthDemand::Tls);
    }
    void kerberosInsideTlsRefusalIsNotMistakenForSigning() {
        QCOMPARE(strongerAuthDemand("SASL:[GSSAPI]: Sign or Seal are not allowed if TLS is used"),
                 StrongerAuthDemand::NoSaslLayerInTls);
    }
    void silentRefusalNamesBothPossibilities() {
        QCOMPARE(strongerAuthDemand(""), StrongerAuthDemand::Unknown);
        auto advice = strongerAuthAdvice(StrongerAuthDemand::Unknown, false, false);
        QVERIFY2(advice.find("LDAP signing") != std::string::npos &&
                     advice.find("TLS") != std::string::npos,
                 advice.c_str());
    }
    void adviceSaysWhatToUseForEachDemand() {
        auto signing = strongerAuthAdvice(StrongerAuthDemand::Signing, false, false);
        QVERIFY2(signing.find("--sasl gssapi over ldap://") != std::string::npos, signing.c_str());
        auto binding = strongerAuthAdvice(StrongerAuthDemand::ChannelBinding, true, true);
        QVERIFY2(binding.find("channel binding") != std::string::npos, binding.c_str());
        auto tls = strongerAuthAdvice(StrongerAuthDemand::Tls, false, false);
        QVERIFY2(tls.find("ldaps:// or --starttls") != std::string::npos, tls.c_str());
        auto insideTls = strongerAuthAdvice(StrongerAuthDemand::Signing, true, true);
        QVERIFY2(insideTls.find("without --starttls") != std::string::npos, insideTls.c_str());
    }

    void trailingNoiseOfADiagnosticIsDropped() {
        QCOMPARE(trimmedDiagnostic("no such object \r\n\t"), "no such object"s);
        QCOMPARE(trimmedDiagnostic(nullptr), ""s);
    }
};

QTEST_APPLESS_MAIN(TestLdapParts)
#include "tst_ldap_parts.moc"
