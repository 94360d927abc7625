#include "string_helpers.h"

#include <algorithm>
#include <cstring>

namespace relayaudit {

namespace {
char lowerAscii(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}
} // namespace

bool equalsIgnoreCaseSameSize(const char* a, const char* b, std::size_t size) {
    // Names from the directory usually match in case too: equal words are skipped eight bytes at
    // a time, and only a word that differs is folded byte by byte.
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        if (std::memcmp(a + i, b + i, 8) == 0)
            continue;
        for (std::size_t j = i; j < i + 8; ++j)
            if (lowerAscii(a[j]) != lowerAscii(b[j]))
                return false;
    }
    for (; i < size; ++i)
        if (lowerAscii(a[i]) != lowerAscii(b[i]))
            return false;
    return true;
}

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && equalsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

std::string toLowerAscii(std::string_view text) {
    std::string out;
    assignLowerAscii(out, text);
    return out;
}

void assignLowerAscii(std::string& out, std::string_view text) {
    out.assign(text);
    std::transform(out.begin(), out.end(), out.begin(), lowerAscii);
}

std::string_view trimWhitespace(std::string_view text) {
    constexpr std::string_view kWhitespace = " \t\r\n";
    auto first = text.find_first_not_of(kWhitespace);
    if (first == std::string_view::npos)
        return {};
    auto last = text.find_last_not_of(kWhitespace);
    return text.substr(first, last - first + 1);
}

} // namespace relayaudit
