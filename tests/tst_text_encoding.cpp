// analyzer/base text helpers: terminal-safe and XML-safe text (directory data is hostile), the
// UTF-8 decoder behind them, and the ASCII string helpers.
#include "string_helpers.h"
#include "text_encoding.h"

#include <QtTest/QtTest>
#include <random>

using namespace relayaudit;

namespace {

// QByteArray prints the bytes on a failed comparison; std::string would not.
QByteArray bytes(const std::string& text) {
    return QByteArray::fromStdString(text);
}

QByteArray terminal(std::string_view text, std::size_t limit = std::string_view::npos) {
    return bytes(terminalSafeText(text, limit));
}

} // namespace

class TestTextEncoding : public QObject {
    Q_OBJECT

private slots:
    // plainAsciiPrefix skips 16 or 8 bytes at a time: every byte value, at every position of
    // texts of every length around those steps, stops it exactly where a byte-at-a-time scan
    // stops.
    void plainAsciiPrefixStopsAtTheFirstByteToLookAt() {
        auto expected = [](const std::string& text, bool orMarkup) {
            std::size_t i = 0;
            for (; i < text.size(); ++i) {
                auto byte = static_cast<unsigned char>(text[i]);
                if (byte < 0x20 || byte >= 0x80 ||
                    (orMarkup && (byte == '&' || byte == '<' || byte == '>' || byte == '"')))
                    break;
            }
            return i;
        };
        for (std::size_t length = 0; length <= 40; ++length)
            for (std::size_t at = 0; at < length; ++at)
                for (int value = 0; value < 256; ++value) {
                    std::string text(length, 'a');
                    text[at] = char(value);
                    for (bool orMarkup : {false, true}) {
                        const auto got = plainAsciiPrefix(text, orMarkup);
                        if (got != expected(text, orMarkup))
                            QFAIL(qPrintable(QString("length %1, byte 0x%2 at %3: %4")
                                                 .arg(length)
                                                 .arg(value, 2, 16, QChar('0'))
                                                 .arg(at)
                                                 .arg(got)));
                    }
                }
        QCOMPARE(plainAsciiPrefix(std::string(100, 'x'), true), std::size_t(100));
        QCOMPARE(plainAsciiPrefix("", true), std::size_t(0));
    }
    // terminalSafeText: a value must not forge a line, a column or a terminal command.
    void terminalKeepsPlainAsciiAndUtf8() {
        QCOMPARE(terminal("CN=EXCH01,CN=Servers"), QByteArray("CN=EXCH01,CN=Servers"));
        QCOMPARE(terminal("J\xC3\xBCrgen \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"),
                 QByteArray("J\xC3\xBCrgen \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"));
    }
    void terminalEscapesNewlineSoALineCannotBeForged() {
        QCOMPARE(terminal("a\nEXS-FAKE\tinfo"), QByteArray("a\\0AEXS-FAKE\\09info"));
    }
    void terminalEscapesTabSoAColumnCannotBeForged() {
        QCOMPARE(terminal("a\tb"), QByteArray("a\\09b"));
    }
    void terminalEscapesCarriageReturnAndDelete() {
        QCOMPARE(terminal("a\rb\x7F"), QByteArray("a\\0Db\\7F"));
    }
    void terminalEscapesEscapeSequences() {
        QCOMPARE(terminal("\x1B[2J\x1B]0;title\x07"), QByteArray("\\1B[2J\\1B]0;title\\07"));
    }
    void terminalEscapesNulByte() {
        QCOMPARE(terminal(std::string_view("a\0b", 3)), QByteArray("a\\00b"));
    }
    void terminalEscapesC1ControlsEveryByte() {
        // U+009B is the one-character CSI of VT terminals; U+0085 is NEL (a line break).
        QCOMPARE(terminal("x\xC2\x9B"
                          "31m\xC2\x85y"),
                 QByteArray("x\\C2\\9B31m\\C2\\85y"));
    }
    void terminalEscapesBidiOverride() {
        // U+202E RIGHT-TO-LEFT OVERRIDE: "Trojan Source" (CVE-2021-42574).
        QCOMPARE(terminal("CN=\xE2\x80\xAE"
                          "gnp.exe"),
                 QByteArray("CN=\\E2\\80\\AEgnp.exe"));
    }
    void terminalEscapesBidiIsolates() {
        // U+2066 LEFT-TO-RIGHT ISOLATE .. U+2069 POP DIRECTIONAL ISOLATE.
        QCOMPARE(terminal("\xE2\x81\xA6"
                          "a\xE2\x81\xA9"),
                 QByteArray("\\E2\\81\\A6a\\E2\\81\\A9"));
    }
    void terminalEscapesImplicitDirectionMarks() {
        // U+200E LRM, U+200F RLM, U+061C ARABIC LETTER MARK.
        QCOMPARE(terminal("\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C"),
                 QByteArray("\\E2\\80\\8E\\E2\\80\\8F\\D8\\9C"));
    }
    void terminalEscapesZeroWidthCharacters() {
        // U+200B ZERO WIDTH SPACE and U+FEFF (zero-width no-break space / BOM) make two DNs that
        // differ look the same.
        QCOMPARE(terminal("Guest\xE2\x80\x8B"), QByteArray("Guest\\E2\\80\\8B"));
        QCOMPARE(terminal("\xEF\xBB\xBFGuest"), QByteArray("\\EF\\BB\\BFGuest"));
    }
    void terminalEscapesNoncharacters() {
        QCOMPARE(terminal("\xEF\xBF\xBE\xEF\xBF\xBF"), QByteArray("\\EF\\BF\\BE\\EF\\BF\\BF"));
    }
    void terminalEscapesInvalidUtf8ByteByByte() {
        QCOMPARE(terminal("a\xFF\xFE"
                          "b"),
                 QByteArray("a\\FF\\FEb"));
        QCOMPARE(terminal("\x80"), QByteArray("\\80"));
    }
    void terminalEscapesTruncatedSequenceAndResumesAfterIt() {
        // A lead byte without its continuation bytes must not swallow the next character.
        QCOMPARE(terminal("\xE2\x82"
                          "A"),
                 QByteArray("\\E2\\82A"));
        QCOMPARE(terminal("x\xC3"), QByteArray("x\\C3"));
    }
    void terminalEscapesOverlongForms() {
        // Overlong '<' (C0 BC), overlong '/' in three bytes, overlong NUL: each could hide a
        // character from a filter that only looks at the decoded text.
        QCOMPARE(terminal("\xC0\xBC"), QByteArray("\\C0\\BC"));
        QCOMPARE(terminal("\xE0\x80\xAF"), QByteArray("\\E0\\80\\AF"));
        QCOMPARE(terminal("\xC0\x80"), QByteArray("\\C0\\80"));
    }
    void terminalEscapesSurrogatesAndValuesPastUnicode() {
        QCOMPARE(terminal("\xED\xA0\x80"), QByteArray("\\ED\\A0\\80"));
        QCOMPARE(terminal("\xF4\x90\x80\x80"), QByteArray("\\F4\\90\\80\\80"));
        QCOMPARE(terminal("\xF8\x88\x80\x80\x80"), QByteArray("\\F8\\88\\80\\80\\80"));
    }
    void terminalLimitCutsWithEllipsis() {
        QCOMPARE(terminal("abcdefgh", 4), QByteArray("abcd..."));
    }
    void terminalLimitKeepsTextThatFitsExactly() {
        QCOMPARE(terminal("abcd", 4), QByteArray("abcd"));
        QCOMPARE(terminal("", 0), QByteArray(""));
    }
    void terminalLimitNeverSplitsAUtf8Character() {
        // "ü" is two bytes: with one byte of room left it is left out whole.
        QCOMPARE(terminal("a\xC3\xBC"
                          "b",
                          2),
                 QByteArray("a..."));
        QCOMPARE(terminal("a\xC3\xBC"
                          "b",
                          3),
                 QByteArray("a\xC3\xBC..."));
        QCOMPARE(terminal("\xF0\x9F\x98\x80", 3), QByteArray("..."));
    }
    void terminalLimitNeverSplitsAnEscape() {
        // "\0A" is three bytes of output for one byte of input.
        QCOMPARE(terminal("a\nb", 3), QByteArray("a..."));
        QCOMPARE(terminal("a\nb", 4), QByteArray("a\\0A..."));
        QCOMPARE(terminal("a\xE2\x80\xAE", 9), QByteArray("a..."));
    }
    void terminalLimitCountsOutputBytesNotInputBytes() {
        QCOMPARE(terminal("\n\n\n", 6), QByteArray("\\0A\\0A..."));
    }

