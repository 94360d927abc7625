#pragma once
// Which directory entries the snapshot builder reads, so that a collector can let the others go
// as it reads them: an LDIF export of a domain with a million users keeps only the entries a
// snapshot is made of (docs/design.md, "Inputs are streamed and bounded").
#include "directory.h"
#include "dn.h"
#include "snapshot.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace relayaudit {

// True for every entry one of the builders (builder/*.cpp, snapshot_builder.cpp) looks at: the
// object kinds they build or count, domain heads and crossRefs, Guest candidates (user objects
// with RID 501), the Exchange configuration container, and entries whose DN does not parse
// (listed as forest/malformedDn). Keep it in step with the builders: tst_entry_sieve builds
// snapshots with and without the sieve and compares them.
bool usedBySnapshot(const DirectoryEntry& entry);

// The domain suffix ("DC=corp,DC=example") of a DN that names a configuration NC
// ("...,CN=Configuration,DC=..."), nothing otherwise. The forest's configurationNC is inferred
// from the first DN that names one.
std::optional<std::string> configurationSuffixOf(const DistinguishedName& names);

// Entries in the order a collector reads them. The first entry of each DN wins, as in
// buildSnapshot; it is kept when usedBySnapshot says so, or when it is the first to name the
// configuration NC. Everything else is counted and let go.
struct DnFingerprintHash {
    std::size_t operator()(const std::array<std::uint8_t, 16>& fingerprint) const;
};

class SnapshotEntrySieve {
public:
    void add(DirectoryEntry&& entry);
    std::size_t entriesRead() const { return read_; }
    std::size_t entriesKept() const { return kept_.size(); }

    // The kept entries, for buildSnapshot; `context` learns how many distinct entries were left
    // out and how many duplicates were seen, so that forest/@entries and @duplicateEntries still
    // count every entry read.
    std::vector<DirectoryEntry> finish(CollectionContext& context);

private:
    // Fingerprints of the lower-case DNs: 16 bytes each instead of the DN.
    std::unordered_set<std::array<std::uint8_t, 16>, DnFingerprintHash> seenDns_;
    std::vector<DirectoryEntry> kept_;
    std::size_t read_ = 0;
    std::size_t leftOut_ = 0;
    std::size_t duplicates_ = 0;
    bool configurationNamed_ = false;
};

} // namespace relayaudit
