#pragma once
// The domain heads (for the domain SID) and Guest accounts (RID 501) of many domains, read from
// one connection with a number of searches that does not grow with the number of domains beyond
// one per page: one search for the heads, then the Guests by SID in OR filters of up to
// kGuestSidsPerSearch SIDs each (issue 10).
#include "directory.h"
#include "ldap_connection.h"
#include "ldap_search.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace relayaudit::ldapcollect {

// Fixed, so that a search filter stays small (500 SIDs of 28 bytes, escaped: ~45 KB) whatever
// the forest; AD's MaxQueryDuration and filter limits are far away.
inline constexpr std::size_t kGuestSidsPerSearch = 500;

struct DomainOutcome {
    std::string dn;
    std::vector<DirectoryEntry> entries; // its head and Guest account(s), as read
    std::optional<std::string> problem;  // set: why its Guest cannot be judged
    bool referred = false;               // the server said another one holds it
};

// searchBase: where one subtree search finds every one of `domains` ("" on a global catalog:
// its phantom root spans the forest). A single domain is read by its own DN, as always.
std::vector<DomainOutcome> readDomains(Searcher& searcher, Connection& connection,
                                       const std::vector<std::string>& domains,
                                       const std::string& searchBase);

// The binary SID of <domain SID>-<rid>: one more sub-authority, appended little-endian.
std::optional<std::string> sidWithRelativeId(const std::string& domainSid, std::uint32_t rid);

// DNs compared the way a server writes them back (case, spaces after separators).
std::string dnKey(std::string_view dn);

} // namespace relayaudit::ldapcollect
