#include "string_helpers.h"

#include <algorithm>

namespace relayaudit {

namespace {
char lowerAscii(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}
} // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lowerAscii(x) == lowerAscii(y);
           });
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
