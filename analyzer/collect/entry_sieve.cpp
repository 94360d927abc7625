#include "entry_sieve.h"

#include "directory_facts.h"
#include "sid.h"
#include "string_helpers.h"

#include <cstdint>
#include <span>

namespace relayaudit {

namespace {

// The object classes the builders build (build_servers, build_virtual_server,
// build_receive_connector, build_smtp_connector), read facts from (build_domains) or look for
// (build_servers: appendUnreadable).
constexpr const char* kBuiltClasses[] = {"msExchOrganizationContainer",
                                         "msExchExchangeServer",
                                         "protocolCfgSMTPServer",
                                         "msExchSmtpReceiveConnector",
                                         "msExchRoutingSMTPConnector",
                                         "crossRef",
                                         "domainDNS",
                                         "domain",
                                         "msExchConfigurationContainer"};

// build_domains placeGuests: a user whose SID has RID 501 may be a domain's Guest.
bool mayBeGuest(const DirectoryEntry& entry) {
    const auto* sid = entry.first("objectSid");
    if (!sid || !entry.hasObjectClass("user"))
        return false;
    auto decoded =
        decodeSid(std::span(reinterpret_cast<const std::uint8_t*>(sid->data()), sid->size()));
    return decoded.ok() && relativeIdOf(decoded.value()) == kGuestRelativeId;
}

// build_servers appendUnreadable: "CN=Microsoft Exchange,CN=Services,..." without the class.
bool isExchangeServicesContainer(const DistinguishedName& names) {
    return names.size() > 2 && equalsIgnoreCase(names[0].type(), "CN") &&
           equalsIgnoreCase(names[0].value(), "Microsoft Exchange") &&
           equalsIgnoreCase(names[1].value(), "Services");
}

} // namespace

std::optional<std::string> configurationSuffixOf(const DistinguishedName& names) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (equalsIgnoreCase(names[i].type(), "CN") &&
            equalsIgnoreCase(names[i].value(), "Configuration") && i + 1 < names.size() &&
            equalsIgnoreCase(names[i + 1].type(), "DC"))
            return domainSuffixOf(names);
    return std::nullopt;
}

bool usedBySnapshot(const DirectoryEntry& entry) {
    for (const char* objectClass : kBuiltClasses)
        if (entry.hasObjectClass(objectClass))
            return true;
    if (mayBeGuest(entry))
        return true;
    auto parsed = parseDn(entry.dn);
    return !parsed.ok() || isExchangeServicesContainer(parsed.value());
}

void SnapshotEntrySieve::add(DirectoryEntry&& entry) {
    ++read_;
    if (!seenDns_.insert(toLowerAscii(entry.dn)).second) {
        ++duplicates_;
        return;
    }
    bool keep = usedBySnapshot(entry);
    if (!configurationNamed_) {
        auto parsed = parseDn(entry.dn);
        if (parsed.ok() && configurationSuffixOf(parsed.value())) {
            configurationNamed_ = true;
            keep = true;
        }
    }
    if (keep)
        kept_.push_back(std::move(entry));
    else
        ++leftOut_;
}

std::vector<DirectoryEntry> SnapshotEntrySieve::finish(CollectionContext& context) {
    context.entriesLeftOut += leftOut_;
    context.duplicateEntriesLeftOut += duplicates_;
    leftOut_ = duplicates_ = 0;
    return std::move(kept_);
}

} // namespace relayaudit
