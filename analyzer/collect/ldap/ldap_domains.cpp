#include "ldap_domains.h"

#include "directory_facts.h"
#include "ldap_diagnostics.h"
#include "string_helpers.h"

#include <unordered_map>

namespace relayaudit::ldapcollect {
namespace {

struct Domains {
    std::vector<DomainOutcome> outcomes;
    std::unordered_map<std::string, std::size_t> byKey; // dnKey -> index in outcomes
};

void setProblem(DomainOutcome& domain, std::string problem, const SearchOutcome& outcome) {
    domain.problem = std::move(problem);
    domain.referred = outcome.resultCode == LDAP_REFERRAL;
}

// One base read for a single domain; one paged subtree search for several. A head that did
// not come back is not held by this server (AD answers with a reference) or not visible.
void readHeads(Searcher& searcher, Connection& connection, Domains& domains,
               const std::string& searchBase) {
    SearchRequest request;
    request.attributes = {"objectSid", "objectClass", "name"};
    bool single = domains.outcomes.size() == 1;
    if (single) {
        request.label = "the read of the domain head " + printable(domains.outcomes.front().dn);
        request.base = domains.outcomes.front().dn;
        request.scope = LDAP_SCOPE_BASE;
    } else {
        request.label = "the paged search of the domain heads under " +
                        (searchBase.empty() ? std::string("the forest") : printable(searchBase));
        request.name = "domain heads";
        request.base = searchBase;
        request.filter = "(|(objectClass=domainDNS)(objectClass=domain))";
        request.paged = true;
    }
    auto outcome = searcher.run(connection, request);
    if (!outcome.ok()) {
        for (auto& domain : domains.outcomes)
            setProblem(domain,
                       "cannot read the domain head " + printable(domain.dn) + ": " +
                           outcome.describe(),
                       outcome);
        return;
    }
    for (auto& entry : outcome.entries) {
        auto found = domains.byKey.find(dnKey(entry.dn));
        if (found == domains.byKey.end())
            continue; // a domain we were not asked about: not this run's business
        auto& domain = domains.outcomes[found->second];
        if (domain.entries.empty())
            domain.entries.push_back(std::move(entry));
    }
    for (auto& domain : domains.outcomes) {
        if (!domain.entries.empty())
            continue;
        domain.problem = "cannot read the domain head " + printable(domain.dn) + ": " +
                         (single || outcome.references == 0
                              ? std::string("not visible to the bind account")
                              : "not held by this server (it sent references elsewhere)");
        domain.referred = !single && outcome.references > 0;
    }
}

// Guests by SID, kGuestSidsPerSearch to an OR filter; each batch one paged search.
void readGuests(Searcher& searcher, Connection& connection, Domains& domains,
                const std::string& searchBase) {
    std::vector<std::pair<std::string, std::size_t>> wanted; // Guest SID bytes, domain index
    for (std::size_t i = 0; i < domains.outcomes.size(); ++i) {
        auto& domain = domains.outcomes[i];
        if (domain.problem)
            continue;
        const auto* sid = domain.entries.front().first("objectSid");
        if (!sid || sid->empty()) {
            domain.problem = "the domain head " + printable(domain.dn) +
                             " has no readable objectSid, so its Guest account (RID 501) "
                             "cannot be found";
            continue;
        }
        auto guestSid = sidWithRelativeId(*sid, kGuestRelativeId);
        if (!guestSid) {
            domain.problem = "the objectSid of the domain head " + printable(domain.dn) +
                             " is not a valid SID, so its Guest account (RID 501) cannot be found";
            continue;
        }
        wanted.emplace_back(std::move(*guestSid), i);
    }
    bool single = domains.outcomes.size() == 1;
    for (std::size_t start = 0; start < wanted.size(); start += kGuestSidsPerSearch) {
        std::size_t end = std::min(wanted.size(), start + kGuestSidsPerSearch);
        std::unordered_map<std::string, std::size_t> bySid;
        std::string filter;
        for (std::size_t i = start; i < end; ++i) {
            filter += equalityFilter("objectSid", wanted[i].first);
            bySid.emplace(wanted[i].first, wanted[i].second);
        }
        SearchRequest request;
        request.scope = LDAP_SCOPE_SUBTREE;
        request.filter = end - start == 1 ? filter : "(|" + filter + ")";
        request.attributes = {"objectClass", "sAMAccountName", "userAccountControl", "objectSid",
                              "cn"};
        if (single) {
            const auto& dn = domains.outcomes.front().dn;
            request.label = "the search for the Guest account (RID 501) of " + printable(dn);
            request.base = dn;
        } else {
            request.label = "the paged search for the Guest accounts (RID 501) of " +
                            std::to_string(end - start) + " domains";
            request.name = "Guest accounts";
            request.base = searchBase;
            request.paged = true;
        }
        auto outcome = searcher.run(connection, request);
        if (!outcome.ok()) {
            for (std::size_t i = start; i < end; ++i) {
                auto& domain = domains.outcomes[wanted[i].second];
                setProblem(domain,
                           "cannot search for the Guest account (RID 501) under " +
                               printable(domain.dn) + ": " + outcome.describe(),
                           outcome);
            }
            continue;
        }
        for (auto& entry : outcome.entries) {
            const auto* sid = entry.first("objectSid");
            auto owner = sid ? bySid.find(*sid) : bySid.end();
            if (owner != bySid.end())
                domains.outcomes[owner->second].entries.push_back(std::move(entry));
        }
    }
}

} // namespace

std::string dnKey(std::string_view dn) {
    std::string out;
    out.reserve(dn.size());
    bool afterSeparator = true;
    for (std::size_t i = 0; i < dn.size(); ++i) {
        char c = dn[i];
        if (c == '\\' && i + 1 < dn.size()) {
            out += c;
            out += dn[++i];
            afterSeparator = false;
            continue;
        }
        if (c == ' ' && afterSeparator)
            continue;
        out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
        afterSeparator = (c == ',' || c == '=' || c == '+');
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

std::optional<std::string> sidWithRelativeId(const std::string& domainSid, std::uint32_t rid) {
    // revision(1) count(1) authority(6) then count x 4 bytes
    if (domainSid.size() < 8 || static_cast<unsigned char>(domainSid[0]) != 1)
        return std::nullopt;
    auto count = static_cast<unsigned char>(domainSid[1]);
    if (count >= 15 || domainSid.size() != 8 + 4 * std::size_t(count))
        return std::nullopt;
    std::string sid = domainSid;
    sid[1] = static_cast<char>(count + 1);
    for (int shift = 0; shift < 32; shift += 8)
        sid += static_cast<char>((rid >> shift) & 0xFF);
    return sid;
}

std::vector<DomainOutcome> readDomains(Searcher& searcher, Connection& connection,
                                       const std::vector<std::string>& dns,
                                       const std::string& searchBase) {
    Domains domains;
    for (const auto& dn : dns)
        if (domains.byKey.emplace(dnKey(dn), domains.outcomes.size()).second)
            domains.outcomes.push_back({dn, {}, std::nullopt, false});
    if (domains.outcomes.empty())
        return {};
    readHeads(searcher, connection, domains, searchBase);
    readGuests(searcher, connection, domains, searchBase);
    return std::move(domains.outcomes);
}

} // namespace relayaudit::ldapcollect
