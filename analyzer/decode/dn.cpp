#include "dn.h"

#include "string_helpers.h"

#include <cstdint>
#include <ldap.h>
#include <memory>
#include <optional>

namespace relayaudit {

namespace {

constexpr const char* kField = "distinguished name";

DecodeError errorAt(std::size_t offset, std::string reason) {
    return DecodeError{offset, kField, std::move(reason)};
}

struct DnFree {
    void operator()(LDAPDN dn) const { ldap_dnfree(dn); }
};
struct RdnFree {
    void operator()(LDAPRDN rdn) const { ldap_rdnfree(rdn); }
};
struct MemFree {
    void operator()(char* text) const { ldap_memfree(text); }
};
using DnHandle = std::unique_ptr<LDAPRDN, DnFree>;
using RdnHandle = std::unique_ptr<LDAPAVA*, RdnFree>;
using TextHandle = std::unique_ptr<char, MemFree>;

// Where each RDN starts, read one RDN at a time as ldap_str2dn does; `failedAt` is the start of
// the first RDN that does not parse. Only used to say where a DN is wrong.
struct RdnScan {
    std::vector<std::size_t> starts;
    std::optional<std::size_t> failedAt;
};

RdnScan scanRdns(const std::string& dn) {
    RdnScan scan;
    std::size_t offset = 0;
    while (true) {
        if (offset == dn.size() || dn[offset] == ',') {
            scan.failedAt = offset; // an empty RDN
            return scan;
        }
        LDAPRDN rdn = nullptr;
        char* next = nullptr;
        int rc = ldap_str2rdn(dn.c_str() + offset, &rdn, &next, LDAP_DN_FORMAT_LDAPV3);
        RdnHandle owned(rdn);
        if (rc != LDAP_SUCCESS || !next) {
            scan.failedAt = offset;
            return scan;
        }
        scan.starts.push_back(offset);
        const auto end = static_cast<std::size_t>(next - dn.c_str());
        if (end >= dn.size())
            return scan;
        if (dn[end] != ',') {
            scan.failedAt = end;
            return scan;
        }
        offset = end + 1;
    }
}

bool endsInsideEscape(std::string_view dn) {
    std::size_t backslashes = 0;
    for (auto i = dn.size(); i > 0 && dn[i - 1] == '\\'; --i)
        ++backslashes;
    return backslashes % 2 == 1;
}

DecodeError syntaxError(const std::string& dn) {
    const auto scan = scanRdns(dn);
    const std::size_t at = scan.failedAt.value_or(0);
    const std::string which = "RDN " + std::to_string(scan.starts.size() + 1);
    if (at == dn.size() && !dn.empty())
        return errorAt(at, "the DN ends with a separator: " + which + " is empty");
    if (at < dn.size() && dn[at] == ',')
        return errorAt(at, which + " is empty (a separator with nothing before it)");
    if (endsInsideEscape(dn))
        return errorAt(dn.size(), "the DN ends inside a '\\' escape");
    return errorAt(at, which + " is not RFC 4514 syntax (type=value, with special characters "
                               "escaped and RDNs separated by ',')");
}

// A "#..." value is the hex of a BER encoding (RFC 4514 section 2.4); the directory strings a DN
// can hold are one primitive string element that fills the value exactly.
Decoded<std::string> decodeBerString(const berval& value, std::size_t offset) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(value.bv_val);
    const std::size_t size = value.bv_len;
    if (size < 2)
        return errorAt(offset, "BER value of " + std::to_string(size) +
                                   " bytes is shorter than a tag and a length");
    switch (bytes[0]) {
    case 0x04: // OCTET STRING
    case 0x0C: // UTF8String
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x1A: // VisibleString
        break;
    default:
        return errorAt(offset, "BER value has tag " + std::to_string(bytes[0]) +
                                   ", not a string type this tool reads");
    }
    std::size_t length = bytes[1];
    std::size_t header = 2;
    if (length & 0x80) {
        const std::size_t lengthBytes = length & 0x7F;
        if (lengthBytes == 0 || lengthBytes > 4 || 2 + lengthBytes > size)
            return errorAt(offset, "BER value has an unusable length field");
        length = 0;
        for (std::size_t i = 0; i < lengthBytes; ++i)
            length = (length << 8) | bytes[2 + i];
        header += lengthBytes;
    }
    if (header + length != size)
        return errorAt(offset, "BER value says " + std::to_string(length) + " bytes but holds " +
                                   std::to_string(size - header));
    return std::string(value.bv_val + header, length);
}

Decoded<std::string> valueOf(const LDAPAVA& ava, const std::string& dn, std::size_t rdnIndex) {
    if (!(ava.la_flags & LDAP_AVA_BINARY))
        return std::string(ava.la_value.bv_val, ava.la_value.bv_len);
    auto decoded = decodeBerString(ava.la_value, 0);
    if (decoded.ok())
        return decoded;
    const auto scan = scanRdns(dn);
    const std::size_t offset = rdnIndex < scan.starts.size() ? scan.starts[rdnIndex] : 0;
    return errorAt(offset, "RDN " + std::to_string(rdnIndex + 1) + ": " + decoded.error().reason);
}

// An empty DC= value is no DNS label ("DC=,DC=com" would name ".com"): it ends the run.
std::size_t firstTrailingDomainComponent(const DistinguishedName& dn) {
    std::size_t first = dn.size();
    while (first > 0 && dn[first - 1].parts.size() == 1 &&
           equalsIgnoreCase(dn[first - 1].type(), "DC") && !dn[first - 1].value().empty())
        --first;
    return first;
}

bool isPlainTypeCharacter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool isPlainValueCharacter(char c) {
    return isPlainTypeCharacter(c) || c == ' ' || c == '.' || c == '_';
}

// "TYPE=value" of a single-valued RDN whose type and value hold nothing RFC 4514 escapes
// (letters, digits, '-', '.', '_', inner spaces): exactly what ldap_rdn2str writes for it, without
// its allocations (a third of parsing a DN). Anything else is left to libldap; tst_dn compares the
// two on generated RDNs.
std::optional<std::string> plainRdnText(LDAPRDN rdn) {
    if (!rdn[0] || rdn[1])
        return std::nullopt;
    const LDAPAVA& ava = *rdn[0];
    const std::string_view type(ava.la_attr.bv_val, ava.la_attr.bv_len);
    const std::string_view value(ava.la_value.bv_val, ava.la_value.bv_len);
    if ((ava.la_flags & LDAP_AVA_BINARY) || type.empty() || value.empty() || value.front() == ' ' ||
        value.back() == ' ')
        return std::nullopt;
    for (char c : type)
        if (!isPlainTypeCharacter(c))
            return std::nullopt;
    for (char c : value)
        if (!isPlainValueCharacter(c))
            return std::nullopt;
    std::string text;
    text.reserve(type.size() + 1 + value.size());
    return text.append(type).append(1, '=').append(value);
}

} // namespace

