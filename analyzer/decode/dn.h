#pragma once
// Distinguished-name helpers (RFC 4514): splitting into RDNs with escapes honoured, so a hostile
// "CN=a\,CN=Servers" cannot pose as a different place in the tree.
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

struct RelativeName {
    std::string type;  // "CN"
    std::string value; // unescaped
};

// Splits "CN=1,CN=SMTP,..." into RDNs, leftmost first. Multi-valued RDNs ("a=1+b=2") keep the
// first value. A malformed DN yields the RDNs that parsed.
std::vector<RelativeName> splitDn(std::string_view dn);

// The DC= suffix of a DN as a DN ("DC=corp,DC=example"), empty if none.
std::string domainSuffixOf(std::string_view dn);

// "corp.example" of "DC=corp,DC=example".
std::string dnsNameOfDomainDn(std::string_view dn);

} // namespace relayaudit
