#include "directory.h"

#include <algorithm>

namespace relayaudit {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

std::string toLowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

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
