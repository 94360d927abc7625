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
#include "builder/shared_names.h"
#include "dn.h"
#include "entry_sieve.h"
#include "string_helpers.h"
#include "text_encoding.h"

#include <functional>
#include <memory>
#include <string_view>
#include <unordered_map>
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

// What the builder knows of a parent DN, parsed once for all the siblings under it (in a
// directory, siblings are most of the entries: 100 virtual servers share one protocol container).
struct ParentFacts {
    std::string text; // the parent's DN as written in its children's DNs
    Decoded<DistinguishedName> names;
    std::optional<std::size_t> place; // in the DnTree, once a counted object sits under it
    std::optional<std::string> configurationSuffix;
};

struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
        return std::hash<std::string_view>{}(text);
    }
};

// The classes the builder acts on, read in one pass over objectClass (asking hasObjectClass for
// each scanned every attribute and value ten times per entry).
struct EntryClasses {
    bool virtualServer = false, receiveConnector = false, smtpConnector = false;
    bool organization = false, server = false, configurationContainer = false;

    explicit EntryClasses(const DirectoryEntry& entry) {
        const auto* classes = entry.find("objectClass");
        if (!classes)
            return;
        for (const auto& value : classes->values) {
            virtualServer = virtualServer || equalsIgnoreCase(value, "protocolCfgSMTPServer");
            receiveConnector =
                receiveConnector || equalsIgnoreCase(value, "msExchSmtpReceiveConnector");
            smtpConnector = smtpConnector || equalsIgnoreCase(value, "msExchRoutingSMTPConnector");
            organization = organization || equalsIgnoreCase(value, "msExchOrganizationContainer");
            server = server || equalsIgnoreCase(value, "msExchExchangeServer");
            configurationContainer =
                configurationContainer || equalsIgnoreCase(value, "msExchConfigurationContainer");
        }
    }
};

} // namespace

struct SnapshotBuilder::Places {
    std::optional<std::string> configurationSuffix; // of the first DN under CN=Configuration
    bool organizationSeen = false;
    std::optional<std::string> exchangeContainerDn; // the first one, in input order
    build::DnTree tree;
    std::vector<build::VisibleObjects> visible; // per place of the tree
    // Parents seen lately; dropped wholesale when full, so memory stays bounded whatever the order.
    static constexpr std::size_t kParentsKept = 1024;
    std::unordered_map<std::string, std::unique_ptr<ParentFacts>, TransparentHash, std::equal_to<>>
        parents;
    ParentFacts* lastParent = nullptr;

    ParentFacts& parentFacts(std::string_view text) {
        if (lastParent && lastParent->text == text)
            return *lastParent;
        auto found = parents.find(text);
        if (found == parents.end()) {
            if (parents.size() >= kParentsKept)
                parents.clear();
            auto facts = std::make_unique<ParentFacts>(
                ParentFacts{std::string(text), parseDn(text), std::nullopt, std::nullopt});
            if (facts->names.ok())
                facts->configurationSuffix = configurationSuffixOf(facts->names.value());
            found = parents.emplace(facts->text, std::move(facts)).first;
        }
        lastParent = found->second.get();
        return *lastParent;
    }

    // What finish() needs of an entry, from the one parse of its DN: the organisation and Exchange
    // container seen, the counts under every place above it, and where each organisation and
    // server sits. `parentPlace` gives where the parent sits in the tree (asked only for those).
    void note(const DirectoryEntry& entry, const EntryClasses& classes,
              const build::ParsedDn& names,
              const std::function<std::optional<std::size_t>()>& parentPlace);

    void count(std::size_t parent, bool server, bool virtualServer, bool connector) {
        visible.resize(tree.size());
        for (auto place = parent; place != build::DnTree::kRoot; place = tree.parentOf(place)) {
            visible[place].servers += server;
            visible[place].virtualServers += virtualServer;
            visible[place].receiveConnectors += connector;
        }
    }

    // Where each organisation and server sits in the tree, by its DN as written: finish() reads
    // their counts without parsing their DNs again.
    std::unordered_map<std::string, std::size_t> placeOfContainer;

    build::VisibleObjects under(const DirectoryEntry& entry) const {
        auto found = placeOfContainer.find(entry.dn);
        if (found == placeOfContainer.end() || found->second >= visible.size())
            return {};
        return visible[found->second];
    }
};

namespace {

// configurationSuffixOf for a DN split into its leading RDN and its parent: a CN=Configuration
// deeper than the leading RDN is the parent's own answer; as the leading RDN, it counts when a
// DC= follows it, and the domain suffix (the trailing DC= run) is then the parent's.
std::optional<std::string> configurationSuffixOf(const RelativeName& leading,
                                                 const ParentFacts& parent) {
    if (parent.configurationSuffix)
        return parent.configurationSuffix;
    const auto& names = parent.names.value();
    if (equalsIgnoreCase(leading.type(), "CN") &&
        equalsIgnoreCase(leading.value(), "Configuration") && !names.empty() &&
        equalsIgnoreCase(names.front().type(), "DC"))
        return domainSuffixOf(names);
    return std::nullopt;
}

} // namespace

