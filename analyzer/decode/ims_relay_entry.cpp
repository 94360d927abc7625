// Parser of Exchange 5.5 IMS relay-list lines (docs/exchange-relay-facts.md section 6).
#include "ims_relay_entry.h"

#include <cmath>
#include <utility>

namespace relayaudit {

namespace {

constexpr const char* kField = "IMS relay list entry";

DecodeError errorAt(std::size_t offset, std::string reason) {
    return DecodeError{offset, kField, std::move(reason)};
}

std::string describeChar(char c) {
    if (c >= 0x21 && c <= 0x7E)
        return std::string("'") + c + "'";
    return "byte " + std::to_string(static_cast<unsigned char>(c));
}

bool isBlank(char c) {
    return c == ' ' || c == '\t';
}

// Four decimal octets. Leading zeros and the short or hexadecimal forms inet_addr() accepts
// ("10.1", "0x0a.0.0.1", "010.0.0.1" = 8.0.0.1) are refused: which address the IMS read from
// them is uncertain, so the entry becomes "could not judge" instead of a guess.
Decoded<std::uint32_t> parseDottedQuad(std::string_view token, std::size_t base, const char* what) {
    std::uint32_t address = 0;
    std::size_t i = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (i == token.size())
                return errorAt(base + i, std::string(what) + " ends after " + std::to_string(part) +
                                             " of its 4 octets");
            if (token[i] != '.')
                return errorAt(base + i, "expected '.' in the " + std::string(what) +
                                             " but found " + describeChar(token[i]));
            ++i;
        }
        const std::size_t start = i;
        unsigned value = 0;
        while (i < token.size() && token[i] >= '0' && token[i] <= '9') {
            if (i - start == 3)
                return errorAt(base + i, std::string(what) + " octet has more than 3 digits");
            value = value * 10 + static_cast<unsigned>(token[i] - '0');
            ++i;
        }
        if (i == start)
            return errorAt(base + i,
                           i == token.size()
                               ? "expected an octet of the " + std::string(what) + ", found the end"
                               : "expected an octet of the " + std::string(what) + " but found " +
                                     describeChar(token[i]));
        if (value > 255)
            return errorAt(base + start,
                           std::string(what) + " octet " + std::to_string(value) + " exceeds 255");
        if (token[start] == '0' && i - start > 1)
            return errorAt(base + start, std::string(what) +
                                             " octet with a leading zero is ambiguous (octal or "
                                             "decimal)");
        address = (address << 8) | value;
    }
    if (i != token.size())
        return errorAt(base + i, "unexpected " + describeChar(token[i]) + " after the " + what);
    return address;
}

std::string dotted(std::uint32_t address) {
    return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xFF) + "." +
           std::to_string((address >> 8) & 0xFF) + "." + std::to_string(address & 0xFF);
}

// Blanks around a token are tolerated (a hand-edited list); the offset stays that of the input.
std::pair<std::string_view, std::size_t> trimmed(std::string_view text, std::size_t base) {
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && isBlank(text[begin]))
        ++begin;
    while (end > begin && isBlank(text[end - 1]))
        --end;
    return {text.substr(begin, end - begin), base + begin};
}

} // namespace

Decoded<ImsRelayEntry> parseImsRelayEntry(std::string_view text) {
    const auto separator = text.find(';');
    if (separator != std::string_view::npos &&
        text.find(';', separator + 1) != std::string_view::npos)
        return errorAt(text.find(';', separator + 1), "more than one ';' in the entry");
    auto [networkText, networkOffset] = trimmed(text.substr(0, separator), 0);
    if (networkText.empty())
        return errorAt(networkOffset, "the entry has no network address");
    auto network = parseDottedQuad(networkText, networkOffset, "network address");
    if (!network.ok())
        return network.error();

    ImsRelayEntry entry;
    std::uint32_t mask = 0xFFFFFFFFu;
    if (separator != std::string_view::npos) {
        auto [maskText, maskOffset] = trimmed(text.substr(separator + 1), separator + 1);
        if (maskText.empty())
            return errorAt(maskOffset, "nothing after ';' where the mask should be");
        auto parsedMask = parseDottedQuad(maskText, maskOffset, "mask");
        if (!parsedMask.ok())
            return parsedMask.error();
        mask = parsedMask.value();
        entry.maskGiven = true;
    }
    int zeroBits = 0;
    for (int bit = 0; bit < 32; ++bit)
        if (!(mask & (1u << bit)))
            ++zeroBits;
    const std::uint32_t hostPart = ~mask;
    entry.contiguous = (hostPart & (hostPart + 1)) == 0;
    entry.prefixLength = 32 - zeroBits;
    entry.hostBitsSet = (network.value() & hostPart) != 0;
    // KB 193922: an address matches when (address AND mask) = net, so a net with bits outside
    // the mask matches no address at all.
    entry.addressCount = entry.hostBitsSet ? 0 : std::ldexp(1.0, zeroBits);
    entry.network = dotted(network.value());
    entry.mask = dotted(mask);
    return entry;
}

} // namespace relayaudit
