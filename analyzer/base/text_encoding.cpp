#include "text_encoding.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace relayaudit {

std::size_t decodeUtf8(std::string_view text, std::size_t i, std::uint32_t& codePoint) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char lead = byte(i);
    std::size_t length;
    if (lead < 0x80) {
        codePoint = lead;
        return 1;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2;
        codePoint = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        codePoint = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        codePoint = lead & 0x07;
    } else {
        return 0;
    }
    if (i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80)
            return 0;
        codePoint = (codePoint << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (codePoint < kSmallest[length] || codePoint > 0x10FFFF ||
        (codePoint >= 0xD800 && codePoint <= 0xDFFF))
        return 0;
    return length;
}

int hexDigitValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool isXmlChar(std::uint32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

namespace {
std::size_t xmlCharAt(std::string_view text, std::size_t i) {
    std::uint32_t codePoint = 0;
    std::size_t length = decodeUtf8(text, i, codePoint);
    return (length > 0 && isXmlChar(codePoint)) ? length : 0;
}
} // namespace

std::size_t plainAsciiPrefix(std::string_view text, bool orMarkup) {
    const char* data = text.data();
    const std::size_t size = text.size();
    std::size_t i = 0;
#ifdef __SSE2__
    const __m128i belowSpace = _mm_set1_epi8(0x20);
    const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
                  quot = _mm_set1_epi8('"');
    for (; i + 16 <= size; i += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
        // Signed: 0x00-0x1F and 0x80-0xFF (negative) are both "below a space".
        __m128i stop = _mm_cmplt_epi8(bytes, belowSpace);
        if (orMarkup)
            stop = _mm_or_si128(
                stop,
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, amp), _mm_cmpeq_epi8(bytes, lt)),
                             _mm_or_si128(_mm_cmpeq_epi8(bytes, gt), _mm_cmpeq_epi8(bytes, quot))));
        if (const int mask = _mm_movemask_epi8(stop))
            return i + std::size_t(__builtin_ctz(unsigned(mask)));
    }
#endif
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, sizeof word);
        if (!isPrintableAsciiWord(word) ||
            (orMarkup && (wordHasByte(word, '&') || wordHasByte(word, '<') ||
                          wordHasByte(word, '>') || wordHasByte(word, '"'))))
            break;
    }
    for (; i < size; ++i) {
        const auto byte = static_cast<unsigned char>(data[i]);
        if (byte < 0x20 || byte >= 0x80 ||
            (orMarkup && (byte == '&' || byte == '<' || byte == '>' || byte == '"')))
            break;
    }
    return i;
}

// Every value of the snapshot passes here, nearly all of it ASCII: printable ASCII is skipped in
// runs (plainAsciiPrefix; a byte at a time was a tenth of building the snapshot: DNs are long),
// the three allowed controls inline, and only other bytes go through the UTF-8 decoder.
bool isXmlSafe(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        i += plainAsciiPrefix(text.substr(i), false);
        if (i == text.size())
            break;
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 && byte != 0x9 && byte != 0xA && byte != 0xD)
            return false;
        if (byte < 0x20) {
            ++i;
            continue;
        }
        std::size_t length = xmlCharAt(text, i);
        if (length == 0)
            return false;
        i += length;
    }
    return true;
}

void appendHexByte(std::string& out, std::uint8_t byte) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xF]);
}

void appendEscapedBytes(std::string& out, std::string_view bytes) {
    for (char c : bytes) {
        out.push_back('\\');
        appendHexByte(out, static_cast<std::uint8_t>(c));
    }
}

std::string xmlSafeText(std::string_view text) {
    if (isXmlSafe(text))
        return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size();) {
        if (std::size_t length = xmlCharAt(text, i); length > 0) {
            out.append(text.substr(i, length));
            i += length;
            continue;
        }
        appendEscapedBytes(out, text.substr(i, 1));
        ++i;
    }
    return out;
}

bool mustShowEscaped(std::uint32_t c) {
    if (c < 0x20)
        return c != '\t' && c != '\n';
    return (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF || c == 0x061C || c == 0x200B ||
           c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

std::string terminalSafeText(std::string_view text, std::size_t limit) {
    std::string out;
    out.reserve(std::min(text.size(), limit) + 8);
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t codePoint = 0;
        std::size_t length = decodeUtf8(text, i, codePoint);
        bool escaped =
            length == 0 || codePoint == '\t' || codePoint == '\n' || mustShowEscaped(codePoint);
        std::size_t bytes = length > 0 ? length : 1;
        if (limit != std::string_view::npos && out.size() + (escaped ? 3 * bytes : bytes) > limit) {
            out += "...";
            break;
        }
        if (!escaped)
            out.append(text.substr(i, bytes));
        else
            appendEscapedBytes(out, text.substr(i, bytes));
        i += bytes;
    }
    return out;
}

} // namespace relayaudit
