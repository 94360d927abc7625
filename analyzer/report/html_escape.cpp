#include "html_escape.h"

#include "string_helpers.h"
#include "text_encoding.h"

#include <cstdint>

namespace relayaudit {

namespace {

void appendEscapedChar(std::string& out, char c) {
    switch (c) {
    case '&':
        out += "&amp;";
        break;
    case '<':
        out += "&lt;";
        break;
    case '>':
        out += "&gt;";
        break;
    case '"':
        out += "&quot;";
        break;
    case '\'':
        out += "&#39;";
        break;
    default:
        out.push_back(c);
    }
}

// One escaper for text and attributes. Bytes that must be shown are written as \XX per byte, the
// same notation the XML report uses, so the two reports can be compared.
std::string escape(std::string_view text, bool markVisible) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t codePoint = 0;
        std::size_t length = decodeUtf8(text, i, codePoint);
        if (length > 0 && !mustShowEscaped(codePoint)) {
            if (length == 1)
                appendEscapedChar(out, text[i]);
            else
                out.append(text.substr(i, length));
            i += length;
            continue;
        }
        std::size_t count = length > 0 ? length : 1;
        if (markVisible)
            out += "<span class=\"ctl\">";
        appendEscapedBytes(out, text.substr(i, count));
        if (markVisible)
            out += "</span>";
        i += count;
    }
    return out;
}

} // namespace

std::string htmlText(std::string_view text) {
    return escape(text, true);
}

std::string htmlAttribute(std::string_view text) {
    return escape(text, false);
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