namespace {

// One RDN of a parsed DN: its pairs, BER values decoded, and its text as libldap writes it.
Decoded<RelativeName> relativeNameOf(LDAPRDN rdn, const std::string& dn, std::size_t index) {
    RelativeName name;
    for (std::size_t j = 0; rdn[j]; ++j) {
        const LDAPAVA& ava = *rdn[j];
        auto value = valueOf(ava, dn, index);
        if (!value.ok())
            return value.error();
        name.parts.push_back({std::string(ava.la_attr.bv_val, ava.la_attr.bv_len), value.value()});
    }
    if (auto plain = plainRdnText(rdn)) {
        name.text = std::move(*plain);
    } else {
        char* rdnText = nullptr;
        if (ldap_rdn2str(rdn, &rdnText, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
            return errorAt(0, "RDN " + std::to_string(index + 1) + " cannot be written back");
        TextHandle ownedText(rdnText);
        name.text = rdnText;
    }
    return name;
}

} // namespace

Decoded<DistinguishedName> parseDn(std::string_view text) {
    if (auto nul = text.find('\0'); nul != std::string_view::npos)
        return errorAt(nul, "a NUL byte inside the DN (RFC 4514 writes it as \\00)");
    const std::string dn(text);
    LDAPDN parsed = nullptr;
    const int rc = ldap_str2dn(dn.c_str(), &parsed, LDAP_DN_FORMAT_LDAPV3);
    DnHandle owned(parsed);
    if (rc != LDAP_SUCCESS)
        return syntaxError(dn);
    DistinguishedName names;
    for (std::size_t i = 0; parsed && parsed[i]; ++i) {
        auto name = relativeNameOf(parsed[i], dn, i);
        if (!name.ok())
            return name.error();
        names.push_back(std::move(name.value()));
    }
    return names;
}

namespace {

// "TYPE=value," at the start of the DN, of the characters plainRdnText writes back as they are
// (a type starting with a letter; no leading or trailing space in the value): libldap's parse of
// such an RDN gives exactly this pair and this text. Split here without its allocations, which
// were a tenth of building a virtual server. tst_dn and the DN fuzz target check the split
// against ldap_str2dn's parse of the whole DN.
std::optional<LeadingRdn> plainLeadingRdn(const std::string& dn) {
    const bool letterFirst =
        !dn.empty() && ((dn[0] >= 'A' && dn[0] <= 'Z') || (dn[0] >= 'a' && dn[0] <= 'z'));
    if (!letterFirst)
        return std::nullopt;
    std::size_t at = 0;
    while (at < dn.size() && isPlainTypeCharacter(dn[at]))
        ++at;
    if (at == dn.size() || dn[at] != '=')
        return std::nullopt;
    const std::size_t equals = at++;
    const std::size_t valueStart = at;
    while (at < dn.size() && isPlainValueCharacter(dn[at]))
        ++at;
    if (at == valueStart || at + 1 >= dn.size() || dn[at] != ',' || dn[valueStart] == ' ' ||
        dn[at - 1] == ' ')
        return std::nullopt;
    LeadingRdn lead;
    lead.name.parts.push_back({dn.substr(0, equals), dn.substr(valueStart, at - valueStart)});
    lead.name.text = dn.substr(0, at);
    lead.parentAt = at + 1;
    return lead;
}

} // namespace

std::optional<LeadingRdn> parseLeadingRdn(const std::string& dn) {
    if (dn.empty() || dn[0] == ',' || dn.find('\0') != std::string::npos)
        return std::nullopt;
    if (auto plain = plainLeadingRdn(dn))
        return plain;
    LDAPRDN rdn = nullptr;
    char* next = nullptr;
    const int rc = ldap_str2rdn(dn.c_str(), &rdn, &next, LDAP_DN_FORMAT_LDAPV3);
    RdnHandle owned(rdn);
    if (rc != LDAP_SUCCESS || !next)
        return std::nullopt;
    const auto end = static_cast<std::size_t>(next - dn.c_str());
    if (end >= dn.size() || dn[end] != ',' || end + 1 >= dn.size())
        return std::nullopt;
    auto name = relativeNameOf(rdn, dn, 0);
    if (!name.ok())
        return std::nullopt;
    return LeadingRdn{std::move(name.value()), end + 1};
}

std::string domainSuffixOf(const DistinguishedName& dn) {
    std::string suffix;
    for (std::size_t i = firstTrailingDomainComponent(dn); i < dn.size(); ++i)
        suffix += (suffix.empty() ? "" : ",") + dn[i].text;
    return suffix;
}

std::string dnsNameOfDomainDn(const DistinguishedName& dn) {
    std::string name;
    for (std::size_t i = firstTrailingDomainComponent(dn); i < dn.size(); ++i)
        name += (name.empty() ? "" : ".") + dn[i].value();
    return name;
}

} // namespace relayaudit
