#include "shared_names.h"

#include <cstring>
#include <string>

namespace relayaudit {

namespace {
thread_local SharedAttributeNames* activeNames = nullptr;
}

SharedAttributeNames::Scope::Scope(SharedAttributeNames& names) : previous_(activeNames) {
    activeNames = &names;
}

SharedAttributeNames::Scope::~Scope() {
    activeNames = previous_;
}

SharedAttributeNames* SharedAttributeNames::active() {
    return activeNames;
}

pugi::xml_attribute SharedAttributeNames::prototypeOf(const char* name) {
    auto& prototype = prototypes_[name];
    if (prototype && std::strcmp(prototype.name(), name) == 0)
        return prototype;
    // Parsed in place from a fragment the document keeps: the name is not allocated on its own.
    const std::string fragment = std::string("<p ") + name + "=\"\"/>";
    if (!holder_.append_buffer(fragment.data(), fragment.size(), pugi::parse_minimal)) {
        prototype = pugi::xml_attribute();
        return prototype;
    }
    auto parsed = holder_.last_child().first_attribute();
    prototype = parsed && std::strcmp(parsed.name(), name) == 0 ? parsed : pugi::xml_attribute();
    return prototype;
}

pugi::xml_attribute SharedAttributeNames::append(pugi::xml_node node, const char* name) {
    if (auto prototype = prototypeOf(name))
        return node.append_copy(prototype);
    return node.append_attribute(name); // not a name XML can parse: copied as before
}

} // namespace relayaudit
