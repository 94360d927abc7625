// The pieces of the LDAP collector that need no server (analyzer/collect/ldap/): the search
// filter built from directory bytes, the messages made of what a server says, and the reading of
// an entry's attributes off the wire (compared with libldap's own reader). The rest is
// covered against real slapd and Samba servers in tests/integration.
#include "ber_attribute.h"
#include "ber_attribute_oracle.h"
#include "ldap_diagnostics.h"
#include "ldap_search.h"

#include <QtTest>
#include <random>
#include <string>

using namespace relayaudit::ldapcollect;
using namespace std::string_literals;

namespace {

// tag, length (short form, or long form when asked), contents
std::string element(std::string_view tag, std::string_view contents, bool longLength = false) {
    std::string out(tag);
    if (longLength || contents.size() > 127) {
        out += '\x84';
        for (int shift = 24; shift >= 0; shift -= 8)
            out += static_cast<char>((contents.size() >> shift) & 0xFF);
    } else {
        out += static_cast<char>(contents.size());
    }
    return out.append(contents);
}

std::vector<std::string> strings(const std::vector<std::string_view>& views) {
    return {views.begin(), views.end()};
}

} // namespace

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

    // An attribute as servers send it: its type, then its values in a SET, read in place.
    void attributeOffTheWireGivesTypeAndValues() {
        const std::string contents =
            element("\x04", "cn") +
            element("\x31", element("\x04", "a") + element("\x04", "", true) +
                                element("\x04", std::string(300, 'x')));
        std::string_view type;
        std::vector<std::string_view> values{"left over"};
        QVERIFY(!relayaudit::readPartialAttribute(contents, type, values));
        QCOMPARE(std::string(type), "cn"s);
        QCOMPARE(strings(values), (std::vector<std::string>{"a", "", std::string(300, 'x')}));
        // An empty set is an attribute without values, as libldap reads it.
        QVERIFY(!relayaudit::readPartialAttribute(element("\x04", "x") + element("\x31", ""), type,
                                                  values));
        QVERIFY(values.empty());
    }

    // Broken attributes are errors that say where, never a partial attribute.
    void brokenAttributeIsAnErrorWithItsPlace() {
        std::string_view type;
        std::vector<std::string_view> values;
        const std::string set = element("\x31", element("\x04", "a"));
        struct Case {
            std::string contents;
            std::size_t offset;
            const char* reason;
        };
        const Case cases[] = {
            {"", 0, "missing"},
            {element("\x04", "cn"), 4, "missing"},
            {element("\x04", "cn") + set + "\x04", 9, "bytes after the value set"},
            {"\x04\x05"
             "cn",
             0, "5 bytes, but 2 are left"},
            {"\x04\x80"
             "cn",
             0, "indefinite"},
            {"\x04\x89" + std::string(9, '\0'), 0, "length field of 9 bytes"},
            {"\x1F", 0, "inside a tag"},
            {element("\x04", "cn") + element("\x31", "\x04\x02"
                                                     "a"),
             6, "2 bytes, but 1 are left"},
        };
        for (const auto& c : cases) {
            auto problem = relayaudit::readPartialAttribute(c.contents, type, values);
            QVERIFY2(problem, QByteArray::fromStdString(c.contents).toHex());
            QCOMPARE(problem->offset, c.offset);
            QVERIFY2(problem->reason.find(c.reason) != std::string::npos, problem->reason.c_str());
        }
    }

    // libldap's reader (ber_scanf "{mM}", what ldap_get_attribute_ber calls) is the reference:
    // on 30,000 generated attributes, whole and damaged, ours reads what it reads. It differs
    // in one way only, on purpose: bytes after the value set are an error here.
    void attributeReadsAsLibldapReadsIt() {
        std::mt19937 random(4511);
        const std::string tags[] = {"\x04", "\x31", "\x30", "\x1F\x81\x01", "\x80", "\x1F"};
        auto text = [&] { return std::string(random() % 5, char('a' + random() % 26)); };
        int agreedOk = 0, agreedBroken = 0;
        for (int n = 0; n < 30000; ++n) {
            std::string set;
            for (auto count = random() % 4; count > 0; --count)
                set += element(tags[random() % 3 ? 0 : random() % 6], text(), random() % 4 == 0);
            std::string contents = element(tags[random() % 4 ? 0 : random() % 6], text()) +
                                   element(tags[random() % 4 ? 1 : random() % 6], set);
            switch (random() % 4) { // damage: a byte changed, cut short, or bytes added
            case 0:
                contents[random() % contents.size()] = static_cast<char>(random());
                break;
            case 1:
                contents.resize(random() % contents.size());
                break;
            case 2:
                contents += static_cast<char>(random());
                break;
            default:
                break;
            }
            std::string_view type;
            std::vector<std::string_view> values;
            const auto problem = relayaudit::readPartialAttribute(contents, type, values);
            const auto reference = relayaudit::testsupport::libldapReadsAttribute(contents);
            const QByteArray hex = QByteArray::fromStdString(contents).toHex();
            if (!problem) {
                QVERIFY2(reference.ok && !reference.bytesAfterValueSet, hex);
                QCOMPARE(std::string(type), reference.type);
                QCOMPARE(strings(values), reference.values);
                ++agreedOk;
            } else {
                QVERIFY2(!reference.ok || reference.bytesAfterValueSet, hex);
                ++agreedBroken;
            }
        }
        QVERIFY2(agreedOk > 5000 && agreedBroken > 5000,
                 "generated attributes cover both outcomes");
    }

    void trailingNoiseOfADiagnosticIsDropped() {
        QCOMPARE(trimmedDiagnostic("no such object \r\n\t"), "no such object"s);
        QCOMPARE(trimmedDiagnostic(nullptr), ""s);
    }
};

QTEST_APPLESS_MAIN(TestLdapParts)
#include "tst_ldap_parts.moc"
