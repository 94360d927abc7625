// The .reg syntax (docs/exchange-relay-facts.md section 6). Every refusal names the line and says
// what to do, because the person reading it has a file from another administrator in hand.
#include "registry_export.h"

#include "text_encoding.h"

#include <algorithm>

namespace relayaudit {

namespace {

const char* const kExportAgain =
    "export the key again with: reg export "
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters FILE.reg";
const char* const kTruncated = "the export looks truncated or edited; ";

bool isBlank(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trimLeft(std::string_view text) {
    while (!text.empty() && isBlank(text.front()))
        text.remove_prefix(1);
    return text;
}

std::string_view trimRight(std::string_view text) {
    while (!text.empty() && isBlank(text.back()))
        text.remove_suffix(1);
    return text;
}

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char a = text[i];
        if (a >= 'A' && a <= 'Z')
            a = static_cast<char>(a - 'A' + 'a');
        if (a != prefix[i])
            return false;
    }
    return true;
}

// A short, terminal-safe quotation of what was found, for error messages.
std::string shown(std::string_view text) {
    // Appended, not "'" + ...: GCC 12 at -O3 warns (-Wrestrict, a false positive) on that.
    return std::string("'").append(terminalSafeText(text, 40)).append("'");
}

// The physical lines of the decoded text, split on CRLF, LF or CR.
class Lines {
public:
    explicit Lines(std::string_view text) : text_(text) {}
    bool next(std::string_view& line) {
        if (position_ >= text_.size())
            return false;
        auto end = text_.find_first_of("\r\n", position_);
        if (end == std::string_view::npos)
            end = text_.size();
        line = text_.substr(position_, end - position_);
        position_ = end;
        if (end < text_.size())
            position_ += text_.compare(end, 2, "\r\n") == 0 ? 2 : 1;
        ++number_;
        return true;
    }
    std::size_t number() const { return number_; }

private:
    std::string_view text_;
    std::size_t position_ = 0;
    std::size_t number_ = 0;
};

struct Failure {
    RegistryError error;
};

[[noreturn]] void fail(std::size_t line, std::string problem, std::string advice = kExportAgain) {
    throw Failure{RegistryError{line, std::move(problem), std::move(advice)}};
}

class Parser {
public:
    Parser(std::string_view text, RegistryExport& out) : lines_(text), out_(out) {}

    void run() {
        std::string_view line;
        if (!nextLine(line))
            fail(1, "the file holds no text");
        readHeader(line);
        while (nextLine(line)) {
            auto content = trimLeft(line);
            if (content.empty() || content.front() == ';')
                continue;
            if (content.front() == '[')
                readKey(content);
            else if (content.front() == '"' || content.front() == '@')
                readValue(content);
            else
                fail(lines_.number(),
                     "expected a [key], a \"name\"=value line or a ';' comment, found " +
                         shown(content),
                     kExportAgain);
        }
    }

private:
    bool nextLine(std::string_view& line) {
        if (!lines_.next(line))
            return false;
        if (line.size() > kMaxRegistryLineBytes)
            fail(lines_.number(),
                 "the line is longer than " + std::to_string(kMaxRegistryLineBytes / 1024) +
                     " KiB, far beyond any value of a relay key",
                 "the file is damaged or not an export of that key; " + std::string(kExportAgain));
        return true;
    }

    void readHeader(std::string_view line) {
        auto header = trimRight(line);
        if (header == "REGEDIT4")
            out_.format = RegistryFormat::Regedit4;
        else if (header == "Windows Registry Editor Version 5.00")
            out_.format = RegistryFormat::Version5;
        else
            fail(1, "not a regedit export: the first line is " + shown(header) +
                        ", not REGEDIT4 or \"Windows Registry Editor Version 5.00\"");
    }

    void readKey(std::string_view content) {
        auto text = trimRight(content);
        if (text.size() < 2 || text.back() != ']')
            fail(lines_.number(), "the key name " + shown(text) + " is not closed by ']'",
                 std::string(kTruncated) + kExportAgain);
        RegistryKey key;
        key.line = lines_.number();
        auto path = text.substr(1, text.size() - 2);
        if (!path.empty() && path.front() == '-') {
            key.deletion = true;
            path.remove_prefix(1);
        }
        if (trimRight(trimLeft(path)).empty())
            fail(lines_.number(), "a key line with no key name", kExportAgain);
        key.path = std::string(path);
        out_.keys.push_back(std::move(key));
    }

