// Behaviour of the LDIF reader (analyzer/collect/ldif/ldif_reader.h): what ldapsearch and ldifde
// write is read exactly, anything else is refused with the line that is wrong.
#include "ldif_reader.h"
#include "split_mix64.h"

#include <QtTest>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

using namespace relayaudit;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

LdifParseResult parse(std::string_view text) {
    return parseLdif(text, "test.ldif");
}

QString describe(const LdifParseResult& result) {
    return result.error ? QString::fromStdString(result.error->describe()) : QString("no error");
}

std::vector<std::string> valuesOf(const DirectoryEntry& entry, std::string_view name) {
    const auto* attribute = entry.find(name);
    return attribute ? attribute->values : std::vector<std::string>{};
}

using testsupport::SplitMix64;

// What an Exchange relay export looks like: comments, folding, base64 (binary and UTF-8 DN),
// options, CRLF on one record.
constexpr std::string_view kRealisticLdif =
    "version: 1\n"
    "\n"
    "# SMTP virtual server, exported with ldapsearch -L\n"
    "dn: CN=1,CN=SMTP,CN=Protocols,CN=EX01,CN=Servers,CN=Exchange Administrative Group (FYDIBO\n"
    " HF23SPDLT),CN=Administrative Groups,CN=Corp,CN=Microsoft Exchange,CN=Services,CN=Config\n"
    " uration,DC=corp,DC=example\n"
    "objectClass: top\n"
    "objectClass: protocolCfg\n"
    "objectClass: protocolCfgSMTPServer\n"
    "cn: 1\n"
    "msExchSmtpRelayIpList;binary:: GAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
    " AAAAAAAAAA==\n"
    "msExchSmtpRelayForAuth: 1\n"
    "objectGUID:: 3q2+7wAAEAARIiIzRFVmdw==\n"
    "\n"
    "dn:: Q049SsO8cmdlbixPVT1Vc2VycyxEQz1jb3JwLERDPWV4YW1wbGU=\r\n"
    "changetype: add\r\n"
    "description: relay admin\r\n"
    "memberOf: CN=Relay Admins,OU=Groups,DC=corp,DC=example\r\n"
    "\r\n"
    "dn: CN=Default EX01,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,DC=corp,DC=example\n"
    "msExchSmtpReceiveBindings: 0.0.0.0:25\n"
    "msExchSmtpReceiveBindings: [::]:25\n"
    "msExchSmtpReceiveRemoteIPRanges: 0.0.0.0-255.255.255.255\n"
    "msExchSmtpReceivePermissionGroups: 24\n"
    "#trailing comment that is\n"
    " folded\n";

} // namespace

class TestLdif : public QObject {
    Q_OBJECT

private slots:
    void emptyInputGivesNoEntries() {
        const auto result = parse("");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QVERIFY(result.entries.empty());
    }

