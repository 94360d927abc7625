#include "build_domains.h"

#include "build_common.h"
#include "directory_facts.h"
#include "dn.h"
#include "ldap_values.h"
#include "sid.h"
#include "string_helpers.h"

#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace relayaudit::build {

namespace {

struct DomainRecord {
    std::string key; // the lower-case DN the table finds it and orders it by
    std::string dn;
    std::string dnsName;
    std::string netbiosName;
    std::string sid;
    std::string sidProblem;
    bool headInInput = false;
    bool listedInPartitions = false;
    const DirectoryEntry* guest = nullptr;
    std::string unreadableReason;
};

// The domains met so far, keyed by lower-case DN. Found through a hash map and put in DN order
// once, at the end: a std::map walked a tree of 10,000 domains for each of the three lookups
// per domain, a cache miss per level, which made the snapshot of the hostile "10,000 domains"
// shape cost 12-14x its tenth in time (the instructions were 10x).
class DomainTable {
public:
    DomainRecord& recordFor(const std::string& dn) {
        std::string key = toLowerAscii(dn);
        if (auto found = byKey_.find(key); found != byKey_.end())
            return *found->second;
        auto& record = records_.emplace_back();
        record.key = std::move(key);
        record.dn = dn;
        if (auto parsed = parseDn(dn); parsed.ok())
            record.dnsName = dnsNameOfDomainDn(parsed.value());
        byKey_.emplace(record.key, &record);
        return record;
    }
    // Gives a domain its SID. Several domains may claim one SID (a damaged or hostile input);
    // the one whose DN sorts last owns it, as it did when the lookup was a scan of the table.
    void assignSid(DomainRecord& record, const std::string& sid) {
        record.sid = sid;
        auto [it, inserted] = bySid_.try_emplace(sid, &record);
        if (!inserted && it->second->key < record.key)
            it->second = &record;
    }
    // The domain of a SID, by index: one lookup per Guest-SID account rather than a scan of
    // every domain, which made many domains with many Guest accounts quadratic.
    DomainRecord* withSid(const std::string& sid) {
        auto it = bySid_.find(sid);
        if (it == bySid_.end())
            return nullptr;
        return it->second->sid == sid ? it->second : nullptr;
    }
    // Every domain, in the order of their lower-case DNs.
    std::vector<const DomainRecord*> inDnOrder() const {
        std::vector<const DomainRecord*> sorted;
        sorted.reserve(records_.size());
        for (const auto& record : records_)
            sorted.push_back(&record);
        std::sort(sorted.begin(), sorted.end(),
                  [](const DomainRecord* a, const DomainRecord* b) { return a->key < b->key; });
        return sorted;
    }

private:
    std::deque<DomainRecord> records_; // a deque: records do not move as more are added
    std::unordered_map<std::string_view, DomainRecord*> byKey_; // views of the records' keys
    std::unordered_map<std::string, DomainRecord*> bySid_;      // SID to the owning domain
};

void appendGuest(pugi::xml_node domainNode, const DirectoryEntry& guest) {
    auto node = domainNode.append_child("guest");
    set(node, "dn", guest.dn);
    set(node, "name", friendlyName(guest));
    if (const auto* account = guest.first("sAMAccountName"))
        set(node, "samAccountName", *account);
    if (const auto* sid = guest.first("objectSid")) {
        auto decoded = decodeSid(bytesOf(*sid));
        if (decoded.ok())
            set(node, "sid", decoded.value());
    }
    const auto* control = guest.first("userAccountControl");
    if (control && valueCount(guest, "userAccountControl") > 1) {
        set(node, "enabled", "unknown");
        set(node, "reason", "userAccountControl has several values; it is single-valued");
        return;
    }
    if (!control) {
        set(node, "enabled", "unknown");
        set(node, "reason",
            "userAccountControl is not in the input (not exported or not readable)");
        return;
    }
    set(node, "userAccountControl", *control);
    auto parsed = parseLdapInteger(*control);
    if (!parsed) {
        set(node, "enabled", "unknown");
        set(node, "reason", "userAccountControl is not an integer");
        return;
    }
    set(node, "enabled", boolText((*parsed & kAccountDisabled) == 0));
}

// Orders Guest candidates by how much they matter: enabled, then unknown, then disabled.
int guestRisk(const DirectoryEntry& guest) {
    const auto* control = guest.first("userAccountControl");
    auto parsed = control ? parseLdapInteger(*control) : std::nullopt;
    if (!parsed || valueCount(guest, "userAccountControl") != 1)
        return 1;
    return (*parsed & kAccountDisabled) == 0 ? 2 : 0;
}

bool isUnderDn(std::string_view dn, std::string_view ancestor) {
    return dn.size() > ancestor.size() + 1 && dn[dn.size() - ancestor.size() - 1] == ',' &&
           equalsIgnoreCase(dn.substr(dn.size() - ancestor.size()), ancestor);
}

// Domain partitions listed in CN=Partitions, with their DNS and NetBIOS names.
void readPartitions(DomainTable& domains, const std::vector<const DirectoryEntry*>& entries) {
    for (const auto* entry : entries) {
        if (!entry->hasObjectClass("crossRef"))
            continue;
        auto flags = readInteger(*entry, "systemFlags", 0);
        const auto* namingContext = entry->first("nCName");
        if (!namingContext || !flags.valid || !(flags.value & kCrossRefDomainPartition))
            continue;
        auto& record = domains.recordFor(*namingContext);
        record.listedInPartitions = true;
        if (const auto* dns = entry->first("dnsRoot"))
            record.dnsName = *dns;
        if (const auto* netbios = entry->first("nETBIOSName"))
            record.netbiosName = *netbios;
    }
}

// Domain heads in the input give the domain SID the Guest is found by.
void readDomainHeads(DomainTable& domains, const std::vector<const DirectoryEntry*>& entries) {
    for (const auto* entry : entries) {
        if (!entry->hasObjectClass("domainDNS") && !entry->hasObjectClass("domain"))
            continue;
        auto& record = domains.recordFor(entry->dn);
        record.headInInput = true;
        if (const auto* sid = entry->first("objectSid")) {
            auto decoded = decodeSid(bytesOf(*sid));
            if (decoded.ok())
                domains.assignSid(record, decoded.value());
            else
                record.sidProblem = "objectSid does not parse: " + decoded.error().describe();
        } else {
            record.sidProblem = "the domain head has no objectSid in the input";
        }
    }
}

// The Guest is found by SID (domain SID + RID 501), never by name: it can be renamed.
// Only accounts count: a foreignSecurityPrincipal in another domain carries the same SID and
// would otherwise stand in for the real (possibly enabled) Guest.
void placeGuests(DomainTable& domains, const std::vector<const DirectoryEntry*>& entries) {
    for (const auto* entry : entries) {
        const auto* sid = entry->first("objectSid");
        if (!sid || !entry->hasObjectClass("user") ||
            entry->hasObjectClass("foreignSecurityPrincipal"))
            continue;
        auto decoded = decodeSid(bytesOf(*sid));
        if (!decoded.ok() || relativeIdOf(decoded.value()) != kGuestRelativeId)
            continue;
        auto domainSid = domainPartOf(decoded.value());
        if (!domainSid || !domainSid->starts_with("S-1-5-21-"))
            continue;
        DomainRecord* owner = domains.withSid(*domainSid);
        if (!owner) {
            // The domain head was not exported: place the Guest by its DN's DC= suffix. A DN that
            // does not parse places it nowhere; forest/malformedDn reports the entry.
            auto parsed = parseDn(entry->dn);
            auto suffix = parsed.ok() ? domainSuffixOf(parsed.value()) : std::string();
            if (suffix.empty())
                continue;
            owner = &domains.recordFor(suffix);
            if (owner->sid.empty())
                domains.assignSid(*owner, *domainSid);
        }
        if (!isUnderDn(entry->dn, owner->dn))
            continue; // a copy of the SID outside its domain is not that domain's Guest
        // Two accounts with the Guest's SID cannot both be real; judge by the riskier one.
        if (!owner->guest || guestRisk(*entry) > guestRisk(*owner->guest))
            owner->guest = entry;
    }
}

void appendDomain(pugi::xml_node domainsNode, const DomainRecord& record,
                  const CollectionContext& context) {
    auto node = domainsNode.append_child("domain");
    set(node, "dn", record.dn);
    set(node, "dnsName", record.dnsName);
    if (!record.netbiosName.empty())
        set(node, "netbiosName", record.netbiosName);
    if (!record.sid.empty())
        set(node, "sid", record.sid);
    set(node, "inPartitions", boolText(record.listedInPartitions));
    set(node, "headInInput", boolText(record.headInInput));
    if (record.guest) {
        set(node, "guestStatus", "found");
        appendGuest(node, *record.guest);
    } else if (!record.unreadableReason.empty()) {
        set(node, "guestStatus", "unreadable");
        set(node, "reason", record.unreadableReason);
    } else if (!record.headInInput && context.sourceKind == "ldif") {
        set(node, "guestStatus", "not-in-input");
        set(node, "reason",
            "the input holds no entries of this domain; add an export of it "
            "(ldapsearch -b " +
                record.dn + " or ldifde -d " + record.dn + ")");
    } else if (!record.sidProblem.empty()) {
        set(node, "guestStatus", "unreadable");
        set(node, "reason", record.sidProblem);
    } else {
        set(node, "guestStatus", "not-found");
        set(node, "reason",
            "no account with SID " + record.sid + "-501 in the " +
                (context.sourceKind == "ldif" ? "input" : "directory"));
    }
}

} // namespace

void appendDomains(pugi::xml_node root, const std::vector<const DirectoryEntry*>& entries,
                   const CollectionContext& context) {
    DomainTable domains;
    readPartitions(domains, entries);
    readDomainHeads(domains, entries);
    placeGuests(domains, entries);
    for (const auto& unreadable : context.unreadableDomains)
        domains.recordFor(unreadable.domainDn).unreadableReason = unreadable.reason;

    auto domainsNode = root.append_child("domains");
    for (const DomainRecord* record : domains.inDnOrder())
        appendDomain(domainsNode, *record, context);
}

} // namespace relayaudit::build