    // A quoted string at text[0] == '"', with \\ and \" escapes; text is advanced past it.
    std::string readQuoted(std::string_view& text, const char* what) {
        std::string result;
        std::size_t i = 1;
        for (; i < text.size(); ++i) {
            char c = text[i];
            if (c == '"')
                break;
            if (c == '\\') {
                if (i + 1 == text.size())
                    break; // unterminated; reported below
                char next = text[i + 1];
                if (next != '\\' && next != '"')
                    fail(lines_.number(),
                         std::string("\\") + next + " in the " + what +
                             ": regedit escapes only \\\\ and \\\"",
                         "write a backslash as \\\\, or " + std::string(kExportAgain));
                result += next;
                ++i;
                continue;
            }
            result += c;
        }
        if (i >= text.size())
            fail(lines_.number(), std::string("the ") + what + " is not closed by '\"'",
                 std::string(kTruncated) + kExportAgain);
        text.remove_prefix(i + 1);
        return result;
    }

    void expectEndOfLine(std::string_view rest, const char* after) {
        rest = trimLeft(rest);
        if (!rest.empty() && rest.front() != ';')
            fail(lines_.number(), std::string("unexpected ") + shown(rest) + " after " + after,
                 kExportAgain);
    }

    void readValue(std::string_view content) {
        if (out_.keys.empty())
            fail(lines_.number(), "a value before the first [key] line", kExportAgain);
        RegistryValue value;
        value.line = lines_.number();
        auto rest = content;
        if (rest.front() == '@')
            rest.remove_prefix(1);
        else
            value.name = readQuoted(rest, "value name");
        rest = trimLeft(rest);
        if (rest.empty() || rest.front() != '=')
            fail(lines_.number(), "expected '=' after the value name " + shown(value.name),
                 std::string(kTruncated) + kExportAgain);
        rest = trimLeft(rest.substr(1));
        readData(rest, value);
        out_.keys.back().values.push_back(std::move(value));
    }

    void readData(std::string_view rest, RegistryValue& value) {
        if (rest.empty())
            fail(lines_.number(), "no data after '=' for " + shown(value.name),
                 std::string(kTruncated) + kExportAgain);
        if (rest.front() == '-') {
            value.kind = RegistryValueKind::Deletion;
            expectEndOfLine(rest.substr(1), "'-'");
        } else if (rest.front() == '"') {
            value.kind = RegistryValueKind::String;
            value.type = kRegSz;
            value.text = readQuoted(rest, "string value");
            expectEndOfLine(rest, "the closing '\"'");
        } else if (startsWithIgnoreCase(rest, "dword:")) {
            readDword(rest.substr(6), value);
        } else if (startsWithIgnoreCase(rest, "hex:")) {
            value.type = kRegBinary;
            readHex(rest.substr(4), value);
        } else if (startsWithIgnoreCase(rest, "hex(")) {
            auto close = rest.find("):");
            auto digits = rest.substr(4, close == std::string_view::npos ? 0 : close - 4);
            if (close == std::string_view::npos || digits.empty() || digits.size() > 8 ||
                !std::all_of(digits.begin(), digits.end(),
                             [](char c) { return hexDigitValue(c) >= 0; }))
                fail(lines_.number(),
                     "hex( must be followed by a type number in hexadecimal and \"):\", found " +
                         shown(rest),
                     kExportAgain);
            for (char c : digits)
                value.type = value.type * 16 + static_cast<std::uint32_t>(hexDigitValue(c));
            readHex(rest.substr(close + 2), value);
        } else {
            fail(lines_.number(),
                 "unknown value data " + shown(rest) +
                     ": expected \"text\", dword:, hex:, hex(N): or -",
                 kExportAgain);
        }
    }

    void readDword(std::string_view rest, RegistryValue& value) {
        value.kind = RegistryValueKind::Dword;
        value.type = kRegDword;
        std::size_t digits = 0;
        while (digits < rest.size() && hexDigitValue(rest[digits]) >= 0)
            ++digits;
        // regedit always writes eight digits; fewer usually means the file was cut off.
        if (digits != 8)
            fail(lines_.number(), "dword: needs exactly 8 hexadecimal digits, found " + shown(rest),
                 std::string(kTruncated) + kExportAgain);
        for (std::size_t i = 0; i < 8; ++i)
            value.dword = (value.dword << 4) | static_cast<std::uint32_t>(hexDigitValue(rest[i]));
        expectEndOfLine(rest.substr(8), "the dword value");
    }

