#include "shared_names.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace relayaudit {

namespace {
std::size_t hashOf(const char* name, std::size_t mask) {
    return (reinterpret_cast<std::uintptr_t>(name) * 0x9E3779B97F4A7C15ull >> 32) & mask;
}
} // namespace

SharedAttributeNames::Slot& SharedAttributeNames::slotOf(const char* name) {
    for (std::size_t mask = slots_.size() - 1, at = hashOf(name, mask);; at = (at + 1) & mask)
        if (slots_[at].name == name || !slots_[at].name)
            return slots_[at];
}

pugi::xml_attribute SharedAttributeNames::prototypeOf(const char* name) {
    Slot* slot = &slotOf(name);
    if (slot->name == name && std::strcmp(slot->text.c_str(), name) == 0)
        return slot->prototype; // null when the name does not parse: appended as before
    if (!slot->name) {
        if ((used_ + 1) * 2 > slots_.size()) { // doubling: linear in the names in all
            std::vector<Slot> old(slots_.size() * 2);
            old.swap(slots_);
            for (const Slot& kept : old)
                if (kept.name)
                    slotOf(kept.name) = kept;
            slot = &slotOf(name);
        }
        ++used_;
        slot->name = name;
    }
    slot->prototype = pugi::xml_attribute();
    slot->text = name;
    // Parsed in place from a fragment the document keeps: the name is not allocated on its own.
    const std::string fragment = std::string("<p ") + name + "=\"\"/>";
    if (!holder_.append_buffer(fragment.data(), fragment.size(), pugi::parse_minimal))
        return slot->prototype;
    auto parsed = holder_.last_child().first_attribute();
    if (parsed && std::strcmp(parsed.name(), name) == 0)
        slot->prototype = parsed;
    return slot->prototype;
}

pugi::xml_attribute SharedAttributeNames::append(pugi::xml_node node, const char* name) {
    if (auto prototype = prototypeOf(name))
        return node.append_copy(prototype);
    return node.append_attribute(name); // not a name XML can parse: copied as before
}

std::size_t
SharedAttributeNames::AddressesHash::operator()(const std::vector<const char*>& addresses) const {
    std::uint64_t hash = addresses.size();
    for (const char* address : addresses)
        hash = (hash ^ reinterpret_cast<std::uintptr_t>(address)) * 0x9E3779B97F4A7C15ull;
    return std::size_t(hash ^ (hash >> 29));
}

pugi::xml_node SharedAttributeNames::elementPrototype(const char* name,
                                                      const std::vector<const char*>& names) {
    key_.assign(1, name);
    key_.insert(key_.end(), names.begin(), names.end());
    if (auto found = prototypes_.find(key_); found != prototypes_.end())
        return found->second;
    // Parsed in place from a fragment the document keeps, as the attribute prototypes are: the
    // names of its copies point into it.
    std::string fragment = std::string("<") + name;
    for (const char* attribute : names)
        fragment.append(" ").append(attribute).append("=\"\"");
    fragment += "/>";
    pugi::xml_node prototype;
    if (holder_.append_buffer(fragment.data(), fragment.size(), pugi::parse_minimal)) {
        auto parsed = holder_.last_child();
        bool same = std::strcmp(parsed.name(), name) == 0;
        auto attribute = parsed.first_attribute();
        for (const char* expected : names) {
            same = same && attribute && std::strcmp(attribute.name(), expected) == 0;
            attribute = attribute ? attribute.next_attribute() : attribute;
        }
        if (same && !attribute)
            prototype = parsed;
    }
    prototypes_.emplace(key_, prototype);
    return prototype;
}

} // namespace relayaudit
