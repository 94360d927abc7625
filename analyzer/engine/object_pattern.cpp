#include "object_pattern.h"

#include "string_helpers.h"

#include <string>
#include <vector>

namespace relayaudit {

namespace {

// Knuth-Morris-Pratt: the first position at or after `from` where `needle` occurs in `text`,
// in O(text + needle), or npos.
std::size_t findFrom(std::string_view text, std::string_view needle, std::size_t from) {
    if (needle.empty())
        return from;
    std::vector<std::size_t> border(needle.size(), 0);
    for (std::size_t i = 1, k = 0; i < needle.size(); ++i) {
        while (k > 0 && needle[i] != needle[k])
            k = border[k - 1];
        if (needle[i] == needle[k])
            ++k;
        border[i] = k;
    }
    for (std::size_t i = from, k = 0; i < text.size(); ++i) {
        while (k > 0 && text[i] != needle[k])
            k = border[k - 1];
        if (text[i] == needle[k])
            ++k;
        if (k == needle.size())
            return i + 1 - needle.size();
    }
    return std::string_view::npos;
}

} // namespace

bool objectMatches(std::string_view pattern, std::string_view dn) {
    std::string folded = toLowerAscii(pattern);
    std::string text = toLowerAscii(dn);
    auto firstStar = folded.find('*');
    if (firstStar == std::string::npos)
        return folded == text;
    std::string_view whole(folded);
    auto lastStar = folded.rfind('*');
    std::string_view head = whole.substr(0, firstStar);
    std::string_view tail = whole.substr(lastStar + 1);
    if (text.size() < head.size() + tail.size() || !text.starts_with(head) || !text.ends_with(tail))
        return false;
    // The middle pieces must occur in order between the head and the tail, without overlapping.
    std::size_t position = head.size();
    std::size_t limit = text.size() - tail.size();
    std::string_view middle = firstStar == lastStar
                                  ? std::string_view()
                                  : whole.substr(firstStar + 1, lastStar - firstStar - 1);
    std::string_view bounded = std::string_view(text).substr(0, limit);
    while (!middle.empty()) {
        auto star = middle.find('*');
        std::string_view piece = middle.substr(0, star);
        if (!piece.empty()) {
            auto found = findFrom(bounded, piece, position);
            if (found == std::string_view::npos)
                return false;
            position = found + piece.size();
        }
        middle = star == std::string_view::npos ? std::string_view() : middle.substr(star + 1);
    }
    return true;
}

} // namespace relayaudit
