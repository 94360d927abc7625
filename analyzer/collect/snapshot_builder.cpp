// The snapshot document from directory entries: the header, the forest, then each object kind
// by its own builder (builder/build_*.cpp).
#include "snapshot_builder.h"

#include "builder/build_common.h"
#include "builder/build_domains.h"
#include "builder/build_receive_connector.h"
#include "builder/build_servers.h"
#include "builder/build_smtp_connector.h"
#include "builder/build_virtual_server.h"
#include "builder/dn_tree.h"
#include "dn.h"
#include "entry_sieve.h"
#include "string_helpers.h"
#include "text_encoding.h"

#include <utility>

namespace relayaudit {

namespace {

using build::friendlyName;
using build::set;

void appendForest(pugi::xml_node root, std::size_t unique, std::size_t duplicates,
                  const std::vector<std::array<std::string, 3>>& malformed,
                  const std::optional<std::string>& configurationSuffix,
                  const CollectionContext& context) {
    std::string configurationNC = context.configurationNC;
    std::string rootDomainNC = context.rootDomainNC;
    // Without a rootDSE, the configuration NC is where CN=Configuration sits in the DNs.
    if (configurationNC.empty() && configurationSuffix) {
        configurationNC = "CN=Configuration," + *configurationSuffix;
        if (rootDomainNC.empty())
            rootDomainNC = *configurationSuffix;
    }
    auto forest = root.append_child("forest");
    set(forest, "configurationNC", configurationNC);
    set(forest, "rootDomainNC", rootDomainNC);
    set(forest, "entries", std::to_string(unique + context.entriesLeftOut));
    set(forest, "duplicateEntries", std::to_string(duplicates + context.duplicateEntriesLeftOut));
    // Every entry whose DN does not parse, whatever its kind: its place in the tree is unknown,
    // so it is kept visible here rather than dropped or guessed from a partial parse.
    for (const auto& [dn, origin, reason] : malformed) {
        auto node = forest.append_child("malformedDn");
        set(node, "dn", dn);
        set(node, "origin", origin);
        set(node, "reason", reason);
    }
}

} // namespace

struct SnapshotBuilder::Places {
    std::optional<std::string> configurationSuffix; // of the first DN under CN=Configuration
    bool organizationSeen = false;
    std::optional<std::string> exchangeContainerDn; // the first one, in input order
    build::DnTree tree;
    std::vector<build::VisibleObjects> visible; // per place of the tree

    void count(const DistinguishedName& dn, bool server, bool virtualServer, bool connector) {
        auto parent = tree.addParentOf(dn);
        if (!parent)
            return;
        visible.resize(tree.size());
        for (auto place = *parent; place != build::DnTree::kRoot; place = tree.parentOf(place)) {
            visible[place].servers += server;
            visible[place].virtualServers += virtualServer;
            visible[place].receiveConnectors += connector;
        }
    }

