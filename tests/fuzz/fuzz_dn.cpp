// DN parser (libldap underneath): any text in. Properties: a parsed DN written back from its
// RDN texts parses again to the same types and values (so an escape is never lost or gained),
// the domain helpers derive from the DN's own DC= tail, and the leading RDN parsed apart from its
// parent (the snapshot builder's shortcut) gives exactly the whole parse.
#include "dn.h"
#include "fuzz_check.h"

using namespace relayaudit;

namespace {

bool sameRdn(const RelativeName& a, const RelativeName& b) {
    if (a.text != b.text || a.parts.size() != b.parts.size())
        return false;
    for (std::size_t j = 0; j < a.parts.size(); ++j)
        if (a.parts[j].type != b.parts[j].type || a.parts[j].value != b.parts[j].value)
            return false;
    return true;
}

void checkLeadingRdnSplit(const std::string& text, const Decoded<DistinguishedName>& whole) {
    auto lead = parseLeadingRdn(text);
    if (!lead) {
        FUZZ_CHECK(!whole.ok() || whole.value().size() <= 1, "a DN of several RDNs splits");
        return;
    }
    auto parent = parseDn(std::string_view(text).substr(lead->parentAt));
    if (!whole.ok()) {
        FUZZ_CHECK(!parent.ok(), "a DN that does not parse has no parsing parent: " + text);
        return;
    }
    FUZZ_CHECK(parent.ok(), "the parent of a parsed DN parses: " + text);
    const auto& names = whole.value();
    FUZZ_CHECK(names.size() == parent.value().size() + 1, "split keeps every RDN: " + text);
    FUZZ_CHECK(sameRdn(names[0], lead->name), "leading RDN as in the whole parse: " + text);
    for (std::size_t i = 1; i < names.size(); ++i)
        FUZZ_CHECK(sameRdn(names[i], parent.value()[i - 1]),
                   "parent RDNs as in the whole: " + text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzzsupport::textOf(data, size);
    auto parsed = parseDn(text);
    checkLeadingRdnSplit(std::string(text), parsed);
    if (!parsed.ok()) {
        FUZZ_CHECK(parsed.error().offset <= size, "error offset inside the text");
        return 0;
    }
    const DistinguishedName& dn = parsed.value();
    std::string written;
    for (const auto& rdn : dn) {
        FUZZ_CHECK(!rdn.parts.empty(), "an RDN has a type and value");
        written += (written.empty() ? "" : ",") + rdn.text;
    }
    auto again = parseDn(written);
    FUZZ_CHECK(again.ok(), "written-back DN parses: " + written);
    FUZZ_CHECK(again.value().size() == dn.size(), "RDN count round trips: " + written);
    for (std::size_t i = 0; i < dn.size(); ++i) {
        const auto& before = dn[i].parts;
        const auto& after = again.value()[i].parts;
        FUZZ_CHECK(before.size() == after.size(), "RDN part count round trips: " + written);
        for (std::size_t j = 0; j < before.size(); ++j) {
            FUZZ_CHECK(before[j].type == after[j].type, "type round trips: " + written);
            FUZZ_CHECK(before[j].value == after[j].value, "value round trips: " + written);
        }
    }
    const std::string suffix = domainSuffixOf(dn);
    const std::string dnsName = dnsNameOfDomainDn(dn);
    FUZZ_CHECK(suffix.empty() == dnsName.empty(), "a DC= tail has a DNS name");
    if (!suffix.empty()) {
        auto suffixDn = parseDn(suffix);
        FUZZ_CHECK(suffixDn.ok() && suffixDn.value().size() <= dn.size(), "suffix is a DN tail");
    }
    return 0;
}
