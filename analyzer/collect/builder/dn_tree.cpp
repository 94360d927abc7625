#include "dn_tree.h"

#include <cstring>

namespace relayaudit::build {

DnTree::DnTree() : parents_{kRoot} {}

std::string DnTree::keyOf(std::size_t parent, const RelativeName& name) {
    std::string key(sizeof parent, '\0');
    std::memcpy(key.data(), &parent, sizeof parent);
    key.reserve(sizeof parent + name.text.size());
    for (char c : name.text)
        key.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
    return key;
}

std::size_t DnTree::add(const DistinguishedName& dn) {
    return addAbove(dn, 0);
}

std::optional<std::size_t> DnTree::addParentOf(const DistinguishedName& dn) {
    if (dn.empty())
        return std::nullopt;
    return addAbove(dn, 1);
}

std::size_t DnTree::addChild(std::size_t parent, const RelativeName& name) {
    auto [found, added] = children_.try_emplace(keyOf(parent, name), parents_.size());
    if (added)
        parents_.push_back(parent);
    return found->second;
}

std::size_t DnTree::addAbove(const DistinguishedName& dn, std::size_t skipped) {
    std::size_t place = kRoot;
    for (std::size_t i = dn.size(); i-- > skipped;)
        place = addChild(place, dn[i]);
    return place;
}

} // namespace relayaudit::build
