#include "attribute_options.h"

#include "strings.h"

#include <charconv>
#include <limits>

namespace relayaudit {
namespace {

// All digits, and the whole text: from_chars alone would stop at the first non-digit.
std::optional<std::uint64_t> parseBound(std::string_view text) {
    if (text.empty())
        return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9')
            return std::nullopt;
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt; // too large for 64 bits
    return value;
}

} // namespace

std::optional<std::uint64_t> ValueRange::nextLow() const {
    // A high bound of 2^64-1 cannot be followed: treated like the last range rather than
    // wrapping round to 0 and asking for the same values again.
    if (!high || *high == std::numeric_limits<std::uint64_t>::max())
        return std::nullopt;
    return *high + 1;
}

std::optional<ValueRange> parseRangeOption(std::string_view option) {
    constexpr std::string_view kPrefix = "range=";
    if (option.size() <= kPrefix.size() || !startsWithIgnoreCase(option, kPrefix))
        return std::nullopt;
    std::string_view bounds = option.substr(kPrefix.size());
    auto dash = bounds.find('-');
    if (dash == std::string_view::npos)
        return std::nullopt;
    auto low = parseBound(bounds.substr(0, dash));
    if (!low)
        return std::nullopt;
    std::string_view high = bounds.substr(dash + 1);
    if (high == "*")
        return ValueRange{*low, std::nullopt};
    auto highValue = parseBound(high);
    if (!highValue)
        return std::nullopt;
    return ValueRange{*low, *highValue};
}

std::string rangeOptionFrom(std::uint64_t low) {
    return "range=" + std::to_string(low) + "-*";
}

AttributeDescription splitAttributeDescription(std::string_view description) {
    AttributeDescription result;
    auto semicolon = description.find(';');
    result.type = description.substr(0, semicolon);
    while (semicolon != std::string_view::npos) {
        auto start = semicolon + 1;
        semicolon = description.find(';', start);
        auto option =
            description.substr(start, semicolon == std::string_view::npos ? std::string_view::npos
                                                                          : semicolon - start);
        result.options.push_back(option);
        if (!result.range)
            result.range = parseRangeOption(option);
    }
    return result;
}

} // namespace relayaudit
