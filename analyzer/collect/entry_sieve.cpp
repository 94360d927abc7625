#include "entry_sieve.h"

#include "builder/build_servers.h"
#include "directory_facts.h"
#include "fingerprint.h"
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

} // namespace

std::optional<std::string> configurationSuffixOf(const DistinguishedName& names) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (equalsIgnoreCase(names[i].type(), "CN") &&
            equalsIgnoreCase(names[i].value(), "Configuration") && i + 1 < names.size() &&
            equalsIgnoreCase(names[i + 1].type(), "DC"))
            return domainSuffixOf(names);
    return std::nullopt;
}

namespace {

// usedBySnapshot with the DN already parsed: the sieve parses each DN once.
bool usedBySnapshot(const DirectoryEntry& entry, const Decoded<DistinguishedName>& parsed) {
    for (const char* objectClass : kBuiltClasses)
        if (entry.hasObjectClass(objectClass))
            return true;
    return mayBeGuest(entry) || !parsed.ok() ||
           build::isExchangeServicesContainer(build::ParsedDn(parsed));
}

} // namespace

std::size_t DnFingerprintHash::operator()(const std::array<std::uint8_t, 16>& fingerprint) const {
    return FingerprintHash{}(fingerprint);
}

bool usedBySnapshot(const DirectoryEntry& entry) {
    return usedBySnapshot(entry, parseDn(entry.dn));
}

void SnapshotEntrySieve::add(DirectoryEntry&& entry) {
    ++read_;
    if (!seenDns_.insert(fingerprintOf(toLowerAscii(entry.dn))).second) {
        ++duplicates_;
        return;
    }
    const auto parsed = parseDn(entry.dn);
    bool keep = usedBySnapshot(entry, parsed);
    if (!configurationNamed_ && parsed.ok() && configurationSuffixOf(parsed.value())) {
        configurationNamed_ = true;
        keep = true;
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
