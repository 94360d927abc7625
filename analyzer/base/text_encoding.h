#pragma once
// Directory text is attacker-controlled: these helpers are the one place that decides which bytes
// are well-formed characters, shared by the snapshot, the XML report and the HTML report.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace relayaudit {

// Decodes one well-formed UTF-8 sequence at text[i]; returns its length and stores the code
// point, or returns 0 for malformed, truncated, overlong sequences, surrogates and values past
// U+10FFFF (overlong forms would hide characters such as '<' from filters).
std::size_t decodeUtf8(std::string_view text, std::size_t i, std::uint32_t& codePoint);

// 0-15 for a hexadecimal digit, -1 otherwise.
int hexDigitValue(char c);
// Appends two uppercase hexadecimal digits: the one place that writes hexadecimal.
void appendHexByte(std::string& out, std::uint8_t byte);
// Appends each byte as \XX (RFC 4514 style): the one notation for bytes a reader must see
// rather than have applied, in the snapshot, both reports and on the terminal.
void appendEscapedBytes(std::string& out, std::string_view bytes);

// XML 1.0 Char production: anything else makes the whole document unparseable.
bool isXmlChar(std::uint32_t codePoint);

// Text that XML 1.0 cannot carry (control characters, invalid UTF-8) has each offending byte
// written as \XX (RFC 4514 style), so a hostile value cannot break or forge the document.
std::string xmlSafeText(std::string_view text);
bool isXmlSafe(std::string_view text);

// Eight bytes at a time, for the fast paths of the escapers: text is nearly all printable ASCII,
// and DNs are long. A byte repeated in every lane of a word, and the top bit of every lane.
inline constexpr std::uint64_t kEveryByte = 0x0101010101010101u;
inline constexpr std::uint64_t kEveryTopBit = 0x8080808080808080u;

// Whether all eight bytes of `word` are printable ASCII (0x20-0x7F), without a branch per byte:
// no high bit set, and no byte below 0x20 (the usual "has a byte less than n" test, exact for
// n <= 128 once no byte is 0x80 or above).
inline bool isPrintableAsciiWord(std::uint64_t word) {
    return (word & kEveryTopBit) == 0 && ((word - kEveryByte * 0x20) & ~word & kEveryTopBit) == 0;
}

// Whether one of the eight bytes of a printable ASCII word (isPrintableAsciiWord) is `byte`.
inline bool wordHasByte(std::uint64_t word, unsigned char byte) {
    const std::uint64_t x = word ^ (kEveryByte * byte);
    return ((x - kEveryByte) & ~x & kEveryTopBit) != 0;
}

// How many bytes from the start of `text` are printable ASCII (0x20-0x7F), and, with
// `orMarkup`, also none of & < > ". Sixteen bytes at a time where SSE2 is there (every x86-64),
// else eight: the escapers and isXmlSafe skip such runs whole, and nearly all text is one
// (issue 10: the escapers were a quarter of writing the XML report).
std::size_t plainAsciiPrefix(std::string_view text, bool orMarkup);

// Characters a reader must see rather than have silently applied: control characters (C0 except
// tab and newline, DEL, C1), noncharacters, and the invisible bidi/zero-width marks that can make
// one DN look like another ("Trojan Source", CVE-2021-42574).
bool mustShowEscaped(std::uint32_t codePoint);

// For a terminal or a log line: every byte of invalid UTF-8, of a control character (newline and
// tab included, so a value cannot forge a line or a column) and of the characters above is
// written as \XX. With a limit, the result stops on a character boundary before it would pass
// limit bytes and ends in "...".
std::string terminalSafeText(std::string_view text, std::size_t limit = std::string_view::npos);

} // namespace relayaudit
