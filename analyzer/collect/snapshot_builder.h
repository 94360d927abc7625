#pragma once
// Turns directory entries, whatever collected them, into the snapshot document.
#include "builder/shared_names.h"
#include "builder/text_set.h"
#include "directory.h"
#include "dn.h"
#include "snapshot.h"

#include <array>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace relayaudit {

// Never fails: undecodable values become status="invalid" with the reason, for the rules to judge.
void buildSnapshot(const std::vector<DirectoryEntry>& entries, const CollectionContext& context,
                   pugi::xml_document& snapshot, RawValues rawValues = RawValues::Kept);

// The same document, built while the entries arrive (a live collection feeds it page by page, so
// building overlaps the network wait and no page outlives its decoding). Virtual servers, receive
// connectors and SMTP connectors are built at once and not kept (what finish() needs of them,
// their place in the tree, is noted on arrival); what needs every entry (forest, domains,
// organisations and servers) is built by finish().
// buildSnapshot is add() for each entry, then finish(): both give the same document.
class SnapshotBuilder {
public:
    // Told of each object built at once (a virtual server or connector) when it is complete, with
    // the path it will have in the finished document ("/snapshot/exchange/virtualServer").
    // Nothing below the object changes after that, so what reads only the object may read it
    // then, on the building thread (the engine's early tests do); it must not change it.
    using ObjectBuilt = std::function<void(pugi::xml_node object, std::string_view path)>;

    explicit SnapshotBuilder(pugi::xml_document& snapshot, RawValues rawValues = RawValues::Kept,
                             ObjectBuilt objectBuilt = {});
    ~SnapshotBuilder();
    void add(const DirectoryEntry& entry);
    void add(DirectoryEntry&& entry);
    // The same without a copy: the entry must live until finish() has returned (buildSnapshot's
    // entries do).
    void addBorrowed(const DirectoryEntry& entry);
    void finish(const CollectionContext& context);

private:
    bool firstOfItsDn(const DirectoryEntry& entry);
    // Parses the DN, builds what is built at once and notes what finish() needs; true when the
    // entry is not needed again.
    bool placeAndBuild(const DirectoryEntry& entry);
    // What finish() adds to the document, with the attribute names shared.
    void finishDocument(const CollectionContext& context);
    pugi::xml_document& snapshot_;
    pugi::xml_node root_;
    // virtualServers_ is the exchange element; the connectors are moved into it by finish().
    pugi::xml_node virtualServers_, receiveConnectors_, smtpConnectors_;
    pugi::xml_node namesHolder_; // the prototypes of names_, removed by finish()
    SharedAttributeNames names_{pugi::xml_node()};
    bool rawValues_ = true;
    ObjectBuilt objectBuilt_;
    TextSet seen_;        // lower-case DNs
    std::string lowered_; // the DN being looked up, in a buffer kept for all
    std::size_t unique_ = 0;
    std::size_t duplicates_ = 0;
    // The first entry of each DN that finish() reads, in order: the builder's own copies (a
    // deque: they do not move as more come) or the caller's (addBorrowed).
    std::vector<const DirectoryEntry*> kept_;
    std::deque<DirectoryEntry> owned_;
    // forest/malformedDn rows (dn, origin, reason), from the one parse add() makes of each DN.
    std::vector<std::array<std::string, 3>> malformed_;
    // The configuration NC, organisations seen, and how many servers, virtual servers and
    // receive connectors sit at every place of the tree (snapshot_builder.cpp).
    struct Places;
    std::unique_ptr<Places> places_;
};

} // namespace relayaudit
