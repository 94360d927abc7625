#include "ldap_search.h"

#include "attribute_options.h"
#include "ber_attribute.h"
#include "phase_timings.h"
#include "string_helpers.h"

#include <algorithm>
#include <utility>

namespace relayaudit::ldapcollect {
namespace {

// Range retrieval: AD's MaxValRange is 1500, so a few rounds at most; the cap only stops a
// server that never says "-*" from looping us forever.
constexpr int kMaxRangeRounds = 100000;

std::string receivedSoFar(std::size_t entries) {
    return std::to_string(entries) + " entries received so far";
}

// BER SEQUENCE { INTEGER 4 }: owner/group/DACL/SACL bit set = DACL only, which non-administrators
// may read (without it AD withholds the whole descriptor). Never critical.
Control daclOnlyControl() {
    static const char kDaclOnly[] = {0x30, 0x03, 0x02, 0x01, 0x04};
    berval value{sizeof kDaclOnly, const_cast<char*>(kDaclOnly)};
    LDAPControl* raw = nullptr;
    if (ldap_control_create(kSdFlagsOid, /*critical*/ 0, &value, 1, &raw) != LDAP_SUCCESS)
        fail("cannot build the SD-flags control (out of memory?)");
    return Control(raw);
}

// The cookie that asks for the next page, or none after the last page: it has an empty cookie,
// or (some servers) no page control at all. Pages may be short or empty (Samba ends with an
// empty page).
Berval nextPageCookie(LDAP* ld, LDAPControl** responseControls, const std::string& what,
                      const std::string& label) {
    LDAPControl* response = ldap_control_find(kPagedResultsOid, responseControls, nullptr);
    if (!response)
        return {};
    ber_int_t estimate = 0;
    berval next{};
    int rc = ldap_parse_pageresponse_control(ld, response, &estimate, &next);
    if (rc != LDAP_SUCCESS) {
        ber_memfree(next.bv_val);
        fail("the server's paged-results answer to " + what +
             " does not decode: " + describeCode(rc));
    }
    if (next.bv_len == 0) {
        ber_memfree(next.bv_val);
        return {};
    }
    Berval cookie(ber_bvdup(&next));
    ber_memfree(next.bv_val);
    if (!cookie)
        fail("out of memory while paging " + label);
    return cookie;
}

} // namespace

std::string equalityFilter(std::string_view attribute, std::string_view value) {
    berval in{value.size(), const_cast<char*>(value.data())};
    berval escaped{};
    if (ldap_bv2escaped_filter_value(&in, &escaped) != 0 || escaped.bv_val == nullptr)
        fail("cannot build the search filter for " + printable(attribute) + " (out of memory?)");
    LdapText holder(escaped.bv_val);
    // Appended rather than joined with +: GCC 12 at -O3 warns (-Wrestrict, a false positive) on
    // the joined temporaries.
    std::string filter;
    filter.reserve(attribute.size() + escaped.bv_len + 3);
    filter.append("(").append(attribute).append("=").append(escaped.bv_val, escaped.bv_len);
    return filter.append(")");
}

SearchOutcome Searcher::run(Connection& connection, const SearchRequest& request) {
    ++operations_;
    streamed_ = 0;
    SearchOutcome outcome;
    std::vector<char*> attributes;
    for (const auto& attribute : request.attributes)
        attributes.push_back(const_cast<char*>(attribute.c_str()));
    attributes.push_back(nullptr);

    Control sdFlags;
    if (request.sdFlags && sdFlagsSupported_)
        sdFlags = daclOnlyControl();
    bool paged = request.paged && pagingSupported_;
    Berval cookie;
    LDAP* ld = connection.handle();
    for (;;) {
        ++outcome.pages;
        std::string what =
            request.label + (paged ? " (page " + std::to_string(outcome.pages) + ")" : "");
        Control page;
        if (paged) {
            LDAPControl* raw = nullptr;
            int rc = ldap_create_page_control(ld, pageSize_, cookie.get(),
                                              /*critical*/ 1, &raw);
            if (rc != LDAP_SUCCESS)
                fail("cannot build the paged-results control: " + describeCode(rc));
            page.reset(raw);
        }
        LDAPControl* serverControls[3] = {nullptr, nullptr, nullptr};
        int used = 0;
        if (page)
            serverControls[used++] = page.get();
        if (sdFlags)
            serverControls[used++] = sdFlags.get();
        int msgid = -1;
        int rc = ldap_search_ext(ld, request.base.c_str(), request.scope, request.filter.c_str(),
                                 attributes.data(), 0, serverControls, nullptr, nullptr,
                                 LDAP_NO_LIMIT, &msgid);
        if (rc != LDAP_SUCCESS) {
            if (isTransportError(rc))
                connection.failLost(rc, what, receivedSoFar(streamed_ + outcome.entries.size()));
            outcome.resultCode = rc;
            outcome.diagnostic = diagnosticOf(ld);
            return outcome;
        }
        Controls responseControls = receiveAnswer(connection, msgid, what, request, outcome);
        if (paged)
            say("page " + std::to_string(outcome.pages) + " of " +
                (request.name.empty() ? request.label : request.name) + ": " +
                std::to_string(streamed_ + outcome.entries.size()) + " entries");
        if (!paged || outcome.resultCode != LDAP_SUCCESS)
            break;
        cookie = nextPageCookie(ld, responseControls.get(), what, request.label);
        if (!cookie)
            break;
    }
    if (request.followRanges)
        fetchRanges(connection, outcome.entries, request.label);
    if (request.stream) {
        for (auto& entry : outcome.entries)
            request.stream(std::move(entry));
        outcome.entries.clear();
    }
    return outcome;
}

// Entries and references up to the result message, whose code, diagnostic and referrals go into
// outcome; returns the result's controls (the paging cookie).
Controls Searcher::receiveAnswer(Connection& connection, int msgid, const std::string& what,
                                 const SearchRequest& request, SearchOutcome& outcome) {
    LDAP* ld = connection.handle();
    Controls responseControls;
    for (bool done = false; !done;) {
        Message message = connection.next(msgid, what, streamed_ + outcome.entries.size());
        switch (ldap_msgtype(message.get())) {
        case LDAP_RES_SEARCH_ENTRY: {
            {
                PhaseSpan decoding(Phase::Decode);
                decodeEntry(ld, message.get(), connection.uri(), decoded_);
            }
            message.reset(); // the BER copy is no longer needed
            if (request.stream && pendingRanges_.empty() && outcome.entries.empty()) {
                ++streamed_;
                request.stream(std::move(decoded_));
            } else {
                outcome.entries.push_back(std::move(decoded_));
            }
            break;
        }
        case LDAP_RES_SEARCH_REFERENCE:
            ++outcome.references;
            break;
        case LDAP_RES_SEARCH_RESULT: {
            int code = LDAP_OTHER;
            char* diagnostic = nullptr;
            char** referrals = nullptr;
            LDAPControl** controls = nullptr;
            int rc = ldap_parse_result(ld, message.get(), &code, nullptr, &diagnostic, &referrals,
                                       &controls, 0);
            LdapText diagnosticHolder(diagnostic);
            LdapTexts referralHolder(referrals);
            responseControls.reset(controls);
            if (rc != LDAP_SUCCESS)
                connection.failLost(rc, what, receivedSoFar(streamed_ + outcome.entries.size()));
            outcome.resultCode = code;
            outcome.diagnostic = trimmedDiagnostic(diagnostic);
            for (char** r = referrals; r && *r; ++r)
                outcome.referrals.push_back(*r);
            done = true;
            break;
        }
        default:
            break; // intermediate responses etc.: not part of a search we asked for
        }
    }
    return responseControls;
}

// One pass over the entry's BER: the DN, then each attribute with its values as it comes, where
// ldap_get_values_len per attribute re-read the entry from its start each time (61% of decoding,
// issue 10). liblber cuts the attribute list into attributes and readPartialAttribute reads each
// in place (ldap_get_attribute_ber's format parsing and value arrays were half of what was left).
// An attribute that does not decode stops the collection: libldap's reader ended the list there
// and the entry went on without the rest of its attributes, which the rules would have read as
// absent, that is as the defaults. Values point into the message until copied here,
// into the strings entry already holds where it can: a spent entry handed back by the stream
// has about the same attributes, so at 10,000 virtual servers the decoding allocates almost
// nothing, and the builder thread frees nothing the network thread allocated.
void Searcher::failUndecodable(const DirectoryEntry& entry, const std::string& origin,
                               const std::string& problem) {
    fail("the entry " + entry.dn + " from " + origin + " has an attribute that is not valid BER (" +
         problem +
         "); the collection stops rather than judge the entry on part of its attributes. Check "
         "the server and anything between it and this host that rewrites LDAP traffic");
}

void Searcher::decodeEntry(LDAP* ld, LDAPMessage* message, const std::string& origin,
                           DirectoryEntry& entry) {
    entry.origin.assign(origin);
    entry.dn.clear();
    BerElement* rawBer = nullptr;
    berval dn{};
    int rc = ldap_get_dn_ber(ld, message, &rawBer, &dn);
    BerElementPtr ber(rawBer);
    if (rc != LDAP_SUCCESS) {
        entry.attributes.clear();
        return; // no DN, no attributes: the builder reports the entry as malformed
    }
    entry.dn.assign(dn.bv_val, dn.bv_len);
    // The objects asked for carry about 15 attributes: one allocation instead of a vector that
    // grows (and moves every attribute) four times.
    entry.attributes.reserve(24);
    std::size_t used = 0; // attributes of this entry; those after them are spent ones to reuse
    std::string_view type;
    while (ber_remaining(ber.get()) > 0) {
        berval attribute{};
        if (ber_skip_element(ber.get(), &attribute) == LBER_DEFAULT)
            failUndecodable(entry, origin, "an attribute is cut short or has an impossible length");
        if (auto problem = readPartialAttribute(
                std::string_view(attribute.bv_val, attribute.bv_len), type, values_))
            failUndecodable(entry, origin, problem->describe());
        // Options are dropped ("x;binary" is x); a range that does not end in "*" means more
        // values wait on the server.
        const auto description = splitAttributeDescription(type);
        if (description.range)
            if (auto nextLow = description.range->nextLow())
                pendingRanges_.push_back({entry.dn, std::string(description.type), *nextLow});
        DirectoryAttribute* target = nullptr;
        for (std::size_t i = 0; i < used; ++i)
            if (equalsIgnoreCase(entry.attributes[i].name, description.type))
                target = &entry.attributes[i];
        std::size_t valueCount = 0; // values of target already this entry's
        if (target) {
            valueCount = target->values.size();
        } else {
            if (used == entry.attributes.size())
                entry.attributes.emplace_back();
            target = &entry.attributes[used++];
            target->name.assign(description.type);
        }
        for (std::string_view value : values_) {
            if (valueCount < target->values.size())
                target->values[valueCount].assign(value);
            else
                target->values.emplace_back(value);
            ++valueCount;
        }
        target->values.resize(valueCount);
    }
    entry.attributes.resize(used);
}

// Attribute range retrieval (AD MaxValRange): "x;range=0-1499" came back, so ask for
// "x;range=1500-*" with base searches until the server answers with a range ending in "*".
void Searcher::fetchRanges(Connection& connection, std::vector<DirectoryEntry>& entries,
                           const std::string& label) {
    auto pending = std::exchange(pendingRanges_, {});
    for (const auto& range : pending) {
        auto entry = std::find_if(entries.begin(), entries.end(),
                                  [&](const DirectoryEntry& e) { return e.dn == range.dn; });
        if (entry == entries.end())
            continue;
        auto targetIndex = entry->attributes.size();
        for (std::size_t i = 0; i < entry->attributes.size(); ++i)
            if (equalsIgnoreCase(entry->attributes[i].name, range.attribute))
                targetIndex = i;
        if (targetIndex == entry->attributes.size())
            entry->attributes.push_back({range.attribute, {}});
        auto& target = entry->attributes[targetIndex];
        std::uint64_t low = range.nextLow;
        for (int round = 1;; ++round) {
            if (round > kMaxRangeRounds)
                fail("the range retrieval of " + printable(range.attribute) + " on " +
                     printable(range.dn) +
                     " does not end; the collection is incomplete; nothing was written");
            SearchRequest request;
            request.label = "the range retrieval of " + printable(range.attribute) +
                            " (values from " + std::to_string(low) + ") of an entry found by " +
                            label;
            request.base = range.dn;
            request.scope = LDAP_SCOPE_BASE;
            request.attributes = {range.attribute + ";" + rangeOptionFrom(low)};
            request.followRanges = false;
            auto outcome = run(connection, request);
            auto further = std::exchange(pendingRanges_, {});
            if (!outcome.ok() || outcome.entries.empty())
                fail("cannot read the rest of " + printable(range.attribute) + " of " +
                     printable(range.dn) + " (values from " + std::to_string(low) + "): " +
                     (outcome.ok() ? std::string("the entry is gone") : outcome.describe()) +
                     "; the collection is incomplete; nothing was written");
            for (auto& attribute : outcome.entries.front().attributes)
                if (equalsIgnoreCase(attribute.name, range.attribute))
                    for (auto& value : attribute.values)
                        target.values.push_back(std::move(value));
            auto next = std::find_if(further.begin(), further.end(), [&](const auto& r) {
                return equalsIgnoreCase(r.attribute, range.attribute);
            });
            if (next == further.end())
                break; // the server said "-*": that was the last range
            if (next->nextLow <= low)
                fail("the server's answer to " + request.label +
                     " does not advance; the collection is incomplete; nothing was written");
            low = next->nextLow;
        }
        say("range retrieval of " + printable(range.attribute) + " on " + printable(range.dn, 80) +
            ": " + std::to_string(target.values.size()) + " values");
    }
}

} // namespace relayaudit::ldapcollect