    // Hex bytes "xx,xx,...", continued on the next line after a trailing '\'.
    void readHex(std::string_view first, RegistryValue& value) {
        value.kind = RegistryValueKind::Bytes;
        std::size_t startLine = lines_.number();
        std::string_view segment = first;
        std::size_t total = 0;
        while (true) {
            auto data = trimRight(segment);
            bool continued = !data.empty() && data.back() == '\\';
            if (continued)
                data.remove_suffix(1);
            appendHexBytes(data, value, continued);
            total += segment.size();
            if (total > kMaxRegistryLineBytes)
                fail(startLine,
                     "the value continues for more than " +
                         std::to_string(kMaxRegistryLineBytes / 1024) + " KiB",
                     "the file is damaged or not an export of that key; " +
                         std::string(kExportAgain));
            if (!continued)
                return;
            std::string_view next;
            if (!nextLine(next))
                fail(lines_.number(),
                     "the hex data of " + shown(value.name) +
                         " continues with '\\' but the file ends here",
                     std::string(kTruncated) + kExportAgain);
            segment = trimLeft(next);
        }
    }

    // One line's worth of "xx,xx," (a trailing comma is expected before a continuation).
    void appendHexBytes(std::string_view data, RegistryValue& value, bool continued) {
        data = trimRight(data);
        if (data.empty())
            return;
        std::size_t position = 0;
        while (position <= data.size()) {
            auto comma = data.find(',', position);
            auto token = trimRight(trimLeft(data.substr(position, comma == std::string_view::npos
                                                                      ? std::string_view::npos
                                                                      : comma - position)));
            bool last = comma == std::string_view::npos;
            if (token.empty() && last && continued && position > 0)
                return; // "xx,xx,\" : the comma before the continuation
            if (token.size() != 2 || hexDigitValue(token[0]) < 0 || hexDigitValue(token[1]) < 0)
                fail(lines_.number(),
                     "hex data of " + shown(value.name) + ": " + shown(token) +
                         " is not a byte written as two hexadecimal digits",
                     std::string(kTruncated) + kExportAgain);
            value.bytes +=
                static_cast<char>(hexDigitValue(token[0]) * 16 + hexDigitValue(token[1]));
            if (last)
                return;
            position = comma + 1;
        }
    }

    Lines lines_;
    RegistryExport& out_;
};

} // namespace

RegistryParse parseRegistryExport(std::string_view bytes) {
    RegistryParse result;
    if (bytes.size() > kMaxRegistryFileBytes) {
        result.error = RegistryError{0,
                                     "the file is larger than " +
                                         std::to_string(kMaxRegistryFileBytes / (1024 * 1024)) +
                                         " MiB; an export of one relay key is a few KB",
                                     kExportAgain};
        return result;
    }
    RegistryText text;
    if (auto problem = decodeRegistryText(bytes, text)) {
        result.error = std::move(problem);
        return result;
    }
    result.exported.encoding = text.encoding;
    try {
        Parser(text.utf8, result.exported).run();
    } catch (const Failure& failure) {
        result.error = failure.error;
    }
    return result;
}

MultiString decodeMultiString(std::string_view bytes, RegistryFormat format) {
    MultiString result;
    bool utf16 = format == RegistryFormat::Version5;
    if (!utf16 && bytes.size() % 2 == 0 && !bytes.empty()) {
        utf16 = true;
        for (std::size_t i = 1; i < bytes.size(); i += 2)
            if (bytes[i] != '\0')
                utf16 = false;
    }
    std::string text;
    if (utf16) {
        std::size_t offset = 0;
        auto decoded = utf16LeToUtf8(bytes, offset);
        if (!decoded) {
            result.problem =
                bytes.size() % 2
                    ? "an odd number of bytes (" + std::to_string(bytes.size()) +
                          "), which UTF-16 text cannot have"
                    : "byte " + std::to_string(offset) + " starts an unpaired UTF-16 surrogate";
            return result;
        }
        text = std::move(*decoded);
    } else {
        text = windows1252ToUtf8(bytes);
    }
    if (text.empty() || text.back() != '\0') {
        result.problem = "the data does not end with a NUL character, so the list is cut off "
                         "(a truncated or damaged value)";
        return result;
    }
    std::size_t position = 0;
    while (position < text.size()) {
        auto end = text.find('\0', position);
        if (end == position) {
            // Windows readers stop at the first empty string; text after it is hidden from some
            // programs and not from others.
            if (text.find_first_not_of('\0', position) != std::string::npos)
                result.problem = "an empty string in the middle of the list, after which "
                                 "programs disagree on whether the list goes on";
            return result;
        }
        result.strings.emplace_back(text.substr(position, end - position));
        position = end + 1;
    }
    return result;
}

} // namespace relayaudit
