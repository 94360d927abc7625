#pragma once
// Attribute descriptions with options ("member;range=0-1499", "cn;lang-de", "x;binary"), read
// the same way for an LDIF export and for a live search. Active Directory's range retrieval
// (MaxValRange, 1500 values) is the one option whose meaning we need: "range=0-1499" says more
// values follow, "range=1500-*" says these are the last.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

// The values of one answer: low..high, or low to the end when high is "*".
struct ValueRange {
    std::uint64_t low = 0;
    std::optional<std::uint64_t> high; // empty: "*", the last range of the attribute

    // The low bound to ask for next, or nothing when this range was the last one.
    std::optional<std::uint64_t> nextLow() const;
};

// Exactly "range=" (any case) <digits> "-" (<digits> | "*"), each bound fitting 64 bits; anything
// else is not a range option (no signs, spaces or empty bounds: what a server or file says is
// read exactly).
std::optional<ValueRange> parseRangeOption(std::string_view option);

// "range=<low>-*": the option that asks for every value from low on.
std::string rangeOptionFrom(std::uint64_t low);

struct AttributeDescription {
    std::string_view type;                 // "member": before the first ';'
    std::vector<std::string_view> options; // in order; "a;;b" and "a;" give empty options
    std::optional<ValueRange> range;       // the first well-formed range option, if any
};

// Splits without judging the type or the options: the LDIF reader refuses bad ones with a line
// number, a live search keeps what the server sent.
AttributeDescription splitAttributeDescription(std::string_view description);

} // namespace relayaudit
