#pragma once
// The places in the directory tree that a set of DNs passes through, each named once by its
// parent and its RDN: how many objects sit under an organisation or a server is counted while the
// objects arrive, in time linear in the DNs' length (a table of every ancestor's whole DN as text
// grows with the square of a deep DN).
#include "dn.h"

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace relayaudit::build {

class DnTree {
public:
    static constexpr std::size_t kRoot = 0;
    DnTree();
    // The place of the DN, added with its ancestors when new (kRoot for the empty DN).
    std::size_t add(const DistinguishedName& dn);
    // The place of the DN's parent, added with its own ancestors when new (nothing for the root).
    std::optional<std::size_t> addParentOf(const DistinguishedName& dn);
    // The place named `name` under `parent`, added when new.
    std::size_t addChild(std::size_t parent, const RelativeName& name);
    std::size_t parentOf(std::size_t place) const { return parents_[place]; }
    std::size_t size() const { return parents_.size(); }

private:
    // The place of the DN without its `skipped` leftmost RDNs.
    std::size_t addAbove(const DistinguishedName& dn, std::size_t skipped);
    // RDNs compare as libldap writes them back, ASCII case folded, as the directory compares them.
    static std::string keyOf(std::size_t parent, const RelativeName& name);
    std::unordered_map<std::string, std::size_t> children_;
    std::vector<std::size_t> parents_;
};

} // namespace relayaudit::build
