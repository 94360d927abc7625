// Decoding a regedit export to UTF-8 (docs/exchange-relay-facts.md section 6).
#include "registry_text.h"

#include "text_encoding.h"

#include <algorithm>
#include <cstdint>

namespace relayaudit {

namespace {

constexpr std::string_view kRegedit4 = "REGEDIT4";
constexpr std::string_view kVersion5 = "Windows Registry Editor Version 5.00";
const char* const kExportAgain =
    "export the key again with: reg export "
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters FILE.reg";

void appendUtf8(std::string& out, std::uint32_t codePoint) {
    if (codePoint < 0x80) {
        out += static_cast<char>(codePoint);
    } else if (codePoint < 0x800) {
        out += static_cast<char>(0xC0 | (codePoint >> 6));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
        out += static_cast<char>(0xE0 | (codePoint >> 12));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (codePoint >> 18));
        out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    }
}

std::size_t lineAt(std::string_view decodedSoFar) {
    return static_cast<std::size_t>(std::count(decodedSoFar.begin(), decodedSoFar.end(), '\n')) + 1;
}

// Decodes UTF-16LE; on a problem stops and says where, keeping what was decoded before it.
struct Utf16Decoding {
    std::string text;
    std::optional<std::size_t> errorOffset;
    std::string reason;
};

Utf16Decoding decodeUtf16Le(std::string_view bytes) {
    Utf16Decoding result;
    result.text.reserve(bytes.size() / 2);
    auto unit = [&](std::size_t i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) |
               (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8);
    };
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        std::uint32_t first = unit(i);
        if (first >= 0xD800 && first <= 0xDBFF) {
            if (i + 3 < bytes.size()) {
                std::uint32_t second = unit(i + 2);
                if (second >= 0xDC00 && second <= 0xDFFF) {
                    appendUtf8(result.text, 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00));
                    i += 2;
                    continue;
                }
            }
            result.errorOffset = i;
            result.reason = "a high surrogate (UTF-16) without its low surrogate";
            return result;
        }
        if (first >= 0xDC00 && first <= 0xDFFF) {
            result.errorOffset = i;
            result.reason = "a low surrogate (UTF-16) without a high surrogate before it";
            return result;
        }
        appendUtf8(result.text, first);
    }
    if (i < bytes.size()) {
        result.errorOffset = i;
        result.reason = "the file ends in the middle of a UTF-16 character (an odd number of "
                        "bytes): the export is truncated";
    }
    return result;
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

std::optional<RegistryError> checkUtf8(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
        std::uint32_t codePoint = 0;
        auto length = decodeUtf8(text, i, codePoint);
        if (length == 0)
            return RegistryError{lineAt(std::string_view(text).substr(0, i)),
                                 "byte " + std::to_string(static_cast<unsigned char>(text[i])) +
                                     " is not valid UTF-8 (a version 5.00 export without a "
                                     "byte-order mark is read as UTF-8)",
                                 "save the file as UTF-16LE (regedit's own format) or UTF-8, or " +
                                     std::string(kExportAgain)};
        i += length;
    }
    return std::nullopt;
}

std::optional<RegistryError> fromUtf16(std::string_view bytes, RegistryText& text) {
    auto decoded = decodeUtf16Le(bytes);
    text.encoding = RegistryEncoding::Utf16Le;
    if (decoded.errorOffset)
        return RegistryError{lineAt(decoded.text), decoded.reason, kExportAgain};
    text.utf8 = std::move(decoded.text);
    return std::nullopt;
}

} // namespace

std::string RegistryError::describe(const std::string& file) const {
    std::string where = line ? file + ":" + std::to_string(line) : file;
    return where + ": " + problem + (advice.empty() ? "" : "; " + advice);
}

std::string windows1252ToUtf8(std::string_view bytes) {
    // 0x80-0x9F; 0 marks the five undefined bytes, kept as C1 controls.
    static constexpr std::uint16_t kHigh[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    std::string out;
    out.reserve(bytes.size());
    for (char c : bytes) {
        auto byte = static_cast<unsigned char>(c);
        std::uint32_t codePoint = byte;
        if (byte >= 0x80 && byte <= 0x9F && kHigh[byte - 0x80] != 0)
            codePoint = kHigh[byte - 0x80];
        appendUtf8(out, codePoint);
    }
    return out;
}

std::optional<std::string> utf16LeToUtf8(std::string_view bytes, std::size_t& errorOffset) {
    auto decoded = decodeUtf16Le(bytes);
    if (decoded.errorOffset) {
        errorOffset = *decoded.errorOffset;
        return std::nullopt;
    }
    return std::move(decoded.text);
}

std::optional<RegistryError> decodeRegistryText(std::string_view bytes, RegistryText& text) {
    std::optional<RegistryError> problem;
    if (startsWith(bytes, "\xFF\xFE")) {
        problem = fromUtf16(bytes.substr(2), text);
    } else if (startsWith(bytes, "\xFE\xFF")) {
        return RegistryError{1, "the file is UTF-16 big-endian, which regedit never writes",
                             kExportAgain};
    } else if (startsWith(bytes, "\xEF\xBB\xBF")) {
        text.encoding = RegistryEncoding::Utf8;
        text.utf8 = std::string(bytes.substr(3));
        problem = checkUtf8(text.utf8);
    } else if (bytes.size() >= 2 && bytes[0] != '\0' && bytes[1] == '\0') {
        // UTF-16LE whose byte-order mark was lost (copied through a tool that strips it).
        problem = fromUtf16(bytes, text);
    } else if (startsWith(bytes, kRegedit4)) {
        text.encoding = RegistryEncoding::Windows1252;
        text.utf8 = windows1252ToUtf8(bytes);
    } else if (startsWith(bytes, kVersion5)) {
        text.encoding = RegistryEncoding::Utf8;
        text.utf8 = std::string(bytes);
        problem = checkUtf8(text.utf8);
    } else {
        return RegistryError{1,
                             bytes.empty() ? std::string("the file is empty")
                                           : "not a regedit export: the first line is neither "
                                             "REGEDIT4 nor \"Windows Registry Editor Version "
                                             "5.00\"",
                             kExportAgain};
    }
    if (problem)
        return problem;
    auto nul = text.utf8.find('\0');
    if (nul != std::string::npos)
        return RegistryError{lineAt(std::string_view(text.utf8).substr(0, nul)),
                             "a NUL character, which a registry export never contains (the file "
                             "is damaged or not text)",
                             kExportAgain};
    return std::nullopt;
}

} // namespace relayaudit
