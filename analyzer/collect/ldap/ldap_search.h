#pragma once
// Searches to the end: every page of a paged search, every range of a ranged attribute, each
// wait bounded by the connection's timeout. What a result code means for the collection is for
// the caller to judge; a lost connection or a timeout throws CollectFailure.
#include "directory.h"
#include "ldap_connection.h"
#include "ldap_diagnostics.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit::ldapcollect {

inline constexpr const char* kPagedResultsOid = LDAP_CONTROL_PAGEDRESULTS; // 1.2.840.113556.1.4.319
inline constexpr const char* kSdFlagsOid = "1.2.840.113556.1.4.801";

struct SearchRequest {
    std::string label; // "the paged search of Exchange objects": used in every message
    std::string name;  // "Exchange objects": short, for progress lines
    std::string base;
    int scope = LDAP_SCOPE_SUBTREE;
    std::string filter = "(objectClass=*)";
    std::vector<std::string> attributes;
    bool paged = false;
    bool sdFlags = false;
    bool followRanges = true; // false for the range retrieval rounds themselves
    // When set, entries go here as they arrive instead of into SearchOutcome::entries; from the
    // first entry with values still on the server (range retrieval) on, they wait for the end
    // of the search, so the order is always the server's. The stream may leave a spent entry in
    // the one it is given (SnapshotBuildThread swaps one in): the next entry is decoded into it,
    // reusing its strings, so a steady stream allocates almost nothing.
    std::function<void(DirectoryEntry&&)> stream;
};

struct SearchOutcome {
    int resultCode = LDAP_SUCCESS;
    std::string diagnostic;
    std::vector<std::string> referrals;
    std::vector<DirectoryEntry> entries;
    int pages = 0;
    int references = 0; // continuation references skipped (referral chasing is off)

    bool ok() const { return resultCode == LDAP_SUCCESS; }
    std::string describe() const {
        std::string text = withDiagnostic(resultCode, diagnostic);
        if (!referrals.empty())
            text += ", referred to " + printable(referrals.front());
        return text;
    }
};

// "(attribute=value)" for any bytes of value: libldap's ldap_bv2escaped_filter_value escapes
// what RFC 4515 requires, so a binary SID or a hostile name cannot change the filter.
std::string equalityFilter(std::string_view attribute, std::string_view value);

// The searches of one collection. Paging and the SD-flags control are used only once the
// rootDSE said the server offers them.
class Searcher {
public:
    using Progress = std::function<void(const std::string&)>;
    Searcher(int pageSize, const Progress& progress) : pageSize_(pageSize), progress_(progress) {}

    void useServerControls(bool paging, bool sdFlags) {
        pagingSupported_ = paging;
        sdFlagsSupported_ = sdFlags;
    }
    bool pagingSupported() const { return pagingSupported_; }
    bool sdFlagsSupported() const { return sdFlagsSupported_; }

    // Each search request sequence once: a paged search of 12 pages is one operation (its pages
    // go to the progress lines). That is the figure that must stay constant as the number of
    // Exchange servers grows.
    int operations() const { return operations_; }

    // Runs one search (all its pages, then the rest of every ranged attribute) to the end.
    SearchOutcome run(Connection& connection, const SearchRequest& request);

private:
    struct PendingRange {
        std::string dn;
        std::string attribute;
        std::uint64_t nextLow = 0;
    };

    Controls receiveAnswer(Connection& connection, int msgid, const std::string& what,
                           const SearchRequest& request, SearchOutcome& outcome);
    // Decodes the message into entry, overwriting what it held and reusing its buffers.
    void decodeEntry(LDAP* ld, LDAPMessage* message, const std::string& origin,
                     DirectoryEntry& entry);
    [[noreturn]] static void failUndecodable(const DirectoryEntry& entry, const std::string& origin,
                                             const std::string& problem);
    void fetchRanges(Connection& connection, std::vector<DirectoryEntry>& entries,
                     const std::string& label);
    void say(const std::string& line) const {
        if (progress_)
            progress_(line);
    }

    int pageSize_;
    const Progress& progress_;
    bool pagingSupported_ = false;
    bool sdFlagsSupported_ = false;
    int operations_ = 0;
    std::size_t streamed_ = 0; // entries of the current search already handed to its stream
    std::vector<PendingRange> pendingRanges_;
    DirectoryEntry decoded_; // the entry being decoded; a spent one's buffers when streaming
    std::vector<std::string_view> values_; // of the attribute being decoded, into its message
};

} // namespace relayaudit::ldapcollect
