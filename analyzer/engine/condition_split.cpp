#include "condition_split.h"

#include <string_view>

namespace relayaudit {

namespace {

bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isNameChar(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

// Length of the leading "/name/name/*" steps, or 0 when the text does not start with one.
std::size_t pathLength(std::string_view text) {
    std::size_t at = 0;
    while (at < text.size() && text[at] == '/') {
        std::size_t step = at + 1;
        if (step < text.size() && text[step] == '*') {
            at = step + 1;
            continue;
        }
        if (step >= text.size() || !isNameStart(text[step]))
            return 0;
        while (step < text.size() && isNameChar(text[step]))
            ++step;
        at = step;
    }
    return at;
}

// The offset just past the ']' closing the '[' at `open`, skipping string literals and nested
// brackets; npos when unbalanced.
std::size_t predicateEnd(std::string_view text, std::size_t open) {
    int depth = 0;
    for (std::size_t at = open; at < text.size(); ++at) {
        char c = text[at];
        if (c == '\'' || c == '"') {
            auto close = text.find(c, at + 1);
            if (close == std::string_view::npos)
                return std::string_view::npos;
            at = close;
        } else if (c == '[') {
            ++depth;
        } else if (c == ']' && --depth == 0) {
            return at + 1;
        }
    }
    return std::string_view::npos;
}

bool mentionsPosition(std::string_view test) {
    return test.find("position") != std::string_view::npos ||
           test.find("last") != std::string_view::npos;
}

} // namespace

std::optional<SplitCondition> splitCondition(const std::string& condition,
                                             pugi::xpath_variable_set* variables) {
    std::string_view text(condition);
    std::size_t at = pathLength(text);
    if (at == 0)
        return std::nullopt;
    SplitCondition split;
    split.path = std::string(text.substr(0, at));
    while (at < text.size()) {
        if (text[at] != '[')
            return std::nullopt;
        auto end = predicateEnd(text, at);
        if (end == std::string_view::npos)
            return std::nullopt;
        std::string test(text.substr(at + 1, end - at - 2));
        // Also excludes names that merely contain the words: a cheap, safe refusal.
        if (mentionsPosition(test))
            return std::nullopt;
        std::string problem;
        auto query = compileXPath(test, variables, problem);
        if (!query || query->return_type() == pugi::xpath_type_number)
            return std::nullopt;
        split.tests.push_back(std::move(query));
        split.testTexts.push_back(std::move(test));
        at = end;
    }
    return split;
}

} // namespace relayaudit
