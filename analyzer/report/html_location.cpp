#include "html_location.h"

#include "string_helpers.h"

#include <string_view>
#include <vector>

namespace relayaudit {

namespace {

// The DN's RDNs, split at unescaped commas; escapes are kept as written (the result is only
// compared and shown, and shown escaped).
std::vector<std::string_view> rdnsOf(std::string_view dn) {
    std::vector<std::string_view> rdns;
    std::size_t start = 0;
    for (std::size_t i = 0; i < dn.size(); ++i) {
        if (dn[i] == '\\') {
            ++i;
            continue;
        }
        if (dn[i] == ',') {
            rdns.push_back(trimWhitespace(dn.substr(start, i - start)));
            start = i + 1;
        }
    }
    rdns.push_back(trimWhitespace(dn.substr(start)));
    return rdns;
}

std::string_view valueOf(std::string_view rdn) {
    auto equals = rdn.find('=');
    return equals == std::string_view::npos ? std::string_view() : rdn.substr(equals + 1);
}

} // namespace

std::string locationOf(const Finding& finding) {
    auto rdns = rdnsOf(finding.object);
    for (std::size_t i = 1; i < rdns.size(); ++i)
        if (equalsIgnoreCase(rdns[i], "CN=Servers"))
            return std::string(valueOf(rdns[i - 1]));
    std::string domain;
    bool configuration = false;
    for (auto rdn : rdns) {
        configuration = configuration || equalsIgnoreCase(rdn, "CN=Configuration");
        if (startsWithIgnoreCase(rdn, "DC="))
            domain += (domain.empty() ? "" : ".") + std::string(valueOf(rdn));
    }
    if (domain.empty())
        return {};
    return configuration ? "forest " + domain : domain;
}

} // namespace relayaudit
