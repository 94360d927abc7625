// Strict LDAP INTEGER and Boolean parsers: a value a directory server would not have written is
// refused rather than guessed at, so that the rules can say "cannot judge".
#include "ldap_values.h"

#include <charconv>

namespace relayaudit {

std::optional<std::int64_t> parseLdapInteger(std::string_view text) {
    // RFC 4517: integer = ( HYPHEN LDIGIT *DIGIT ) / number, number = DIGIT / ( LDIGIT 1*DIGIT ).
    // So "-0", "+1", "007" and " 1" are not integers.
    const bool negative = !text.empty() && text[0] == '-';
    std::string_view digits = negative ? text.substr(1) : text;
    if (digits.empty())
        return std::nullopt;
    for (char c : digits)
        if (c < '0' || c > '9')
            return std::nullopt;
    if (digits[0] == '0' && (digits.size() > 1 || negative))
        return std::nullopt;
    std::int64_t value = 0;
    // from_chars takes the '-' itself, which keeps INT64_MIN representable.
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::optional<bool> parseLdapBoolean(std::string_view text) {
    if (text == "TRUE")
        return true;
    if (text == "FALSE")
        return false;
    return std::nullopt;
}

} // namespace relayaudit
