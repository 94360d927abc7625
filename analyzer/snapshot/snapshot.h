#pragma once
// The snapshot: one XML document (schemas/snapshot.xsd) holding everything the rules need, with
// binary values decoded and raw values kept. The builder lives with the collectors
// (collect/snapshot_builder.h); this is the document: its format (here), loading and saving
// (snapshot_io.cpp), validation (snapshot_validation.h).
#include "text_encoding.h"

#include <cstddef>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <vector>

namespace relayaudit {

// 2: issue 7 (receive-connector decoding, visibility, IMS servers) made new attributes required.
inline constexpr const char* kSnapshotFormatVersion = "2";

// Whether virtual servers and connectors carry a <raw> copy of every value and their origin (the
// file line or server each came from). The copies are the largest part of the document; only a
// written snapshot, the probe and custom rules read either: a run without those leaves them out
// (docs/design.md, "Raw values only when read").
// A saved snapshot loaded for such a run is read without its <raw> elements (loadSnapshot).
enum class RawValues { Kept, LeftOut };

struct UnreadableDomain {
    std::string domainDn;
    std::string reason; // e.g. "access denied reading the Guest account (LDAP 50)"
};

// A search or read the server refused, or that came back empty under a container that exists:
// what the account could not see, so the report says "could not judge" instead of "clean".
struct UnreadableObject {
    std::string dn;
    std::string what;   // "the Exchange objects of the configuration naming context"
    std::string reason; // "insufficient access (LDAP 50)"
};

struct CollectionContext {
    std::string sourceKind;          // "ldif", "ldap", or "registry" (IMS exports only)
    std::vector<std::string> inputs; // files, or the URI
    std::string toolVersion;
    std::string collectedAt;     // ISO 8601 UTC
    std::string configurationNC; // from the rootDSE when known, else inferred
    std::string rootDomainNC;
    std::vector<UnreadableDomain> unreadableDomains;
    std::vector<UnreadableObject> unreadableObjects;
    std::vector<std::string> notes; // e.g. "certificate checks disabled"
    // Entries a collector read but let go because no builder uses them (SnapshotEntrySieve):
    // still counted in forest/@entries and @duplicateEntries.
    std::size_t entriesLeftOut = 0;
    std::size_t duplicateEntriesLeftOut = 0;
};

// Reads a saved snapshot; on failure returns a message naming the problem (and byte offset).
// RawValues::LeftOut drops its <raw> elements before parsing (raw_elements.h), from regular files
// only; a failure is then reported as the whole file gives it.
std::optional<std::string> loadSnapshot(const std::string& path, pugi::xml_document& snapshot,
                                        RawValues rawValues = RawValues::Kept);

class OutputSink;

// Serialises with two-space indentation and an XML declaration, straight into the sink.
void writeSnapshot(const pugi::xml_document& snapshot, OutputSink& out);
// The same text as a string (tests, the fuzz target, the collect command's small outputs).
std::string snapshotToString(const pugi::xml_document& snapshot);

} // namespace relayaudit