    // XML 1.0 cannot carry most control characters, noncharacters or invalid UTF-8.
    void xmlSafeAcceptsTextXmlCanCarry() {
        QVERIFY(isXmlSafe(""));
        QVERIFY(isXmlSafe("a\tb\nc\rd <&> J\xC3\xBCrgen \xF0\x9F\x98\x80"));
        QVERIFY(isXmlSafe("\xEF\xBF\xBD")); // U+FFFD is the last XML character below U+10000
    }
    void xmlSafeRejectsControlCharacters() {
        QVERIFY(!isXmlSafe(std::string_view("\0", 1)));
        QVERIFY(!isXmlSafe("a\x1B"));
        QVERIFY(!isXmlSafe("\x0B"));
    }
    void xmlSafeRejectsNoncharactersSurrogatesAndInvalidUtf8() {
        QVERIFY(!isXmlSafe("\xEF\xBF\xBE"));
        QVERIFY(!isXmlSafe("\xED\xB0\x80"));
        QVERIFY(!isXmlSafe("\xC0\xBC"));
        QVERIFY(!isXmlSafe("\xFF"));
        QVERIFY(!isXmlSafe("\xE2\x82"));
    }
    // isXmlSafe takes printable ASCII eight bytes at a time: an offending byte at any place in
    // or across those words, and characters straddling them, give what one character at a time
    // gives (20,000 random strings over an alphabet of the edge bytes, fixed seed).
    void xmlSafeAgreesWithCharacterByCharacterAtEveryPlace() {
        auto oneAtATime = [](std::string_view text) {
            for (std::size_t i = 0; i < text.size();) {
                std::uint32_t codePoint = 0;
                std::size_t length = decodeUtf8(text, i, codePoint);
                if (length == 0 || !isXmlChar(codePoint))
                    return false;
                i += length;
            }
            return true;
        };
        const std::string alphabet("a~ \x7F\t\n\r\x1F\x01\x80\xC3\xBC\xE2\x82\xAC\xFF\xEF\xBF", 18);
        std::mt19937 random(20261202);
        for (int n = 0; n < 20000; ++n) {
            std::string text;
            const std::size_t length = random() % 41;
            // Mostly printable, so that whole plain words occur around the edge bytes.
            for (std::size_t i = 0; i < length; ++i)
                text.push_back(random() % 4 ? 'x' : alphabet[random() % alphabet.size()]);
            QVERIFY2(isXmlSafe(text) == oneAtATime(text), QByteArray::fromStdString(text).toHex());
        }
        for (char bad : {'\0', '\x1F', '\x80', '\xFF'})
            for (std::size_t at = 0; at < 24; ++at) {
                std::string text(24, 'x');
                text[at] = bad;
                QVERIFY2(!isXmlSafe(text), QByteArray::number(int(at)));
            }
    }
    void xmlSafeTextLeavesSafeTextUnchanged() {
        QCOMPARE(bytes(xmlSafeText("a\tb <&> \xC3\xBC")), QByteArray("a\tb <&> \xC3\xBC"));
    }
    void xmlSafeTextEscapesOnlyTheOffendingBytes() {
        QCOMPARE(bytes(xmlSafeText("a\x01\xC3\xBC\xEF\xBF\xBE"
                                   "b")),
                 QByteArray("a\\01\xC3\xBC\\EF\\BF\\BEb"));
    }
    void xmlSafeTextResultIsAlwaysXmlSafe() {
        for (std::string_view hostile : {"\x01\x02", "\xC0\xBC", "\xED\xA0\x80", "\xE2\x82",
                                         "\xF4\x90\x80\x80", "\xEF\xBF\xBF"})
            QVERIFY(isXmlSafe(xmlSafeText(hostile)));
    }
    void xmlSafeTextKeepsC1AndBidiWhichXmlCanCarry() {
        // Legal XML characters stay: the HTML report shows them escaped, the XML stays exact.
        QCOMPARE(bytes(xmlSafeText("\xC2\x85\xE2\x80\xAE")), QByteArray("\xC2\x85\xE2\x80\xAE"));
    }

