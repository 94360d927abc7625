// Parser of msExchSmtpReceiveRemoteIPRanges values (docs/exchange-relay-facts.md section 4).
// Addresses are parsed by hand rather than with inet_pton so that an error can name the character
// that is wrong; inet_ntop then writes the canonical IPv6 text.
#include "ip_range.h"

#include "text_encoding.h"

#include <arpa/inet.h>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>

namespace relayaudit {

namespace {

constexpr const char* kField = "remote IP range";

using Address = IpAddress;

DecodeError errorAt(std::size_t offset, std::string reason) {
    return DecodeError{offset, kField, std::move(reason)};
}

std::string quoted(char c) {
    if (c >= 0x21 && c <= 0x7E)
        return std::string("'") + c + "'";
    return "byte " + std::to_string(static_cast<unsigned char>(c));
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// Dotted quad, four decimal octets. A leading zero is refused because some parsers (inet_aton,
// older .NET) read it as octal, so the address the administrator meant is uncertain.
Decoded<Address> parseIpv4(std::string_view token, std::size_t base) {
    Address address;
    std::size_t i = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (i == token.size())
                return errorAt(base + i, "IPv4 address ends after " + std::to_string(part) +
                                             " of its 4 octets");
            if (token[i] != '.')
                return errorAt(base + i, "expected '.' but found " + quoted(token[i]));
            ++i;
        }
        const std::size_t start = i;
        unsigned value = 0;
        while (i < token.size() && isDigit(token[i])) {
            if (i - start == 3)
                return errorAt(base + i, "IPv4 octet has more than 3 digits");
            value = value * 10 + static_cast<unsigned>(token[i] - '0');
            ++i;
        }
        if (i == start)
            return errorAt(base + i, i == token.size()
                                         ? std::string("expected an IPv4 octet, found the end")
                                         : "expected an IPv4 octet but found " + quoted(token[i]));
        if (value > 255)
            return errorAt(base + start, "IPv4 octet " + std::to_string(value) + " exceeds 255");
        if (token[start] == '0' && i - start > 1)
            return errorAt(base + start,
                           "IPv4 octet with a leading zero is ambiguous (octal or decimal)");
        address.bytes[static_cast<std::size_t>(part)] = static_cast<std::uint8_t>(value);
    }
    if (i != token.size())
        return errorAt(base + i, "unexpected " + quoted(token[i]) + " after the IPv4 address");
    return address;
}

// RFC 4291 section 2.2 text: up to eight groups of 1-4 hex digits, at most one "::", and
// optionally a dotted quad as the last 32 bits.
Decoded<Address> parseIpv6(std::string_view token, std::size_t base) {
    std::array<std::uint16_t, 8> groups{};
    std::size_t groupCount = 0;
    std::optional<std::size_t> gapAt; // index in groups where "::" stands
    std::size_t i = 0;
    if (token.substr(0, 2) == "::") {
        gapAt = 0;
        i = 2;
    } else if (!token.empty() && token[0] == ':') {
        return errorAt(base, "IPv6 address starts with a single ':'");
    }
    while (i < token.size()) {
        std::size_t end = token.find(':', i);
        if (end == std::string_view::npos)
            end = token.size();
        const std::string_view piece = token.substr(i, end - i);
        if (piece.find('.') != std::string_view::npos) {
            if (end != token.size())
                return errorAt(base + end, "an embedded IPv4 address must come last");
            if (groupCount > 6)
                return errorAt(base + i, "embedded IPv4 address leaves no room in 128 bits");
            auto v4 = parseIpv4(piece, base + i);
            if (!v4.ok())
                return v4.error();
            const auto& b = v4.value().bytes;
            groups[groupCount++] = static_cast<std::uint16_t>((b[0] << 8) | b[1]);
            groups[groupCount++] = static_cast<std::uint16_t>((b[2] << 8) | b[3]);
            i = end;
            break;
        }
        if (piece.empty())
            return errorAt(base + i, "empty IPv6 group (a second \"::\" or ':::')");
        if (groupCount == 8)
            return errorAt(base + i, "IPv6 address has more than 8 groups");
        std::uint16_t value = 0;
        for (std::size_t k = 0; k < piece.size(); ++k) {
            if (k == 4)
                return errorAt(base + i + k, "IPv6 group has more than 4 hex digits");
            const int digit = hexDigitValue(piece[k]);
            if (digit < 0)
                return errorAt(base + i + k, "unexpected " + quoted(piece[k]) + " in IPv6 address");
            value = static_cast<std::uint16_t>((value << 4) | digit);
        }
        groups[groupCount++] = value;
        i = end;
        if (i == token.size())
            break;
        if (i + 1 < token.size() && token[i + 1] == ':') {
            if (gapAt)
                return errorAt(base + i, "IPv6 address has a second \"::\"");
            gapAt = groupCount;
            i += 2;
        } else {
            ++i;
            if (i == token.size())
                return errorAt(base + i - 1, "IPv6 address ends with a single ':'");
        }
    }
    if (gapAt && groupCount == 8)
        return errorAt(base, "IPv6 address has 8 groups and a \"::\"");
    if (!gapAt && groupCount != 8)
        return errorAt(base + token.size(), "IPv6 address has " + std::to_string(groupCount) +
                                                " groups, needs 8 (or a \"::\")");
    Address address;
    address.ipv6 = true;
    // Groups after the gap move to the end; the gap is zeros.
    const std::size_t gap = gapAt.value_or(groupCount);
    const std::size_t tail = groupCount - gap;
    for (std::size_t g = 0; g < groupCount; ++g) {
        const std::size_t slot = g < gap ? g : 8 - tail + (g - gap);
        address.bytes[2 * slot] = static_cast<std::uint8_t>(groups[g] >> 8);
        address.bytes[2 * slot + 1] = static_cast<std::uint8_t>(groups[g] & 0xFF);
    }
    return address;
}

// A Windows zone index: '%' and a decimal interface number (Microsoft's own example of a remote
// range is "fe80::39bd:88f7:6969:d223%11"). Interface names ("%eth0") are not Windows syntax.
Decoded<Address> parseScopedIpv6(std::string_view token, std::size_t base) {
    const std::size_t percent = token.find('%');
    if (percent == std::string_view::npos)
        return parseIpv6(token, base);
    const std::string_view zone = token.substr(percent + 1);
    bool decimal = !zone.empty() && zone.size() <= 10;
    for (char c : zone)
        decimal = decimal && isDigit(c);
    if (!decimal)
        return errorAt(base + percent, "a zone index must be '%' and a decimal interface number");
    auto address = parseIpv6(token.substr(0, percent), base);
    if (!address.ok())
        return address;
    Address scoped = address.value();
    scoped.zone = std::string(zone);
    return scoped;
}

// One address: IPv4, IPv6, or IPv6 in brackets as in "[::]:25" bindings.
Decoded<Address> parseAddress(std::string_view token, std::size_t base) {
    if (token.empty())
        return errorAt(base, "expected an address, found nothing");
    if (token.front() == '[') {
        if (token.back() != ']' || token.size() < 2)
            return errorAt(base + token.size(), "'[' without a closing ']'");
        const std::string_view inner = token.substr(1, token.size() - 2);
        if (inner.find(':') == std::string_view::npos)
            return errorAt(base + 1, "brackets enclose IPv6 addresses only");
        return parseScopedIpv6(inner, base + 1);
    }
    if (token.find(':') != std::string_view::npos)
        return parseScopedIpv6(token, base);
    return parseIpv4(token, base);
}

std::string format(const Address& address) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(address.ipv6 ? AF_INET6 : AF_INET, address.bytes.data(), text, sizeof text);
    return address.zone.empty() ? std::string(text) : std::string(text) + "%" + address.zone;
}

