#pragma once
// Distinguished names (RFC 4514), parsed by libldap (ldap_str2dn, LDAPv3 syntax) so that escapes
// are honoured and a hostile "CN=a\,CN=Servers" cannot pose as a different place in the tree. A
// DN that does not parse is an error naming the byte and the RDN, never a partial result.
#include "decode_error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

struct AttributeTypeAndValue {
    std::string type;  // as written: "CN", "dc", "2.5.4.3"
    std::string value; // unescaped; a "#04..." BER value is decoded to its string
};

struct RelativeName {
    // One pair, or several in a multi-valued RDN ("CN=a+OU=b"), in the order written.
    std::vector<AttributeTypeAndValue> parts;
    std::string text; // the RDN in RFC 4514 form, as libldap writes it back ("DC=corp")

    const std::string& type() const { return parts.front().type; }
    const std::string& value() const { return parts.front().value; }
};

// Leftmost RDN first; the empty DN (the root) has none.
using DistinguishedName = std::vector<RelativeName>;

Decoded<DistinguishedName> parseDn(std::string_view dn);

// The leftmost RDN and where the parent's DN starts (just after the ','), so that a parent shared
// by many siblings is parsed once: parseDn(dn) is {name} followed by parseDn(dn.substr(parentAt))
// whenever both parse (tst_dn and the DN fuzz target check this). Nothing when the first RDN does
// not parse or is the only one; parseDn of the whole DN then says what is wrong.
struct LeadingRdn {
    RelativeName name;
    std::size_t parentAt = 0;
};
std::optional<LeadingRdn> parseLeadingRdn(const std::string& dn);

// The trailing run of single-valued DC= RDNs as a DN ("DC=corp,DC=example"), empty if none.
std::string domainSuffixOf(const DistinguishedName& dn);

// The same run as a DNS name: "corp.example" of "DC=corp,DC=example"; empty if none.
std::string dnsNameOfDomainDn(const DistinguishedName& dn);

} // namespace relayaudit
