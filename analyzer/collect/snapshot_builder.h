#pragma once
// Turns directory entries, whatever collected them, into the snapshot document.
#include "directory.h"
#include "dn.h"
#include "snapshot.h"

#include <array>
#include <cstddef>
#include <pugixml.hpp>
#include <string>
#include <unordered_set>
#include <vector>

namespace relayaudit {

// Never fails: undecodable values become status="invalid" with the reason, for the rules to judge.
void buildSnapshot(const std::vector<DirectoryEntry>& entries, const CollectionContext& context,
                   pugi::xml_document& snapshot);

// The same document, built while the entries arrive (a live collection feeds it page by page, so
// building overlaps the network wait and no page outlives its decoding). Virtual servers, receive
// connectors and SMTP connectors are built at once and only their DN and classes are kept; what
// needs every entry (forest, domains, organisations and servers) is built by finish().
// buildSnapshot is add() for each entry, then finish(): both give the same document.
class SnapshotBuilder {
public:
    explicit SnapshotBuilder(pugi::xml_document& snapshot);
    void add(const DirectoryEntry& entry);
    void add(DirectoryEntry&& entry);
    void finish(const CollectionContext& context);

private:
    bool firstOfItsDn(const DirectoryEntry& entry);
    bool buildAtOnce(const DirectoryEntry& entry, const Decoded<DistinguishedName>& parsedDn);
    void noteMalformed(const DirectoryEntry& entry, const Decoded<DistinguishedName>& parsedDn);
    static DirectoryEntry placeOnly(const DirectoryEntry& entry);

    pugi::xml_document& snapshot_;
    pugi::xml_node root_;
    pugi::xml_node virtualServers_, receiveConnectors_, smtpConnectors_; // moved in by finish()
    std::unordered_set<std::string> seen_;                               // lower-case DNs
    std::vector<DirectoryEntry> kept_; // the first entry of each DN, in order (stubs for the above)
    std::size_t duplicates_ = 0;
    // forest/malformedDn rows (dn, origin, reason), from the one parse add() makes of each DN.
    std::vector<std::array<std::string, 3>> malformed_;
};

} // namespace relayaudit