// Sets the host bits (those after prefixLength) to zero for the first address, one for the last.
Address withHostBits(Address address, int prefixLength, bool ones) {
    for (int bit = prefixLength; bit < address.bits(); ++bit) {
        auto& byte = address.bytes[static_cast<std::size_t>(bit / 8)];
        const auto mask = static_cast<std::uint8_t>(0x80 >> (bit % 8));
        byte = static_cast<std::uint8_t>(ones ? (byte | mask) : (byte & ~mask));
    }
    return address;
}

bool lessThan(const Address& a, const Address& b) {
    for (std::size_t i = 0; i < a.width(); ++i)
        if (a.bytes[i] != b.bytes[i])
            return a.bytes[i] < b.bytes[i];
    return false;
}

// last - first + 1 as a double: exact up to 2^53, close enough beyond (IPv6 ranges).
double countBetween(const Address& first, const Address& last) {
    std::array<std::uint8_t, 16> difference{};
    int borrow = 0;
    for (std::size_t i = first.width(); i-- > 0;) {
        int value = last.bytes[i] - first.bytes[i] - borrow;
        borrow = value < 0 ? 1 : 0;
        difference[i] = static_cast<std::uint8_t>(value + 256 * borrow);
    }
    double count = 0;
    for (std::size_t i = 0; i < first.width(); ++i)
        count = count * 256 + difference[i];
    return count + 1;
}