SnapshotBuilder::~SnapshotBuilder() = default;

// Several exports may overlap: the first entry of a DN wins, later copies are counted.
bool SnapshotBuilder::firstOfItsDn(const DirectoryEntry& entry) {
    // Lowered into a kept buffer: only a DN seen for the first time is copied, into the set.
    assignLowerAscii(lowered_, entry.dn);
    if (seen_.insert(lowered_)) {
        ++unique_;
        return true;
    }
    ++duplicates_;
    return false;
}

SnapshotBuilder::SnapshotBuilder(pugi::xml_document& snapshot, RawValues rawValues,
                                 ObjectBuilt objectBuilt)
    : snapshot_(snapshot), rawValues_(rawValues == RawValues::Kept),
      objectBuilt_(std::move(objectBuilt)), places_(std::make_unique<Places>()) {
    snapshot_.reset();
    root_ = snapshot_.append_child("snapshot");
    // The virtual servers, most of a large snapshot, go straight into the exchange element; the
    // connectors wait in holders, so that finish() can put each kind after the other.
    virtualServers_ = root_.append_child("exchange");
    namesHolder_ = root_.append_child("pending");
    names_ = SharedAttributeNames(namesHolder_);
    receiveConnectors_ = root_.append_child("pending");
    smtpConnectors_ = root_.append_child("pending");
}

namespace {

// Where the objects built at once go: the exchange element itself for virtual servers, a holder
// for each kind of connector until finish() moves them in place.
struct BuiltAtOnce {
    pugi::xml_node virtualServers, receiveConnectors, smtpConnectors;
    bool rawValues;
    const SnapshotBuilder::ObjectBuilt& objectBuilt;
};

// The holder's newest child is complete: tell the hook, with the place finish() moves it to.
void tellBuilt(const BuiltAtOnce& holders, pugi::xml_node holder) {
    if (!holders.objectBuilt)
        return;
    auto object = holder.last_child();
    thread_local std::string path; // one buffer: a string per object was an allocation each
    path.assign("/snapshot/exchange/").append(object.name());
    holders.objectBuilt(object, path);
}

// Builds virtual servers and connectors at once; true when the entry is not needed again.
bool buildAtOnce(const BuiltAtOnce& holders, const DirectoryEntry& entry,
                 const EntryClasses& classes, const build::ParsedDn& names) {
    bool built = false;
    if (classes.virtualServer) {
        build::appendVirtualServer(holders.virtualServers, entry, names, holders.rawValues);
        tellBuilt(holders, holders.virtualServers);
        built = true;
    }
    if (classes.receiveConnector) {
        build::appendReceiveConnector(holders.receiveConnectors, entry, names, holders.rawValues);
        tellBuilt(holders, holders.receiveConnectors);
        built = true;
    }
    if (classes.smtpConnector) {
        build::appendSmtpConnector(holders.smtpConnectors, entry, names, holders.rawValues);
        tellBuilt(holders, holders.smtpConnectors);
        built = true;
    }
    // Organisations, servers, domains and accounts are read again by finish(): kept whole.
    return built && !classes.organization && !classes.server && !entry.find("objectSid");
}

} // namespace

void SnapshotBuilder::Places::note(const DirectoryEntry& entry, const EntryClasses& classes,
                                   const build::ParsedDn& names,
                                   const std::function<std::optional<std::size_t>()>& parentPlace) {
    if (classes.organization)
        organizationSeen = true;
    if (!exchangeContainerDn &&
        (classes.configurationContainer || build::isExchangeServicesContainer(names)))
        exchangeContainerDn = entry.dn;
    const bool counted = classes.server || classes.virtualServer || classes.receiveConnector;
    const bool container = classes.organization || classes.server;
    if (!names.ok() || !(counted || container))
        return;
    auto parent = parentPlace();
    if (!parent)
        return;
    if (counted)
        count(*parent, classes.server, classes.virtualServer, classes.receiveConnector);
    if (container)
        placeOfContainer.emplace(entry.dn, tree.addChild(*parent, names[0]));
}

