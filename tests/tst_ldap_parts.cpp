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

    void trailingNoiseOfADiagnosticIsDropped() {
        QCOMPARE(trimmedDiagnostic("no such object \r\n\t"), "no such object"s);
        QCOMPARE(trimmedDiagnostic(nullptr), ""s);
    }
};

QTEST_APPLESS_MAIN(TestLdapParts)
#include "tst_ldap_parts.moc"