IpRange makeRange(const Address& first, const Address& last) {
    IpRange range;
    range.ipv6 = first.ipv6;
    range.first = format(first);
    range.last = format(last);
    range.firstBytes = first.bytes;
    range.lastBytes = last.bytes;
    range.addressCount = countBetween(first, last);
    bool allZero = true, allOnes = true;
    for (std::size_t i = 0; i < first.width(); ++i) {
        allZero = allZero && first.bytes[i] == 0x00;
        allOnes = allOnes && last.bytes[i] == 0xFF;
    }
    range.coversEverything = allZero && allOnes;
    return range;
}

// The prefix length of a mask whose one bits all come first, else nothing.
std::optional<int> contiguousPrefixLength(const Address& mask) {
    int length = 0;
    while (length < mask.bits() &&
           (mask.bytes[static_cast<std::size_t>(length / 8)] & (0x80 >> (length % 8))))
        ++length;
    for (int bit = length; bit < mask.bits(); ++bit)
        if (mask.bytes[static_cast<std::size_t>(bit / 8)] & (0x80 >> (bit % 8)))
            return std::nullopt;
    return length;
}

Decoded<int> parsePrefixLength(std::string_view digits, std::size_t base, int maximum) {
    if (digits.empty())
        return errorAt(base, "expected a prefix length after '/'");
    int value = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (!isDigit(digits[i]))
            return errorAt(base + i, "unexpected " + quoted(digits[i]) + " in prefix length");
        if (i == 1 && digits[0] == '0')
            return errorAt(base, "prefix length has a leading zero");
        value = value * 10 + (digits[i] - '0');
        if (value > maximum)
            return errorAt(base, "prefix length exceeds " + std::to_string(maximum));
    }
    return value;
}

} // namespace

Decoded<IpAddress> parseIpAddress(std::string_view text, std::size_t base) {
    return parseAddress(text, base);
}

std::string formatIpAddress(const IpAddress& address) {
    return format(address);
}

Decoded<IpRange> parseRemoteIpRange(std::string_view text) {
    if (text.empty())
        return errorAt(0, "empty value");
    if (const std::size_t dash = text.find('-'); dash != std::string_view::npos) {
        if (const std::size_t second = text.find('-', dash + 1); second != std::string_view::npos)
            return errorAt(second, "a range has one '-'");
        auto first = parseAddress(text.substr(0, dash), 0);
        if (!first.ok())
            return first.error();
        auto last = parseAddress(text.substr(dash + 1), dash + 1);
        if (!last.ok())
            return last.error();
        if (first.value().ipv6 != last.value().ipv6)
            return errorAt(dash + 1, "range mixes IPv4 and IPv6");
        if (lessThan(last.value(), first.value()))
            return errorAt(dash + 1, "range end " + format(last.value()) + " is below its start " +
                                         format(first.value()));
        return makeRange(first.value(), last.value());
    }
    if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
        auto address = parseAddress(text.substr(0, slash), 0);
        if (!address.ok())
            return address.error();
        auto length = parsePrefixLength(text.substr(slash + 1), slash + 1, address.value().bits());
        if (!length.ok())
            return length.error();
        // Exchange keeps the network of "10.1.2.3/8", i.e. 10.0.0.0/8: host bits are ignored.
        return makeRange(withHostBits(address.value(), length.value(), false),
                         withHostBits(address.value(), length.value(), true));
    }
    if (const std::size_t open = text.find('('); open != std::string_view::npos) {
        if (text.back() != ')')
            return errorAt(text.size(), "'(' without a closing ')' at the end");
        auto address = parseAddress(text.substr(0, open), 0);
        if (!address.ok())
            return address.error();
        auto mask = parseAddress(text.substr(open + 1, text.size() - open - 2), open + 1);
        if (!mask.ok())
            return mask.error();
        if (mask.value().ipv6 != address.value().ipv6 || !mask.value().zone.empty())
            return errorAt(open, "the mask in parentheses must be an address of the same family");
        auto length = contiguousPrefixLength(mask.value());
        // A mask with holes would not describe one range.
        if (!length)
            return errorAt(open + 1, "mask " + format(mask.value()) + " is not contiguous");
        return makeRange(withHostBits(address.value(), *length, false),
                         withHostBits(address.value(), *length, true));
    }
    auto address = parseAddress(text, 0);
    if (!address.ok())
        return address.error();
    return makeRange(address.value(), address.value());
}

} // namespace relayaudit