// Each DN is parsed once, its parent once for all siblings: the builders at once and finish()
// read that parse (parsing DNs was the dearest step of building a virtual server). A DN that does
// not split into a leading RDN and a parsing parent is parsed whole, which also says what is
// wrong with it.
bool SnapshotBuilder::placeAndBuild(const DirectoryEntry& entry) {
    const BuiltAtOnce holders{virtualServers_, receiveConnectors_, smtpConnectors_, rawValues_,
                              objectBuilt_};
    const EntryClasses classes(entry);
    if (auto leading = parseLeadingRdn(entry.dn)) {
        auto& parent = places_->parentFacts(std::string_view(entry.dn).substr(leading->parentAt));
        if (parent.names.ok()) {
            const build::ParsedDn names(leading->name, parent.names.value());
            if (!places_->configurationSuffix)
                places_->configurationSuffix = configurationSuffixOf(leading->name, parent);
            places_->note(entry, classes, names, [&]() -> std::optional<std::size_t> {
                if (!parent.place)
                    parent.place = places_->tree.add(parent.names.value());
                return parent.place;
            });
            return buildAtOnce(holders, entry, classes, names);
        }
    }
    const auto whole = parseDn(entry.dn);
    const build::ParsedDn names(whole);
    // Every entry whose DN does not parse, whatever its kind: its place in the tree is unknown,
    // so it is kept visible in the forest rather than dropped or guessed from a partial parse.
    if (!whole.ok())
        malformed_.push_back({entry.dn, entry.origin, whole.error().describe()});
    else if (!places_->configurationSuffix)
        places_->configurationSuffix = configurationSuffixOf(whole.value());
    places_->note(entry, classes, names, [&] { return places_->tree.addParentOf(whole.value()); });
    return buildAtOnce(holders, entry, classes, names);
}

void SnapshotBuilder::add(const DirectoryEntry& entry) {
    SharedAttributeNames::Scope sharedNames(names_);
    if (firstOfItsDn(entry) && !placeAndBuild(entry))
        kept_.push_back(&owned_.emplace_back(entry));
}

void SnapshotBuilder::add(DirectoryEntry&& entry) {
    SharedAttributeNames::Scope sharedNames(names_);
    if (firstOfItsDn(entry) && !placeAndBuild(entry))
        kept_.push_back(&owned_.emplace_back(std::move(entry)));
}

// Copying the entries finish() needs doubled their memory and their allocations: at 10,000
// domains the copies, and freeing them, were a fifth of the snapshot's time.
void SnapshotBuilder::addBorrowed(const DirectoryEntry& entry) {
    SharedAttributeNames::Scope sharedNames(names_);
    if (firstOfItsDn(entry) && !placeAndBuild(entry))
        kept_.push_back(&entry);
}

void SnapshotBuilder::finish(const CollectionContext& context) {
    auto root = root_;
    {
        SharedAttributeNames::Scope sharedNames(names_);
        finishDocument(context);
    }
    // The prototypes go; the names they lent stay in the document.
    root.remove_child(namesHolder_);
    names_ = SharedAttributeNames(pugi::xml_node());
    kept_.clear();
    owned_.clear();
    seen_.clear();
    malformed_.clear();
    unique_ = duplicates_ = 0;
    places_ = std::make_unique<Places>();
}

void SnapshotBuilder::finishDocument(const CollectionContext& context) {
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

    const std::vector<const DirectoryEntry*>& unique = kept_;
    appendForest(root, unique_, duplicates_, malformed_, places_->configurationSuffix, context);
    build::appendUnreadable(root.child("forest"), places_->organizationSeen,
                            places_->exchangeContainerDn, context);
    build::appendDomains(root, unique, context);
    // The exchange element, holding the virtual servers, moves after the domains in one move;
    // the organisations and servers go in before its first virtual server, the connectors after
    // its last, each kind in the order it came. (Moving 10,000 virtual servers one by one out of
    // a holder took 3 ms here, on the thread the audit waits for.)
    auto exchange = virtualServers_;
    root.append_move(exchange);
    const auto firstVirtualServer = exchange.first_child();
    auto organizationsAndServers = root.append_child("pending");
    build::appendOrganizationsAndServers(
        organizationsAndServers, unique,
        [this](const DirectoryEntry& entry) { return places_->under(entry); });
    while (auto child = organizationsAndServers.first_child()) {
        if (firstVirtualServer)
            exchange.insert_move_before(child, firstVirtualServer);
        else
            exchange.append_move(child);
    }
    root.remove_child(organizationsAndServers);
    for (auto holder : {receiveConnectors_, smtpConnectors_}) {
        while (auto child = holder.first_child())
            exchange.append_move(child);
        root.remove_child(holder);
    }
}

void buildSnapshot(const std::vector<DirectoryEntry>& entries, const CollectionContext& context,
                   pugi::xml_document& snapshot, RawValues rawValues) {
    SnapshotBuilder builder(snapshot, rawValues);
    for (const auto& entry : entries)
        builder.addBorrowed(entry);
    builder.finish(context);
}

} // namespace relayaudit
