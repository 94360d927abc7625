#pragma once
// What every collector produces: directory entries with raw attribute values (bytes), whatever
// they came from (LDIF file, live LDAP). The snapshot builder reads only this.
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

struct DirectoryAttribute {
    std::string name;                // as written, without options (";binary" is dropped)
    std::vector<std::string> values; // raw bytes, binary-safe
};

struct DirectoryEntry {
    std::string dn;     // as in the source (UTF-8)
    std::string origin; // where it came from, for messages: "forest.ldif:120" or "ldaps://dc1"
    std::vector<DirectoryAttribute> attributes;

    // Case-insensitive attribute lookup (LDAP attribute names are case-insensitive).
    const DirectoryAttribute* find(std::string_view name) const;
    // First value of an attribute, or nullptr when absent or empty.
    const std::string* first(std::string_view name) const;
    bool hasObjectClass(std::string_view objectClass) const;
};

} // namespace relayaudit
