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

#include <set>

namespace relayaudit {

namespace {

using build::friendlyName;
using build::set;

// Several exports may overlap: the first entry of a DN wins, later copies are counted.
std::vector<const DirectoryEntry*> firstOfEachDn(const std::vector<DirectoryEntry>& entries,
                                                 std::size_t& duplicates) {
    std::vector<const DirectoryEntry*> unique;
    std::set<std::string> seen;
    duplicates = 0;
    for (const auto& entry : entries) {
        if (seen.insert(toLowerAscii(entry.dn)).second)
            unique.push_back(&entry);
        else
            ++duplicates;
    }
    return unique;
}

void appendForest(pugi::xml_node root, const std::vector<const DirectoryEntry*>& unique,
                  std::size_t duplicates, const CollectionContext& context) {
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
    for (const auto* entry : unique) {
        auto parsed = parseDn(entry->dn);
        if (parsed.ok())
            continue;
        auto node = forest.append_child("malformedDn");
        set(node, "dn", entry->dn);
        set(node, "origin", entry->origin);
        set(node, "reason", parsed.error().describe());
    }
    build::appendUnreadable(forest, unique, context);
}

void appendExchange(pugi::xml_node root, const std::vector<const DirectoryEntry*>& unique) {
    auto exchange = root.append_child("exchange");
    build::appendOrganizationsAndServers(exchange, unique);
    for (const auto* entry : unique)
        if (entry->hasObjectClass("protocolCfgSMTPServer"))
            build::appendVirtualServer(exchange, *entry);
    for (const auto* entry : unique)
        if (entry->hasObjectClass("msExchSmtpReceiveConnector"))
            build::appendReceiveConnector(exchange, *entry);
    for (const auto* entry : unique)
        if (entry->hasObjectClass("msExchRoutingSMTPConnector"))
            build::appendSmtpConnector(exchange, *entry);
}

} // namespace

void buildSnapshot(const std::vector<DirectoryEntry>& entries, const CollectionContext& context,
                   pugi::xml_document& snapshot) {
    snapshot.reset();
    auto root = snapshot.append_child("snapshot");
    set(root, "formatVersion", kSnapshotFormatVersion);
    set(root, "tool", "relayaudit");
    set(root, "toolVersion", context.toolVersion);
    set(root, "collectedAt", context.collectedAt);
    set(root, "source", context.sourceKind);
    for (const auto& input : context.inputs)
        root.append_child("input").text().set(xmlSafeText(input).c_str());
    for (const auto& note : context.notes)
        root.append_child("note").text().set(xmlSafeText(note).c_str());

    std::size_t duplicates = 0;
    auto unique = firstOfEachDn(entries, duplicates);
    appendForest(root, unique, duplicates, context);
    build::appendDomains(root, unique, context);
    appendExchange(root, unique);
}

} // namespace relayaudit
