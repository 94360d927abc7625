#include "xpath_locality.h"

#include <string_view>

namespace relayaudit {

namespace {

bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// ':' included, so an axis ("child::x") or a prefixed name reads as one token.
bool isNameChar(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':';
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// Axes that lead out of the node's subtree; "ancestor" also covers ancestor-or-self.
bool leavesTheSubtree(std::string_view name) {
    for (std::string_view axis : {"parent", "ancestor", "preceding", "following"})
        if (startsWith(name, axis))
            return true;
    return false;
}

// After one of these, XPath reads "*" as multiplication and "/" as the start of an absolute
// path (XPath 1.0, 3.7: an operator name is one when a token precedes it that is not an
// operator itself).
bool isOperatorName(std::string_view name) {
    return name == "and" || name == "or" || name == "div" || name == "mod";
}

enum class Token { None, Name, OperatorName, Function, Close, Dot, Slash, Other };

} // namespace

bool readsOnlyItsSubtree(std::string_view text) {
    Token last = Token::None;
    std::size_t at = 0;
    while (at < text.size()) {
        char c = text[at];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            ++at;
            continue;
        }
        if (c == '\'' || c == '"') {
            auto close = text.find(c, at + 1);
            if (close == std::string_view::npos)
                return false;
            at = close + 1;
            last = Token::Other;
            continue;
        }
        if (isNameStart(c)) {
            std::size_t end = at;
            while (end < text.size() && isNameChar(text[end]))
                ++end;
            std::string_view name = text.substr(at, end - at);
            if (leavesTheSubtree(name) || name.find("..") != std::string_view::npos)
                return false;
            std::size_t next = end;
            while (next < text.size() && (text[next] == ' ' || text[next] == '\t'))
                ++next;
            bool call = next < text.size() && text[next] == '(';
            if (call && (name == "id" || name == "lang"))
                return false;
            last = call                   ? Token::Function
                   : isOperatorName(name) ? Token::OperatorName
                                          : Token::Name;
            at = end;
            continue;
        }
        switch (c) {
        case '$':
            return false;
        case '.':
            if (at + 1 < text.size() && text[at + 1] == '.')
                return false;
            last = Token::Dot;
            break;
        case '/':
            // A step of a relative path follows a name, "]", ")", "." or another "/"; anywhere
            // else (first, after an operator, "(", "[", ",", "|", "*") it starts an absolute one.
            if (last != Token::Name && last != Token::Close && last != Token::Dot &&
                last != Token::Slash)
                return false;
            last = Token::Slash;
            break;
        case ']':
        case ')':
            last = Token::Close;
            break;
        default:
            last = Token::Other;
            break;
        }
        ++at;
    }
    return true;
}

} // namespace relayaudit
