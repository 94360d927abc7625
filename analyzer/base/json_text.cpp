#include "json_text.h"

#include "text_encoding.h"

namespace relayaudit {

namespace {

void appendUnicodeEscape(std::string& out, std::uint32_t codePoint) {
    out += "\\u";
    appendHexByte(out, std::uint8_t(codePoint >> 8));
    appendHexByte(out, std::uint8_t(codePoint & 0xFF));
}

} // namespace

void appendJsonString(std::string& out, std::string_view text) {
    std::string safe = xmlSafeText(text); // now valid UTF-8, no C0 other than tab/LF/CR
    out.push_back('"');
    for (std::size_t i = 0; i < safe.size();) {
        std::uint32_t codePoint = 0;
        std::size_t length = decodeUtf8(safe, i, codePoint);
        if (length == 0) { // cannot happen after xmlSafeText; never emit a raw byte anyway
            out += "\\\\";
            appendHexByte(out, std::uint8_t(safe[i]));
            ++i;
            continue;
        }
        switch (codePoint) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F) ||
                codePoint == 0x2028 || codePoint == 0x2029)
                appendUnicodeEscape(out, codePoint);
            else
                out.append(safe, i, length);
        }
        i += length;
    }
    out.push_back('"');
}

} // namespace relayaudit
