#include "html_escape.h"

#include "string_helpers.h"
#include "text_encoding.h"

#include <array>
#include <cstdint>

namespace relayaudit {

namespace {

// Bytes the escaper must look at: markup characters, controls other than tab and newline, DEL,
// and every non-ASCII byte (UTF-8 validity, C1 controls, bidi marks). Runs of other bytes are
// copied with one append: the page is mostly plain ASCII.
constexpr std::array<bool, 256> makeSpecial() {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c)
        table[c] = c != '\t' && c != '\n';
    for (char c : {'&', '<', '>', '"', '\''})
        table[static_cast<unsigned char>(c)] = true;
    for (int c = 0x7F; c < 0x100; ++c)
        table[c] = true;
    return table;
}
constexpr auto kSpecial = makeSpecial();

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
    case '\'':
        return "&#39;";
    default:
        return {};
    }
}

// One escaper for text and attributes. Bytes that must be shown are written as \XX per byte, the
// same notation the XML report uses, so the two reports can be compared.
void escapeInto(std::string& out, std::string_view text, bool markVisible) {
    std::size_t runStart = 0;
    for (std::size_t i = 0; i < text.size();) {
        char c = text[i];
        if (!kSpecial[static_cast<unsigned char>(c)]) {
            ++i;
            continue;
        }
        std::size_t length = 1;
        if (auto entity = entityOf(c); !entity.empty()) {
            out.append(text.substr(runStart, i - runStart));
            out.append(entity);
        } else {
            std::uint32_t codePoint = 0;
            length = decodeUtf8(text, i, codePoint);
            if (length > 0 && !mustShowEscaped(codePoint)) {
                i += length; // an ordinary character: stays in the run
                continue;
            }
            length = length > 0 ? length : 1;
            out.append(text.substr(runStart, i - runStart));
            if (markVisible)
                out += "<span class=\"ctl\">";
            appendEscapedBytes(out, text.substr(i, length));
            if (markVisible)
                out += "</span>";
        }
        i += length;
        runStart = i;
    }
    out.append(text.substr(runStart));
}

} // namespace

void appendHtmlText(std::string& out, std::string_view text) {
    escapeInto(out, text, true);
}

void appendHtmlAttribute(std::string& out, std::string_view text) {
    escapeInto(out, text, false);
}

std::string htmlText(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    escapeInto(out, text, true);
    return out;
}

std::string htmlAttribute(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    escapeInto(out, text, false);
    return out;
}

bool isSafeWebLink(std::string_view url) {
    std::size_t scheme = startsWithIgnoreCase(url, "https://")  ? 8
                         : startsWithIgnoreCase(url, "http://") ? 7
                                                                : 0;
    if (scheme == 0 || url.size() == scheme)
        return false;
    for (char c : url)
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F)
            return false;
    return true;
}

} // namespace relayaudit
