// Distinguished names (analyzer/decode/dn.h): escapes honoured, multi-valued RDNs and BER values
// read, and every malformed DN refused with the byte where it goes wrong, never half-parsed.
#include "dn.h"

#include <QtTest>
#include <ldap.h>
#include <random>
#include <string>

using namespace relayaudit;
using namespace std::string_literals;

namespace {

// Parses or fails the current test (with the reason) without running the rest of it.
#define PARSE_OK(name, text)                                                                       \
    const auto name##Decoded = parseDn(text);                                                      \
    QVERIFY2(name##Decoded.ok(),                                                                   \
             name##Decoded.ok() ? "" : name##Decoded.error().describe().c_str());                  \
    const DistinguishedName& name = name##Decoded.value()

QString value(const RelativeName& name) {
    return QString::fromStdString(name.value());
}

// The RDN text as libldap writes it back, for comparing with parseDn's own writing of plain RDNs.
std::string libldapRdnText(const std::string& rdnText) {
    LDAPDN dn = nullptr;
    if (ldap_str2dn(rdnText.c_str(), &dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || !dn)
        return "(does not parse)";
    char* text = nullptr;
    std::string written = ldap_rdn2str(dn[0], &text, LDAP_DN_FORMAT_LDAPV3) == LDAP_SUCCESS
                              ? std::string(text)
                              : std::string("(cannot be written)");
    ldap_memfree(text);
    ldap_dnfree(dn);
    return written;
}

} // namespace

class TestDn : public QObject {
    Q_OBJECT

private slots:
    // parseDn writes plain RDNs itself instead of calling ldap_rdn2str: on 20,000 generated RDNs,
    // plain or not (specials escaped as \XX), its text must be libldap's, byte for byte.
    void rdnTextIsWhatLibldapWritesBack() {
        std::mt19937 random(10);
        const std::string alphabet = "aZ09 .-_,+=\"#<>;\xc3\xa9\x01";
        const std::string types[] = {"CN", "cn", "DC", "OU", "x-Type", "2.5.4.3"};
        int compared = 0;
        for (int i = 0; i < 20000; ++i) {
            std::string value;
            for (auto length = random() % 8 + 1; length > 0; --length) {
                char c = alphabet[random() % alphabet.size()];
                bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '.' ||
                             c == '-' || c == '_';
                char hex[4];
                std::snprintf(hex, sizeof hex, "\\%02X", static_cast<unsigned char>(c));
                value += plain && random() % 4 ? std::string(1, c) : std::string(hex);
            }
            const std::string rdn = types[random() % 6] + "=" + value;
            const auto parsed = parseDn(rdn + ",DC=x");
            if (!parsed.ok())
                continue; // e.g. unescaped leading or trailing spaces: both refuse or trim alike
            QCOMPARE(QString::fromStdString(parsed.value()[0].text),
                     QString::fromStdString(libldapRdnText(rdn)));
            ++compared;
        }
        QVERIFY2(compared > 10000, "too few generated RDNs parsed to compare");
    }
    // The snapshot builder parses a DN's parent once for all its siblings: on generated DNs (with
    // spaces, escapes, multi-valued RDNs, BER values, broken ones) the leading RDN plus the
    // parent's parse must be the whole parse, and a DN that does not parse never splits into two
    // that do.
    void leadingRdnAndParentParseAsTheWholeDn() {
        std::mt19937 random(11);
        const std::string pieces[] = {"CN=a",  "cn=B c",   "OU=x\\,y",  "DC=corp",        " CN=s",
                                      "CN=t ", "CN=\\20u", "CN=a+OU=b", "CN=#0403616263", "CN=",
                                      "=x",    "CN=a\\",   "CN=\"q\"",  "2.5.4.3=v"};
        int split = 0, refused = 0;
        for (int i = 0; i < 20000; ++i) {
            std::string dn;
            for (auto count = random() % 5 + 1; count > 0; --count)
                dn += (dn.empty() ? "" : random() % 8 ? "," : ", ") + pieces[random() % 14];
            const auto whole = parseDn(dn);
            const auto lead = parseLeadingRdn(dn);
            if (!lead) {
                QVERIFY2(!whole.ok() || whole.value().size() <= 1, dn.c_str());
                continue;
            }
            const auto parent = parseDn(std::string_view(dn).substr(lead->parentAt));
            if (!whole.ok()) {
                QVERIFY2(!parent.ok(), dn.c_str());
                ++refused;
                continue;
            }
            QVERIFY2(parent.ok(), dn.c_str());
            QCOMPARE(whole.value().size(), parent.value().size() + 1);
            QCOMPARE(QString::fromStdString(whole.value()[0].text),
                     QString::fromStdString(lead->name.text));
            QCOMPARE(QString::fromStdString(whole.value()[0].value()),
                     QString::fromStdString(lead->name.value()));
            for (std::size_t r = 1; r < whole.value().size(); ++r) {
                QCOMPARE(QString::fromStdString(whole.value()[r].text),
                         QString::fromStdString(parent.value()[r - 1].text));
                QCOMPARE(whole.value()[r].parts.size(), parent.value()[r - 1].parts.size());
                QCOMPARE(QString::fromStdString(whole.value()[r].value()),
                         QString::fromStdString(parent.value()[r - 1].value()));
            }
            ++split;
        }
        QVERIFY2(split > 2000 && refused > 100, "generated DNs cover both outcomes");
    }
    void plainDnSplitsIntoRdnsLeftmostFirst() {
        PARSE_OK(dn, "CN=1,CN=SMTP,DC=corp,DC=example");
        QCOMPARE(dn.size(), std::size_t(4));
        QCOMPARE(QString::fromStdString(dn[0].type()), QString("CN"));
        QCOMPARE(value(dn[0]), QString("1"));
        QCOMPARE(value(dn[1]), QString("SMTP"));
        QCOMPARE(QString::fromStdString(dn[3].type()), QString("DC"));
        QCOMPARE(value(dn[3]), QString("example"));
    }
    void escapedCommaStaysInsideTheValue() {
        PARSE_OK(dn, R"(CN=Smith\, John,DC=x)");
        QCOMPARE(dn.size(), std::size_t(2));
        QCOMPARE(value(dn[0]), QString("Smith, John"));
    }
    void hexEscapedCommaStaysInsideTheValue() {
        PARSE_OK(dn, R"(CN=a\2Cb,DC=x)");
        QCOMPARE(dn.size(), std::size_t(2));
        QCOMPARE(value(dn[0]), QString("a,b"));
    }
    void escapedSeparatorCannotPoseAsAnotherRdn() {
        PARSE_OK(dn, R"(CN=a\,CN=Servers,DC=x)");
        QCOMPARE(dn.size(), std::size_t(2));
        QCOMPARE(value(dn[0]), QString("a,CN=Servers"));
    }
    void hexEscapedUtf8IsDecodedToItsBytes() {
        PARSE_OK(dn, R"(CN=J\C3\BCrgen)");
        QCOMPARE(dn[0].value(), "J\xC3\xBCrgen"s);
    }
    void escapedTrailingSpaceIsKeptAndUnescapedOnesAreNot() {
        PARSE_OK(spaced, R"(CN=a\ ,DC=x)");
        QCOMPARE(value(spaced[0]), QString("a "));
        PARSE_OK(padded, "CN= a ,DC=x");
        QCOMPARE(value(padded[0]), QString("a"));
    }
    void multiValuedRdnKeepsEveryValueInOrder() {
        PARSE_OK(dn, "CN=a+OU=b,DC=x");
        QCOMPARE(dn.size(), std::size_t(2));
        QCOMPARE(dn[0].parts.size(), std::size_t(2));
        QCOMPARE(value(dn[0]), QString("a"));
        QCOMPARE(QString::fromStdString(dn[0].parts[1].type), QString("OU"));
        QCOMPARE(QString::fromStdString(dn[0].parts[1].value), QString("b"));
    }
    void berOctetStringValueIsDecoded() {
        PARSE_OK(dn, "CN=#04024869,DC=x");
        QCOMPARE(value(dn[0]), QString("Hi"));
        QCOMPARE(value(dn[1]), QString("x"));
    }
    void berUtf8StringValueIsDecoded() {
        PARSE_OK(dn, "CN=#0C074AC3BC7267656E");
        QCOMPARE(dn[0].value(), "J\xC3\xBCrgen"s);
    }
    void berValueThatIsNotAStringIsRefused() {
        const auto dn = parseDn("CN=x,CN=#020101");
        QVERIFY(!dn.ok());
        QCOMPARE(dn.error().offset, std::size_t(5));
        QVERIFY(dn.error().reason.find("RDN 2") != std::string::npos);
        QVERIFY(dn.error().reason.find("tag 2") != std::string::npos);
    }
    void berValueWithWrongLengthIsRefused() {
        const auto dn = parseDn("CN=#0405414243");
        QVERIFY(!dn.ok());
        QVERIFY(dn.error().reason.find("says 5 bytes but holds 3") != std::string::npos);
    }
    void emptyRdnBetweenSeparatorsIsRefusedAtItsByte() {
        const auto dn = parseDn("CN=a,,DC=x");
        QVERIFY(!dn.ok());
        QCOMPARE(dn.error().offset, std::size_t(5));
        QCOMPARE(QString::fromStdString(dn.error().describe()),
                 QString("byte 5 (distinguished name): RDN 2 is empty (a separator with nothing "
                         "before it)"));
    }
    void trailingBackslashIsRefused() {
        const auto dn = parseDn(R"(CN=a\)");
        QVERIFY(!dn.ok());
        QCOMPARE(dn.error().offset, std::size_t(5));
        QVERIFY(dn.error().reason.find("escape") != std::string::npos);
    }
    void trailingSeparatorIsRefused() {
        const auto dn = parseDn("CN=a,DC=x,");
        QVERIFY(!dn.ok());
        QCOMPARE(dn.error().offset, std::size_t(10));
    }
    void leadingSeparatorIsRefused() {
        const auto dn = parseDn(",CN=a");
        QVERIFY(!dn.ok());
        QCOMPARE(dn.error().offset, std::size_t(0));
    }
    void unescapedSpecialCharacterIsRefusedAtItsRdn() {
        const auto dn = parseDn("CN=ok,CN=EXCH<script>,DC=x");
        QVERIFY(!dn.ok());
        QCOMPARE(dn.error().offset, std::size_t(6));
        QVERIFY(dn.error().reason.find("RDN 2") != std::string::npos);
    }
    void ldapV2SemicolonSeparatorIsRefused() { QVERIFY(!parseDn("CN=a;DC=x").ok()); }
    void nulByteInsideTheDnIsRefused() {
        const auto dn = parseDn("CN=a\0b,DC=x"s);
        QVERIFY(!dn.ok());
        QCOMPARE(dn.error().offset, std::size_t(4));
    }
    void emptyDnIsTheRootWithNoRdns() {
        const auto dn = parseDn("");
        QVERIFY(dn.ok());
        QVERIFY(dn.value().empty());
        QCOMPARE(QString::fromStdString(domainSuffixOf(dn.value())), QString());
    }
    void domainSuffixAndDnsNameComeFromTheTrailingDomainComponents() {
        PARSE_OK(dn, "CN=Guest,CN=Users,DC=corp,DC=example");
        QCOMPARE(QString::fromStdString(domainSuffixOf(dn)), QString("DC=corp,DC=example"));
        QCOMPARE(QString::fromStdString(dnsNameOfDomainDn(dn)), QString("corp.example"));
    }
    void domainComponentsBeforeAnotherRdnAreNotPartOfTheDomain() {
        PARSE_OK(dn, "DC=a,OU=x,DC=b");
        QCOMPARE(QString::fromStdString(domainSuffixOf(dn)), QString("DC=b"));
        QCOMPARE(QString::fromStdString(dnsNameOfDomainDn(dn)), QString("b"));
    }
    // Found by fuzz_dn: "DC=" gave the suffix "DC=" but the DNS name "", and "DC=,DC=com" ".com".
    void emptyDomainComponentEndsTheDomain() {
        PARSE_OK(dn, "CN=x,DC=");
        QCOMPARE(QString::fromStdString(domainSuffixOf(dn)), QString());
        QCOMPARE(QString::fromStdString(dnsNameOfDomainDn(dn)), QString());
        PARSE_OK(withLabel, "CN=x,DC=,DC=com");
        QCOMPARE(QString::fromStdString(domainSuffixOf(withLabel)), QString("DC=com"));
        QCOMPARE(QString::fromStdString(dnsNameOfDomainDn(withLabel)), QString("com"));
    }
    void domainSuffixKeepsEscapesSoItIsStillOneDn() {
        PARSE_OK(dn, R"(CN=Guest,DC=a\,DC=evil,DC=example)");
        const auto suffix = domainSuffixOf(dn);
        PARSE_OK(reparsed, suffix);
        QCOMPARE(reparsed.size(), std::size_t(2));
        QCOMPARE(value(reparsed[0]), QString("a,DC=evil"));
    }
    // ldap_dn2domain drops a label libldap flags as non-printable ("DC=jürgen,DC=example" gives
    // "example", another domain); this is why dnsNameOfDomainDn does not call it.
    void dnsNameKeepsNonAsciiLabels() {
        PARSE_OK(dn, "DC=j\xC3\xBCrgen,DC=example");
        QCOMPARE(dnsNameOfDomainDn(dn), "j\xC3\xBCrgen.example"s);
    }
};

QTEST_GUILESS_MAIN(TestDn)
#include "tst_dn.moc"