    void simpleRecordIsRead() {
        const auto result = parse("dn: CN=EX01,DC=corp\nobjectClass: top\ncn: EX01\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 1u);
        const auto& entry = result.entries[0];
        QCOMPARE(entry.dn, "CN=EX01,DC=corp"s);
        QCOMPARE(entry.origin, "test.ldif:1"s);
        QCOMPARE(entry.attributes.size(), 2u);
        QCOMPARE(entry.attributes[0].name, "objectClass"s);
        QCOMPARE(valuesOf(entry, "cn"), std::vector<std::string>{"EX01"});
    }

    void multipleRecordsAreSeparatedByBlankLines() {
        const auto result = parse("\n\ndn: CN=a\ncn: a\n\n\n\ndn: CN=b\ncn: b\n\n\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 2u);
        QCOMPARE(result.entries[0].dn, "CN=a"s);
        QCOMPARE(result.entries[0].origin, "test.ldif:3"s);
        QCOMPARE(result.entries[1].dn, "CN=b"s);
        QCOMPARE(result.entries[1].origin, "test.ldif:8"s);
    }

    void whitespaceOnlyLineSeparatesRecords() {
        const auto result = parse("dn: CN=a\ncn: a\n   \ndn: CN=b\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 2u);
    }

    void versionOneLineIsAccepted() {
        const auto result = parse("version: 1\ndn: CN=a\ncn: a\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 1u);
        QCOMPARE(result.entries[0].find("version"), nullptr);
    }

    void versionTwoIsRefused() {
        const auto result = parse("version: 2\n\ndn: CN=a\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 1u);
        QVERIFY(result.error->message.find("version '2'") != std::string::npos);
        QVERIFY(result.entries.empty());
    }

    void commentsAreIgnoredIncludingFoldedOnes() {
        const auto result = parse("# exported\n"
                                  "#  by ldapsearch, with a comment that\n"
                                  " continues: here\n"
                                  "dn: CN=a\n"
                                  "# inside a record\n"
                                  "cn: a\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 1u);
        QCOMPARE(result.entries[0].origin, "test.ldif:4"s);
        QCOMPARE(result.entries[0].attributes.size(), 1u);
    }

    void foldedValueIsJoined() {
        const auto result = parse("dn: CN=a\ndescription: relay for the\n  scanner hos\n ts\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        // Only the first space of a continuation line is the fold marker (RFC 2849).
        QCOMPARE(valuesOf(result.entries[0], "description"),
                 std::vector<std::string>{"relay for the scanner hosts"});
    }

    void foldedDnIsJoined() {
        const auto result = parse("dn: CN=1,CN=SMTP,CN=Proto\n cols,DC=corp\ncn: 1\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries[0].dn, "CN=1,CN=SMTP,CN=Protocols,DC=corp"s);
    }

    void base64BinaryValueKeepsNulBytes() {
        // 00 01 00 FF 7F
        const auto result = parse("dn: CN=a\nmsExchSmtpRelayIpList:: AAEA/38=\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(valuesOf(result.entries[0], "msExchSmtpRelayIpList"),
                 std::vector<std::string>{"\x00\x01\x00\xFF\x7F"s});
    }

    void base64WithoutPaddingIsAccepted() {
        const auto result = parse("dn: CN=a\nx:: AAEA/38\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(valuesOf(result.entries[0], "x"),
                 std::vector<std::string>{"\x00\x01\x00\xFF\x7F"s});
    }

    void base64DnWithUtf8IsDecoded() {
        const auto result = parse("dn:: Q049SsO8cmdlbixPVT1Vc2VycyxEQz1jb3Jw\ncn: x\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries[0].dn, "CN=J\xC3\xBCrgen,OU=Users,DC=corp"s);
    }

    void base64DnThatIsNotUtf8IsRefused() {
        // "CN=J\xFCrgen" (Latin-1)
        const auto result = parse("dn:: Q049SvxyZ2Vu\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 1u);
        QVERIFY(result.error->message.find("not valid UTF-8") != std::string::npos);
    }

    void crlfLineEndingsAreRead() {
        const auto result = parse("dn: CN=a\r\ncn: a\r\n\r\ndn: CN=b\r\ncn: b\r\n long\r\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 2u);
        QCOMPARE(result.entries[0].dn, "CN=a"s);
        QCOMPARE(valuesOf(result.entries[1], "cn"), std::vector<std::string>{"blong"});
    }

    void mixedLineEndingsAreRead() {
        const auto result = parse("dn: CN=a\r\ncn: a\n\r\ndn: CN=b\ncn: b\r\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 2u);
        QCOMPARE(valuesOf(result.entries[0], "cn"), std::vector<std::string>{"a"});
        QCOMPARE(valuesOf(result.entries[1], "cn"), std::vector<std::string>{"b"});
    }

    void missingFinalNewlineIsFine() {
        const auto result = parse("dn: CN=a\ncn: last");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(valuesOf(result.entries[0], "cn"), std::vector<std::string>{"last"});
    }

    void utf8ByteOrderMarkIsSkipped() {
        const auto result = parse("\xEF\xBB\xBF"
                                  "dn: CN=a\ncn: a\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries[0].dn, "CN=a"s);
    }

    void utf16FileIsRefused() {
        const auto result = parse("\xFF\xFE"
                                  "d\0n\0:\0"sv);
        QVERIFY(result.error);
        QVERIFY(result.error->message.find("UTF-16") != std::string::npos);
    }

    void attributeOptionsAreStripped() {
        const auto result = parse("dn: CN=a\nmsExchSmtpRelayIpList;binary:: AQ==\ncn;lang-de: a\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries[0].attributes[0].name, "msExchSmtpRelayIpList"s);
        QCOMPARE(result.entries[0].attributes[1].name, "cn"s);
    }

    void rangeRetrievalOptionsOfActiveDirectoryAreAcceptedAndMerged() {
        const auto result = parse("dn: CN=g\nmember;range=0-1: CN=a\nmember;range=0-1: CN=b\n"
                                  "member;Range=2-*: CN=c\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries[0].attributes.size(), 1u);
        QCOMPARE(result.entries[0].attributes[0].name, "member"s);
        QCOMPARE(result.entries[0].attributes[0].values,
                 (std::vector<std::string>{"CN=a", "CN=b", "CN=c"}));
    }

    void rangeOptionsAsLdapsearchWritesThemForBigGroups() {
        // What ldapsearch writes for a group past AD's MaxValRange (1500), with another option
        // next to the range one and the upper-case spelling some tools use.
        const auto result = parse("dn: CN=Relay Admins,DC=corp\n"
                                  "cn: Relay Admins\n"
                                  "member;range=0-1499: CN=u1,DC=corp\n"
                                  "member;range=0-1499: CN=u2,DC=corp\n"
                                  "member;range=1500-*: CN=u3,DC=corp\n"
                                  "description;lang-en;RANGE=0-*: big\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 1u);
        const auto& entry = result.entries[0];
        QCOMPARE(entry.attributes.size(), 3u);
        QCOMPARE(entry.attributes[1].name, "member"s);
        QCOMPARE(valuesOf(entry, "member"),
                 (std::vector<std::string>{"CN=u1,DC=corp", "CN=u2,DC=corp", "CN=u3,DC=corp"}));
        QCOMPARE(valuesOf(entry, "description"), std::vector<std::string>{"big"});
    }

    void malformedOptionIsStillRefusedWithItsLine() {
        for (auto text :
             {"dn: CN=g\ncn: g\nmember;range=x-1: CN=a\n"sv,
              "dn: CN=g\ncn: g\nmember;a=b: CN=a\n"sv, "dn: CN=g\ncn: g\nmember;range=0-: CN=a\n"sv,
              "dn: CN=g\ncn: g\nmember;range=-1499: CN=a\n"sv,
              "dn: CN=g\ncn: g\nmember;range=0-1499x: CN=a\n"sv,
              "dn: CN=g\ncn: g\nmember;range=0-**: CN=a\n"sv,
              "dn: CN=g\ncn: g\nmember;range=0+1499: CN=a\n"sv,
              "dn: CN=g\ncn: g\nmember;range=: CN=a\n"sv,
              "dn: CN=g\ncn: g\nmember;ranges=0-1: CN=a\n"sv,
              "dn: CN=g\ncn: g\nmember;range\x1d"
              "0-1: CN=a\n"sv,
              "dn: CN=g\ncn: g\nmember;range=0-1;: CN=a\n"sv}) {
            const auto result = parse(text);
            QVERIFY2(result.error, text.data());
            QCOMPARE(result.error->line, std::size_t(3));
            QVERIFY2(result.error->message.find("has an invalid option") != std::string::npos,
                     qPrintable(describe(result)));
        }
    }

    void rangeBoundPastSixtyFourBitsIsRefusedAsMalformed() {
        // The shared range-option reader (attribute_options.h) takes bounds that fit 64 bits,
        // the same for a file as for a live search.
        const auto result = parse("dn: CN=g\nmember;range=0-18446744073709551616: CN=a\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, std::size_t(2));
        QVERIFY2(result.error->message.find("has an invalid option") != std::string::npos,
                 qPrintable(describe(result)));
    }

    void attributeNamesAreMergedCaseInsensitively() {
        const auto result = parse("dn: CN=a\nobjectClass: top\ncn: a\nOBJECTCLASS: server\n"
                                  "objectclass;binary: x\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        const auto& attributes = result.entries[0].attributes;
        QCOMPARE(attributes.size(), 2u);
        QCOMPARE(attributes[0].name, "objectClass"s);
        QCOMPARE(attributes[0].values, (std::vector<std::string>{"top", "server", "x"}));
    }

    void numericOidAttributeNameIsAccepted() {
        const auto result = parse("dn: CN=a\n1.2.840.113556.1.4.2: x\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries[0].attributes[0].name, "1.2.840.113556.1.4.2"s);
    }

    void invalidAttributeNameIsRefused() {
        const auto result = parse("dn: CN=a\ncn: a\nmsExch_Relay: x\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 3u);
        QVERIFY(result.error->message.find("valid attribute name") != std::string::npos);
    }

    void changetypeAddIsAccepted() {
        const auto result = parse("dn: CN=a\nchangetype: add\ncn: a\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 1u);
        QCOMPARE(result.entries[0].attributes.size(), 1u);
        QCOMPARE(result.entries[0].find("changetype"), nullptr);
    }

    void changetypeModifyIsRefusedWithLine() {
        const auto result = parse("dn: CN=a\ncn: a\n\ndn: CN=b\nchangetype: modify\nreplace: cn\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 5u);
        QCOMPARE(result.error->file, "test.ldif"s);
        QVERIFY2(result.error->message.find("changetype 'modify' records are not supported") !=
                     std::string::npos,
                 qPrintable(describe(result)));
        QVERIFY(result.entries.empty());
    }

    void controlLineIsRefused() {
        const auto result = parse("dn: CN=a\ncontrol: 1.2.840.113556.1.4.805 true\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 2u);
        QVERIFY(result.error->message.find("'control:'") != std::string::npos);
    }

    void urlValueIsRefusedWithLine() {
        const auto result = parse("dn: CN=a\ncn: a\njpegPhoto:< file:///etc/passwd\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 3u);
        QVERIFY(result.error->message.find("values given by URL (':<') are not supported") !=
                std::string::npos);
    }

    void invalidBase64IsRefusedWithLineAndColumn() {
        const auto result = parse("dn: CN=a\nmsExchSmtpRelayIpList:: AAE!\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 2u);
        QVERIFY2(result.error->message.find(
                     "value of 'msExchSmtpRelayIpList' is not valid base64 (character '!' at "
                     "column 28)") != std::string::npos,
                 qPrintable(describe(result)));
    }

    void wrongBase64PaddingIsRefused() {
        const auto result = parse("dn: CN=a\nx:: AAEA/38==\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 2u);
        QVERIFY(result.error->message.find("padding") != std::string::npos);
    }

    void lineWithoutColonIsRefusedWithLine() {
        const auto result = parse("dn: CN=a\ncn: a\nthis line has no separator\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 3u);
        QVERIFY(result.error->message.find("no ':'") != std::string::npos);
    }

    void continuationAtFileStartIsRefused() {
        const auto result = parse(" dn: CN=a\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 1u);
        QVERIFY(result.error->message.find("start of the file") != std::string::npos);
    }

    void continuationAfterBlankLineIsRefused() {
        const auto result = parse("dn: CN=a\ncn: a\n\n more\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 4u);
        QVERIFY(result.error->message.find("blank line") != std::string::npos);
    }

    void recordWithoutDnIsRefused() {
        const auto result = parse("dn: CN=a\n\ncn: b\nobjectClass: top\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 3u);
        QVERIFY(result.error->message.find("must start with 'dn:'") != std::string::npos);
    }

    void secondDnInsideRecordIsRefused() {
        const auto result = parse("dn: CN=a\ncn: a\ndn: CN=b\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 3u);
        QVERIFY(result.error->message.find("blank line") != std::string::npos);
    }

    void recordWithOnlyDnIsAccepted() {
        const auto result = parse("dn: CN=a\n\ndn: CN=b\ncn: b\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 2u);
        QVERIFY(result.entries[0].attributes.empty());
    }

    void duplicateDnsAreKept() {
        const auto result = parse("dn: CN=a\ncn: 1\n\ndn: cn=A\ncn: 2\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 2u);
    }

    void emptyValuesAreAccepted() {
        const auto result = parse("dn: CN=a\ndescription:\ninfo::\nmail: \n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        const auto& entry = result.entries[0];
        QCOMPARE(valuesOf(entry, "description"), std::vector<std::string>{""});
        QCOMPARE(valuesOf(entry, "info"), std::vector<std::string>{""});
        QCOMPARE(valuesOf(entry, "mail"), std::vector<std::string>{""});
    }

    void errorLineCountsFoldedLines() {
        const auto result = parse("dn: CN=a,\n DC=corp\ndescription: one\n two\n three\n"
                                  "x:: AAAA\n AA!A\n");
        QVERIFY(result.error);
        // The '!' is on physical line 7, column 4 (after the fold space and "AA").
        QCOMPARE(result.error->line, 7u);
        QVERIFY2(result.error->message.find("column 4") != std::string::npos,
                 qPrintable(describe(result)));
    }

    void errorLineAfterFoldedLinesPointsAtTheRecord() {
        const auto result =
            parse("dn: CN=a,\n DC=corp\ndescription: one\n two\n\ndn: CN=b\nchangetype: delete\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 7u);
    }

    void realisticExportIsRead() {
        const auto result = parse(kRealisticLdif);
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries.size(), 3u);
        QVERIFY(result.entries[0].dn.ends_with("CN=Configuration,DC=corp,DC=example"));
        QCOMPARE(result.entries[0].origin, "test.ldif:4"s);
        QCOMPARE(result.entries[0].find("msExchSmtpRelayIpList")->values[0].size(), 46u);
        QCOMPARE(result.entries[1].dn, "CN=J\xC3\xBCrgen,OU=Users,DC=corp,DC=example"s);
        QCOMPARE(valuesOf(result.entries[2], "msExchSmtpReceiveBindings").size(), 2u);
    }

    void longFoldedValueIsJoinedInLinearTime() {
        // 2 MB value folded every 76 columns as ldapsearch does: quadratic joining would be
        // visible here as minutes instead of milliseconds.
        const std::string value(2'000'000, 'A');
        std::string text = "dn: CN=a\ndescription: ";
        for (std::size_t i = 0; i < value.size(); i += 76)
            text += (i == 0 ? "" : "\n ") + value.substr(i, 76);
        text += "\n";
        QElapsedTimer timer;
        timer.start();
        const auto result = parse(text);
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(result.entries[0].find("description")->values[0], value);
        QVERIFY(timer.elapsed() < 10'000);
    }

    void mutatedInputNeverCrashes() {
        const std::string original(kRealisticLdif);
        // Bytes that matter to the grammar, plus some that must be refused.
        constexpr std::string_view kInteresting = " :<#=;\n\r\t-+/A0\x00\xFF\xC3"sv;
        SplitMix64 random(20240611);
        std::size_t refused = 0;
        for (int round = 0; round < 5000; ++round) {
            std::string text = original;
            const std::size_t mutations = 1 + random.below(4);
            for (std::size_t m = 0; m < mutations && !text.empty(); ++m) {
                const std::size_t at = random.below(text.size());
                switch (random.below(5)) {
                case 0:
                    text[at] = kInteresting[random.below(kInteresting.size())];
                    break;
                case 1:
                    text.insert(at, 1, kInteresting[random.below(kInteresting.size())]);
                    break;
                case 2:
                    text.erase(at, 1 + random.below(8));
                    break;
                case 3:
                    text.resize(at);
                    break;
                default:
                    text[at] = static_cast<char>(random.next() & 0xFF);
                    break;
                }
            }
            const auto result = parse(text);
            if (result.error) {
                ++refused;
                const std::size_t lineCount =
                    1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
                QVERIFY2(result.error->line >= 1 && result.error->line <= lineCount,
                         qPrintable(QString("round %1: %2").arg(round).arg(describe(result))));
                QVERIFY(!result.error->message.empty());
                QVERIFY(result.entries.empty());
            }
        }
        // Both outcomes must occur, or the mutations are not exercising the parser.
        QVERIFY(refused > 0 && refused < 5000);
    }

    // --- Streaming and limits (docs/design.md, "Inputs are streamed and bounded") ---

    void lineOverTheLimitIsRefusedByNumber() {
        LdifLimits limits;
        limits.maxLineBytes = 100;
        const auto result =
            parseLdif("dn: CN=a\ncn: " + std::string(200, 'x') + "\n", "test.ldif", limits);
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 2u);
        QVERIFY2(result.error->message.find("line 2 is longer than 100 bytes") != std::string::npos,
                 qPrintable(describe(result)));
    }

    void foldedLineOverTheLimitNamesItsFirstLine() {
        LdifLimits limits;
        limits.maxLineBytes = 100;
        const auto result = parseLdif("dn: CN=a\ndescription: " + std::string(60, 'x') + "\n " +
                                          std::string(60, 'y') + "\n",
                                      "test.ldif", limits);
        QVERIFY(result.error);
        QCOMPARE(result.error->line, 2u);
        QVERIFY2(result.error->message.find("(with its continuation lines)") != std::string::npos,
                 qPrintable(describe(result)));
    }

    void recordOverTheLimitIsRefused() {
        LdifLimits limits;
        limits.maxRecordBytes = 1000;
        std::string text = "dn: CN=a\n";
        for (int i = 0; i < 40; ++i)
            text += "description: x\n";
        const auto result = parseLdif(text, "test.ldif", limits);
        QVERIFY(result.error);
        QVERIFY2(result.error->message.find("the record that starts at test.ldif:1 holds more "
                                            "than 1000 bytes") != std::string::npos,
                 qPrintable(describe(result)));
    }

    void endlessNulBytesStopAtLineOne() {
        std::size_t consumed = 0;
        LdifSource zeros = [&consumed](char* buffer, std::size_t capacity) {
            std::memset(buffer, 0, capacity);
            consumed += capacity;
            return capacity;
        };
        LdifReader reader(zeros, "zeros");
        DirectoryEntry entry;
        QVERIFY(!reader.next(entry));
        QVERIFY(reader.error());
        QCOMPARE(reader.error()->line, 1u);
        QVERIFY2(reader.error()->message.find("NUL byte at column 1") != std::string::npos,
                 qPrintable(QString::fromStdString(reader.error()->describe())));
        QVERIFY2(consumed <= 256 * 1024, qPrintable(QString::number(consumed)));
    }

    void endlessLineStopsAtTheLineLimit() {
        std::size_t consumed = 0;
        LdifSource letters = [&consumed](char* buffer, std::size_t capacity) {
            std::memset(buffer, 'a', capacity);
            consumed += capacity;
            return capacity;
        };
        LdifLimits limits;
        limits.maxLineBytes = 1 << 20;
        LdifReader reader(letters, "letters", limits);
        DirectoryEntry entry;
        QVERIFY(!reader.next(entry));
        QVERIFY(reader.error());
        QCOMPARE(reader.error()->line, 1u);
        QVERIFY(reader.error()->message.find("longer than 1 MiB") != std::string::npos);
        QVERIFY2(consumed <= (1u << 20) + 128 * 1024, qPrintable(QString::number(consumed)));
    }

    void entriesAreHandedOutBeforeTheInputEnds() {
        std::string record = "dn: CN=a,DC=corp\ndescription: " + std::string(100, 'x') + "\n\n";
        std::size_t consumed = 0;
        const std::size_t total = 10u << 20;
        LdifSource records = [&](char* buffer, std::size_t capacity) {
            std::size_t count = std::min(capacity, total - consumed);
            for (std::size_t i = 0; i < count; ++i)
                buffer[i] = record[(consumed + i) % record.size()];
            consumed += count;
            return count;
        };
        LdifReader reader(records, "records");
        DirectoryEntry entry;
        QVERIFY(reader.next(entry));
        QCOMPARE(entry.dn, "CN=a,DC=corp"s);
        QVERIFY2(consumed <= 128 * 1024, qPrintable(QString::number(consumed)));
    }

    void whatTheSourceThrowsPassesThrough() {
        struct OverLimit {};
        LdifSource failing = [](char*, std::size_t) -> std::size_t { throw OverLimit{}; };
        LdifReader reader(failing, "failing");
        DirectoryEntry entry;
        QVERIFY_THROWS_EXCEPTION(OverLimit, reader.next(entry));
    }

    void longLinesWithinTheLimitAreRead() {
        const std::string value(3 << 20, 'v');
        const auto result =
            parse("dn: CN=a\n# " + std::string(100000, '\0') + "\ndescription: " + value + "\n");
        QVERIFY2(!result.error, qPrintable(describe(result)));
        QCOMPARE(valuesOf(result.entries[0], "description"), std::vector<std::string>{value});
    }

    void nulInAShortLineKeepsItsMessage() {
        const auto result = parse("dn: CN=a\ncn: a\0b\n"sv);
        QVERIFY(result.error);
        QVERIFY2(result.error->message.find("contains a NUL byte at column 6") != std::string::npos,
                 qPrintable(describe(result)));
    }
};

QTEST_GUILESS_MAIN(TestLdif)
#include "tst_ldif.moc"
