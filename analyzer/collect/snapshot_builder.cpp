// The snapshot document from directory entries: the header, the forest, then each object kind
// by its own builder (builder/build_*.cpp).
#include "snapshot_builder.h"

#include "builder/build_common.h"
#include "builder/build_domains.h"
#include "builder/build_receive_connector.h"
#include "builder/build_servers.h"
#include "builder/build_smtp_connector.h"
#include "builder/build_virtual_server.h"
#include "dn.h"
#include "entry_sieve.h"
#include "string_helpers.h"
#include "text_encoding.h"

#include <utility>

namespace relayaudit {

namespace {

using build::friendlyName;
using build::set;

void appendForest(pugi::xml_node root, const std::vector<const DirectoryEntry*>& unique,
                  std::size_t duplicates, const std::vector<std::array<std::string, 3>>& malformed,
                  const CollectionContext& context) {
    std::string configurationNC = context.configurationNC;
    std::string rootDomainNC = context.rootDomainNC;
    for (const auto* entry : unique) {
        if (!configurationNC.empty())
            break;
        // Without a rootDSE, the configuration NC is where CN=Configuration sits in the DNs.
        auto parsed = parseDn(entry->dn);
        if (!parsed.ok())
            continue;
        if (auto suffix = configurationSuffixOf(parsed.value())) {
            configurationNC = "CN=Configuration," + *suffix;
            if (rootDomainNC.empty())
                rootDomainNC = *suffix;
        }
    }
    auto forest = root.append_child("forest");
    set(forest, "configurationNC", configurationNC);
    set(forest, "rootDomainNC", rootDomainNC);
    set(forest, "entries", std::to_string(unique.size() + context.entriesLeftOut));
    set(forest, "duplicateEntries", std::to_string(duplicates + context.duplicateEntriesLeftOut));
    // Every entry whose DN does not parse, whatever its kind: its place in the tree is unknown,
    // so it is kept visible here rather than dropped or guessed from a partial parse.
    for (const auto& [dn, origin, reason] : malformed) {
        auto node = forest.append_child("malformedDn");
        set(node, "dn", dn);
        set(node, "origin", origin);
        set(node, "reason", reason);
    }
    build::appendUnreadable(forest, unique, context);
}

} // namespace

// Several exports may overlap: the first entry of a DN wins, later copies are counted.
bool SnapshotBuilder::firstOfItsDn(const DirectoryEntry& entry) {
    if (seen_.insert(toLowerAscii(entry.dn)).second)
        return true;
    ++duplicates_;
    return false;
}

SnapshotBuilder::SnapshotBuilder(pugi::xml_document& snapshot) : snapshot_(snapshot) {
    snapshot_.reset();
    root_ = snapshot_.append_child("snapshot");
    virtualServers_ = root_.append_child("pending");
    receiveConnectors_ = root_.append_child("pending");
    smtpConnectors_ = root_.append_child("pending");
}

// What the builders of finish() read of an object built at once: where it is and what it is.
DirectoryEntry SnapshotBuilder::placeOnly(const DirectoryEntry& entry) {
    DirectoryEntry stub;
    stub.dn = entry.dn;
    stub.origin = entry.origin;
    if (const auto* classes = entry.find("objectClass"))
        stub.attributes.push_back(*classes);
    return stub;
}

bool SnapshotBuilder::buildAtOnce(const DirectoryEntry& entry,
                                  const Decoded<DistinguishedName>& parsedDn) {
    if (entry.hasObjectClass("protocolCfgSMTPServer"))
        build::appendVirtualServer(virtualServers_, entry, parsedDn);
    if (entry.hasObjectClass("msExchSmtpReceiveConnector"))
        build::appendReceiveConnector(receiveConnectors_, entry, parsedDn);
    if (entry.hasObjectClass("msExchRoutingSMTPConnector"))
        build::appendSmtpConnector(smtpConnectors_, entry, parsedDn);
    // Organisations, servers, domains and accounts are read again by finish(): kept whole.
    return !entry.hasObjectClass("msExchOrganizationContainer") &&
           !entry.hasObjectClass("msExchExchangeServer") && !entry.find("objectSid") &&
           (entry.hasObjectClass("protocolCfgSMTPServer") ||
            entry.hasObjectClass("msExchSmtpReceiveConnector") ||
            entry.hasObjectClass("msExchRoutingSMTPConnector"));
}

// Every entry whose DN does not parse, whatever its kind: its place in the tree is unknown, so it
// is kept visible in the forest rather than dropped or guessed from a partial parse.
void SnapshotBuilder::noteMalformed(const DirectoryEntry& entry,
                                    const Decoded<DistinguishedName>& parsedDn) {
    if (!parsedDn.ok())
        malformed_.push_back({entry.dn, entry.origin, parsedDn.error().describe()});
}

// Each DN is parsed here once, for the builders at once and for forest/malformedDn (a DN parse
// is the dearest step of building a virtual server).
void SnapshotBuilder::add(const DirectoryEntry& entry) {
    if (!firstOfItsDn(entry))
        return;
    auto parsedDn = parseDn(entry.dn);
    noteMalformed(entry, parsedDn);
    kept_.push_back(buildAtOnce(entry, parsedDn) ? placeOnly(entry) : entry);
}

void SnapshotBuilder::add(DirectoryEntry&& entry) {
    if (!firstOfItsDn(entry))
        return;
    auto parsedDn = parseDn(entry.dn);
    noteMalformed(entry, parsedDn);
    kept_.push_back(buildAtOnce(entry, parsedDn) ? placeOnly(entry) : std::move(entry));
}

void SnapshotBuilder::finish(const CollectionContext& context) {
    auto root = root_;
    set(root, "formatVersion", kSnapshotFormatVersion);
    set(root, "tool", "relayaudit");
    set(root, "toolVersion", context.toolVersion);
    set(root, "collectedAt", context.collectedAt);
    set(root, "source", context.sourceKind);
    for (const auto& input : context.inputs)
        root.append_child("input").text().set(xmlSafeText(input).c_str());
    for (const auto& note : context.notes)
        root.append_child("note").text().set(xmlSafeText(note).c_str());

    std::vector<const DirectoryEntry*> unique;
    unique.reserve(kept_.size());
    for (const auto& entry : kept_)
        unique.push_back(&entry);
    appendForest(root, unique, duplicates_, malformed_, context);
    build::appendDomains(root, unique, context);
    auto exchange = root.append_child("exchange");
    build::appendOrganizationsAndServers(exchange, unique);
    // The objects built at once, in the order they came, after the organisations and servers.
    for (auto holder : {virtualServers_, receiveConnectors_, smtpConnectors_}) {
        while (auto child = holder.first_child())
            exchange.append_move(child);
        root.remove_child(holder);
    }
    kept_.clear();
    seen_.clear();
    malformed_.clear();
}

void buildSnapshot(const std::vector<DirectoryEntry>& entries, const CollectionContext& context,
                   pugi::xml_document& snapshot) {
    SnapshotBuilder builder(snapshot);
    for (const auto& entry : entries)
        builder.add(entry);
    builder.finish(context);
}

} // namespace relayaudit
