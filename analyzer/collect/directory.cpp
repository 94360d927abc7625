#include "directory.h"

#include "string_helpers.h"

#include <algorithm>

namespace relayaudit {

const DirectoryAttribute* DirectoryEntry::find(std::string_view name) const {
    for (const auto& attribute : attributes)
        if (equalsIgnoreCase(attribute.name, name))
            return &attribute;
    return nullptr;
}

const std::string* DirectoryEntry::first(std::string_view name) const {
    const auto* attribute = find(name);
    return (attribute && !attribute->values.empty()) ? &attribute->values.front() : nullptr;
}

bool DirectoryEntry::hasObjectClass(std::string_view objectClass) const {
    const auto* classes = find("objectClass");
    if (!classes)
        return false;
    return std::any_of(
        classes->values.begin(), classes->values.end(),
        [&](const std::string& value) { return equalsIgnoreCase(value, objectClass); });
}

} // namespace relayaudit
