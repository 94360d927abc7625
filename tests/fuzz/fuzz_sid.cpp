// SID decoder: any bytes in; a decoded SID is text that the text helpers read back, and writing
// that text back to binary gives exactly the bytes that were decoded.
#include "fuzz_check.h"
#include "sid.h"

#include <charconv>
#include <vector>

using namespace relayaudit;

namespace {

// Text to binary, independent of the decoder: "S-1-<authority>(-<sub>)*".
std::string encodeSidText(std::string_view text) {
    FUZZ_CHECK(text.substr(0, 4) == "S-1-", "SID text starts with S-1-: " + std::string(text));
    std::vector<std::string_view> parts;
    text.remove_prefix(4);
    while (true) {
        std::size_t dash = text.find('-');
        parts.push_back(text.substr(0, dash));
        if (dash == std::string_view::npos)
            break;
        text.remove_prefix(dash + 1);
    }
    std::uint64_t authority = 0;
    std::string_view authorityText = parts.front();
    int base = 10;
    if (authorityText.substr(0, 2) == "0x") {
        authorityText.remove_prefix(2);
        base = 16;
    }
    auto parsed = std::from_chars(authorityText.data(), authorityText.data() + authorityText.size(),
                                  authority, base);
    FUZZ_CHECK(parsed.ec == std::errc{} &&
                   parsed.ptr == authorityText.data() + authorityText.size(),
               "authority is a number");
    std::string out;
    out.push_back(1);
    out.push_back(char(parts.size() - 1));
    for (int i = 5; i >= 0; --i)
        out.push_back(char((authority >> (8 * i)) & 0xFF));
    for (std::size_t i = 1; i < parts.size(); ++i) {
        std::uint32_t value = 0;
        auto sub = std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), value);
        FUZZ_CHECK(sub.ec == std::errc{} && sub.ptr == parts[i].data() + parts[i].size(),
                   "sub-authority is a 32-bit number");
        for (int b = 0; b < 4; ++b)
            out.push_back(char((value >> (8 * b)) & 0xFF));
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::uint8_t> bytes(data, size);
    std::size_t consumed = 0;
    auto prefix = decodeSidPrefix(bytes, consumed);
    auto whole = decodeSid(bytes);
    FUZZ_CHECK(whole.ok() == (prefix.ok() && consumed == size),
               "decodeSid accepts exactly what decodeSidPrefix consumes whole");
    if (!prefix.ok())
        return 0;
    FUZZ_CHECK(consumed >= 8 && consumed <= size, "consumed stays inside the input");
    const std::string& text = prefix.value();
    auto encoded = encodeSidText(text);
    FUZZ_CHECK(encoded == std::string(reinterpret_cast<const char*>(data), consumed),
               "binary -> text -> binary round trip of " + text);
    // The text helpers read every decoded SID.
    auto rid = relativeIdOf(text);
    auto domain = domainPartOf(text);
    const bool hasSubAuthority = data[1] > 0;
    FUZZ_CHECK(rid.has_value() == hasSubAuthority, "relativeIdOf reads " + text);
    FUZZ_CHECK(domain.has_value() == hasSubAuthority, "domainPartOf reads " + text);
    if (domain)
        FUZZ_CHECK(*domain + "-" + std::to_string(*rid) == text, "domain part + RID = SID");
    return 0;
}