    build::VisibleObjects under(const DirectoryEntry& entry) const {
        auto parsed = parseDn(entry.dn);
        if (!parsed.ok())
            return {};
        auto place = tree.find(parsed.value());
        return place ? visible[*place] : build::VisibleObjects{};
    }
};

SnapshotBuilder::~SnapshotBuilder() = default;

// Several exports may overlap: the first entry of a DN wins, later copies are counted.
bool SnapshotBuilder::firstOfItsDn(const DirectoryEntry& entry) {
    if (seen_.insert(toLowerAscii(entry.dn)).second) {
        ++unique_;
        return true;
    }
    ++duplicates_;
    return false;
}

SnapshotBuilder::SnapshotBuilder(pugi::xml_document& snapshot, RawValues rawValues)
    : snapshot_(snapshot), rawValues_(rawValues == RawValues::Kept),
      places_(std::make_unique<Places>()) {
    snapshot_.reset();
    root_ = snapshot_.append_child("snapshot");
    virtualServers_ = root_.append_child("pending");
    receiveConnectors_ = root_.append_child("pending");
    smtpConnectors_ = root_.append_child("pending");
}

bool SnapshotBuilder::buildAtOnce(const DirectoryEntry& entry,
                                  const Decoded<DistinguishedName>& parsedDn) {
    bool built = false;
    if (entry.hasObjectClass("protocolCfgSMTPServer")) {
        build::appendVirtualServer(virtualServers_, entry, parsedDn, rawValues_);
        built = true;
    }
    if (entry.hasObjectClass("msExchSmtpReceiveConnector")) {
        build::appendReceiveConnector(receiveConnectors_, entry, parsedDn, rawValues_);
        built = true;
    }
    if (entry.hasObjectClass("msExchRoutingSMTPConnector")) {
        build::appendSmtpConnector(smtpConnectors_, entry, parsedDn, rawValues_);
        built = true;
    }
    // Organisations, servers, domains and accounts are read again by finish(): kept whole.
    return built && !entry.hasObjectClass("msExchOrganizationContainer") &&
           !entry.hasObjectClass("msExchExchangeServer") && !entry.find("objectSid");
}

void SnapshotBuilder::notePlace(const DirectoryEntry& entry,
                                const Decoded<DistinguishedName>& parsedDn) {
    // Every entry whose DN does not parse, whatever its kind: its place in the tree is unknown,
    // so it is kept visible in the forest rather than dropped or guessed from a partial parse.
    if (!parsedDn.ok()) {
        malformed_.push_back({entry.dn, entry.origin, parsedDn.error().describe()});
    } else if (!places_->configurationSuffix) {
        places_->configurationSuffix = configurationSuffixOf(parsedDn.value());
    }
    if (entry.hasObjectClass("msExchOrganizationContainer"))
        places_->organizationSeen = true;
    if (!places_->exchangeContainerDn && build::isExchangeContainer(entry, parsedDn))
        places_->exchangeContainerDn = entry.dn;
    bool server = entry.hasObjectClass("msExchExchangeServer");
    bool virtualServer = entry.hasObjectClass("protocolCfgSMTPServer");
    bool connector = entry.hasObjectClass("msExchSmtpReceiveConnector");
    if (parsedDn.ok() && (server || virtualServer || connector))
        places_->count(parsedDn.value(), server, virtualServer, connector);
}

// Each DN is parsed here once, for the builders at once and for what finish() needs of it (a DN
// parse is the dearest step of building a virtual server).
void SnapshotBuilder::add(const DirectoryEntry& entry) {
    if (!firstOfItsDn(entry))
        return;
    auto parsedDn = parseDn(entry.dn);
    notePlace(entry, parsedDn);
    if (!buildAtOnce(entry, parsedDn))
        kept_.push_back(entry);
}

void SnapshotBuilder::add(DirectoryEntry&& entry) {
    if (!firstOfItsDn(entry))
        return;
    auto parsedDn = parseDn(entry.dn);
    notePlace(entry, parsedDn);
    if (!buildAtOnce(entry, parsedDn))
        kept_.push_back(std::move(entry));
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
    appendForest(root, unique_, duplicates_, malformed_, places_->configurationSuffix, context);
    build::appendUnreadable(root.child("forest"), places_->organizationSeen,
                            places_->exchangeContainerDn, context);
    build::appendDomains(root, unique, context);
    auto exchange = root.append_child("exchange");
    build::appendOrganizationsAndServers(
        exchange, unique, [this](const DirectoryEntry& entry) { return places_->under(entry); });
    // The objects built at once, in the order they came, after the organisations and servers.
    for (auto holder : {virtualServers_, receiveConnectors_, smtpConnectors_}) {
        while (auto child = holder.first_child())
            exchange.append_move(child);
        root.remove_child(holder);
    }
    kept_.clear();
    seen_.clear();
    malformed_.clear();
    unique_ = duplicates_ = 0;
    places_ = std::make_unique<Places>();
}

void buildSnapshot(const std::vector<DirectoryEntry>& entries, const CollectionContext& context,
                   pugi::xml_document& snapshot, RawValues rawValues) {
    SnapshotBuilder builder(snapshot, rawValues);
    for (const auto& entry : entries)
        builder.add(entry);
    builder.finish(context);
}

} // namespace relayaudit
