#include "xml_writer.h"

#include "text_encoding.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace relayaudit {

namespace {

// Per byte: which contexts must not copy it as it is. A table so the escaper copies runs of
// plain bytes with one append instead of deciding byte by byte through calls.
constexpr std::uint8_t kSpecialInText = 1;
constexpr std::uint8_t kSpecialInAttribute = 2;

constexpr std::array<std::uint8_t, 256> makeTable() {
    std::array<std::uint8_t, 256> table{};
    for (int c = 0; c < 0x20; ++c)
        table[c] = kSpecialInText | kSpecialInAttribute;
    table['\t'] = kSpecialInAttribute; // kept in text, &#9; in attributes
    table['\n'] = kSpecialInAttribute;
    for (char c : {'&', '<', '>'})
        table[static_cast<unsigned char>(c)] = kSpecialInText | kSpecialInAttribute;
    table['"'] = kSpecialInAttribute;
    for (int c = 0x80; c < 0x100; ++c) // checked as UTF-8 and as an XML Char
        table[c] = kSpecialInText | kSpecialInAttribute;
    return table;
}
constexpr auto kSpecial = makeTable();

std::string_view entityOf(char c) {
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\t':
        return "&#9;";
    case '\n':
        return "&#10;";
    case '\r':
        return "&#13;";
    default:
        return {};
    }
}

void appendEscaped(OutputSink& out, std::string_view text, std::uint8_t context) {
    const char* data = text.data();
    std::size_t size = text.size();
    std::size_t runStart = 0;
    std::size_t i = 0;
    while (i < size) {
        // Printable ASCII that no context escapes is skipped in runs (plainAsciiPrefix: a byte at
        // a time through the table was a tenth of writing the XML report).
        i += plainAsciiPrefix(text.substr(i), true);
        if (i == size)
            break;
        auto byte = static_cast<unsigned char>(data[i]);
        if (!(kSpecial[byte] & context)) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        if (byte >= 0x80) {
            std::uint32_t codePoint = 0;
            length = decodeUtf8(text, i, codePoint);
            if (length > 0 && isXmlChar(codePoint)) {
                i += length; // well-formed and allowed: stays in the run
                continue;
            }
        }
        out.append(text.substr(runStart, i - runStart));
        if (auto entity = entityOf(data[i]); !entity.empty()) {
            out.append(entity);
        } else {
            std::string hex; // a byte XML cannot carry: \XX, as xmlSafeText writes it
            appendEscapedBytes(hex, text.substr(i, 1));
            out.append(hex);
        }
        ++i;
        runStart = i;
    }
    out.append(text.substr(runStart));
}

} // namespace

void appendXmlText(OutputSink& out, std::string_view text) {
    appendEscaped(out, text, kSpecialInText);
}

void appendXmlAttribute(OutputSink& out, std::string_view text) {
    appendEscaped(out, text, kSpecialInAttribute);
}

void XmlWriter::declaration() {
    out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
}

void XmlWriter::closeStartTag() {
    if (startTagOpen_)
        out_ += '>';
    startTagOpen_ = false;
}

void XmlWriter::start(const char* name) {
    open(name, false);
}

void XmlWriter::startOneLine(const char* name) {
    open(name, true);
}

void XmlWriter::open(const char* name, bool oneLine) {
    closeStartTag();
    bool insideOneLine = !open_.empty() && open_.back().oneLine;
    if (!open_.empty())
        open_.back().hasChildren = true;
    if (!insideOneLine) {
        out_ += '\n';
        out_.append(
            std::string_view("                ", std::min<std::size_t>(open_.size(), 8) * 2));
    }
    out_ += '<';
    out_ += name;
    open_.push_back({name, false, oneLine || insideOneLine});
    startTagOpen_ = true;
}

// ` name="` into `text`, which has room for it; its length. The pieces of an attribute go to the
// sink in one append each time: piece by piece, attributes were a third of writing the findings.
std::size_t attributeStart(char* text, std::string_view name) {
    text[0] = ' ';
    std::memcpy(text + 1, name.data(), name.size());
    text[name.size() + 1] = '=';
    text[name.size() + 2] = '"';
    return name.size() + 3;
}

void XmlWriter::attribute(const char* name, std::string_view value) {
    std::string_view nameText(name);
    char start[64];
    if (nameText.size() + 3 <= sizeof start) {
        out_.append({start, attributeStart(start, nameText)});
    } else {
        out_ += ' ';
        out_ += nameText;
        out_ += "=\"";
    }
    appendXmlAttribute(out_, value);
    out_ += '"';
}

void XmlWriter::attribute(const char* name, std::size_t value) {
    std::string_view nameText(name);
    char text[96]; // the name, up to 20 digits, the quotes
    if (nameText.size() + 3 + 20 + 1 > sizeof text) {
        attribute(name, std::string_view(std::to_string(value)));
        return;
    }
    std::size_t length = attributeStart(text, nameText);
    auto [end, error] = std::to_chars(text + length, text + sizeof text - 1, value);
    *end = '"';
    out_.append({text, std::size_t(end + 1 - text)});
}

void XmlWriter::text(std::string_view value) {
    closeStartTag();
    appendXmlText(out_, value);
}

void XmlWriter::continueInside(const char* name) {
    open_.push_back({name, true, false});
}

void XmlWriter::markup(std::string_view text) {
    closeStartTag();
    if (!open_.empty())
        open_.back().hasChildren = true;
    out_.append(text);
}

void XmlWriter::end() {
    Open element = open_.back();
    open_.pop_back();
    if (startTagOpen_) {
        out_ += "/>";
        startTagOpen_ = false;
        if (open_.empty())
            out_ += '\n';
        return;
    }
    if (element.hasChildren && !element.oneLine) {
        out_ += '\n';
        out_.append(
            std::string_view("                ", std::min<std::size_t>(open_.size(), 8) * 2));
    }
    out_ += "</";
    out_ += element.name;
    out_ += '>';
    if (open_.empty())
        out_ += '\n';
}

} // namespace relayaudit
