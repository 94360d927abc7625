#pragma once
// Live collection from an AD / Samba AD domain controller over LDAP (OpenLDAP libldap).
// Produces the same DirectoryEntry list as the LDIF reader, plus what it could not read.
#include "connection_options.h"
#include "directory.h"
#include "snapshot.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace relayaudit {

struct CollectResult {
    std::vector<DirectoryEntry> entries;
    CollectionContext context;        // sourceKind "ldap", naming contexts, unreadable domains
    std::optional<std::string> error; // set: the collection failed; message says what to do
    int searchOperations = 0;         // for tests and the benchmark: must not grow with servers
};

// Takes each entry as soon as it is decoded and complete (SnapshotBuilder::add): building then
// overlaps the network wait, and no page of entries waits for the end of the collection.
using EntrySink = std::function<void(DirectoryEntry&&)>;

// progress: called with short status lines ("page 3 of protocolCfgSMTPServer: 3000 entries");
// may be empty. sink: when given, every entry goes to it, in the order CollectResult::entries
// would hold them, and CollectResult::entries stays empty. bound: when given, called once the
// connection is made and bound, before the first search (the audit waits there for the rule
// packs it loaded meanwhile); what it throws ends the collection and goes to the caller.
CollectResult collectFromLdap(const ConnectionOptions& options,
                              const std::function<void(const std::string&)>& progress,
                              const EntrySink& sink = {}, const std::function<void()>& bound = {});

} // namespace relayaudit