    void decodeUtf8ReturnsLengthAndCodePoint() {
        std::uint32_t codePoint = 0;
        QCOMPARE(decodeUtf8("A", 0, codePoint), std::size_t(1));
        QCOMPARE(codePoint, std::uint32_t('A'));
        QCOMPARE(decodeUtf8("x\xE2\x80\xAE", 1, codePoint), std::size_t(3));
        QCOMPARE(codePoint, std::uint32_t(0x202E));
        QCOMPARE(decodeUtf8("\xF4\x8F\xBF\xBF", 0, codePoint), std::size_t(4));
        QCOMPARE(codePoint, std::uint32_t(0x10FFFF));
    }
    void decodeUtf8RejectsMalformedSequences() {
        std::uint32_t codePoint = 0;
        for (std::string_view bad : {"\x80", "\xC0\xBC", "\xE0\x80\xAF", "\xF0\x80\x80\xAF",
                                     "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC3",
                                     "\xC3"
                                     "A",
                                     "\xFE", "\xFF"})
            QCOMPARE(decodeUtf8(bad, 0, codePoint), std::size_t(0));
    }
    void hexDigitValueAcceptsBothCases() {
        QCOMPARE(hexDigitValue('0'), 0);
        QCOMPARE(hexDigitValue('9'), 9);
        QCOMPARE(hexDigitValue('a'), 10);
        QCOMPARE(hexDigitValue('F'), 15);
        QCOMPARE(hexDigitValue('g'), -1);
        QCOMPARE(hexDigitValue('/'), -1);
    }

    // strings.h: LDAP names compare case-insensitively in ASCII only.
    void equalsIgnoreCaseFoldsAsciiOnly() {
        QVERIFY(equalsIgnoreCase("msExchSmtpRelayIpList", "MSEXCHSMTPRELAYIPLIST"));
        QVERIFY(equalsIgnoreCase("", ""));
        QVERIFY(!equalsIgnoreCase("cn", "cn "));
        QVERIFY(!equalsIgnoreCase("\xC3\x9C", "\xC3\xBC")); // Ü and ü: not ASCII, not folded
    }
    // The comparison skips equal eight-byte words and folds only words that differ: checked
    // against a byte-by-byte fold on every length up to 40 and a difference at every position.
    void equalsIgnoreCaseMatchesByteByByteFolding() {
        auto reference = [](std::string_view a, std::string_view b) {
            auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
            if (a.size() != b.size())
                return false;
            for (std::size_t i = 0; i < a.size(); ++i)
                if (lower(a[i]) != lower(b[i]))
                    return false;
            return true;
        };
        const std::string alphabet = "aAzZ@[`{09-\x80\xC3";
        int compared = 0;
        for (std::size_t size = 0; size <= 40; ++size) {
            std::string base;
            for (std::size_t i = 0; i < size; ++i)
                base += alphabet[(i * 7 + size) % alphabet.size()];
            for (std::size_t at = 0; at < size; ++at)
                for (char replacement : alphabet) {
                    std::string other = base;
                    other[at] = replacement;
                    QCOMPARE(equalsIgnoreCase(base, other), reference(base, other));
                    QCOMPARE(equalsIgnoreCase(other, base), reference(other, base));
                    ++compared;
                }
            std::string upper = base;
            for (char& c : upper)
                if (c >= 'a' && c <= 'z')
                    c = char(c - 'a' + 'A');
            QVERIFY(equalsIgnoreCase(base, upper));
            QVERIFY(!equalsIgnoreCase(base, upper + "x"));
        }
        QVERIFY(compared > 10000);
    }
    void equalsIgnoreCaseIgnoresTheLocale() {
        // In a Turkish locale toupper('i') is not 'I'; LDAP names must not depend on that.
        QVERIFY(equalsIgnoreCase("objectClass", "OBJECTCLASS"));
        QVERIFY(equalsIgnoreCase("uri", "URI"));
    }
    void startsWithIgnoreCaseMatchesPrefixOnly() {
        QVERIFY(startsWithIgnoreCase("LDAPS://dc1", "ldaps://"));
        QVERIFY(startsWithIgnoreCase("anything", ""));
        QVERIFY(!startsWithIgnoreCase("ldap", "ldaps"));
        QVERIFY(!startsWithIgnoreCase("xldaps://", "ldaps://"));
    }
    void toLowerAsciiLeavesOtherBytesAlone() {
        QCOMPARE(bytes(toLowerAscii("CN=J\xC3\x9CRGEN,DC=X")), QByteArray("cn=j\xC3\x9Crgen,dc=x"));
    }
    void trimWhitespaceRemovesSpacesTabsCrLfAtBothEnds() {
        QCOMPARE(std::string(trimWhitespace(" \t value  with spaces \r\n")),
                 std::string("value  with spaces"));
    }
    void trimWhitespaceOfBlankIsEmpty() {
        QVERIFY(trimWhitespace(" \t\r\n ").empty());
        QVERIFY(trimWhitespace("").empty());
    }
    void trimWhitespaceKeepsOtherControlCharacters() {
        QCOMPARE(std::string(trimWhitespace("\v x \f")), std::string("\v x \f"));
    }
};

QTEST_GUILESS_MAIN(TestTextEncoding)
#include "tst_text_encoding.moc"
