#pragma once
// What the per-kind snapshot builders share: attributes written XML-safe, objects named after
// their DN, raw values kept, and single-valued INTEGER/Boolean settings read strictly.
#include "directory.h"
#include "dn.h"

#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit::build {

std::string boolText(bool value);

// Every attribute of the snapshot goes through here: directory text is made XML-safe.
void set(pugi::xml_node node, const char* name, std::string_view value);
void setNumber(pugi::xml_node node, const char* name, double value);
// The text setNumber() stores: as a stream with precision 17 writes the number ("%.17g").
std::string_view numberText(char (&text)[32], double value);

std::span<const std::uint8_t> bytesOf(const std::string& value);

// The display name, else the first RDN's value, else the DN itself.
std::string friendlyName(const DirectoryEntry& entry);

// A DN as the builders read it: either parsed whole, or as its leading RDN and its parent's RDNs
// (parsed once for all siblings, SnapshotBuilder). Both give the same RDNs (decode/dn.h).
class ParsedDn {
public:
    explicit ParsedDn(const Decoded<DistinguishedName>& whole)
        : whole_(whole.ok() ? &whole.value() : nullptr), error_(whole.ok() ? nullptr : &whole) {}
    ParsedDn(const RelativeName& leading, const DistinguishedName& parent)
        : leading_(&leading), parent_(&parent) {}
    bool ok() const { return error_ == nullptr; }
    std::size_t size() const { return whole_ ? whole_->size() : parent_->size() + 1; }
    const RelativeName& operator[](std::size_t i) const {
        return whole_ ? (*whole_)[i] : i == 0 ? *leading_ : (*parent_)[i - 1];
    }

private:
    const DistinguishedName* whole_ = nullptr;
    const Decoded<DistinguishedName>* error_ = nullptr;
    const RelativeName* leading_ = nullptr;
    const DistinguishedName* parent_ = nullptr;
};

// The value of the RDN just left of the first RDN named `anchor` (e.g. the server of a virtual
// server is the RDN left of "CN=Servers"); empty when there is none or the DN does not parse.
// The DN is the one the caller parsed once (a DN parse is the dearest step of a builder); the
// view is into it.
std::string_view rdnBefore(const ParsedDn& parsed, std::string_view anchor);

// {"distinguishedName"} when the entry's DN does not parse, else nothing: the start of an
// object's invalidAttributes, so that the object is still judged but said to be misplaced.
std::vector<std::string> dnProblems(const DirectoryEntry& entry);
std::vector<std::string> dnProblems(const ParsedDn& parsed);

// Every value except objectClass, as <raw> children: text when XML can carry it, else base64.
void appendRaw(pugi::xml_node parent, const DirectoryEntry& entry);

// How many values a single-valued attribute has: an export or a hostile writer can hold two, and
// then which one the server uses is unknown, so the setting cannot be judged.
std::size_t valueCount(const DirectoryEntry& entry, std::string_view name);

struct IntegerAttribute {
    bool present = false;
    bool valid = true;
    std::int64_t value = 0;
};
IntegerAttribute readInteger(const DirectoryEntry& entry, std::string_view name,
                             std::int64_t defaultValue);

struct BooleanAttribute {
    bool present = false;
    std::optional<bool> value; // empty when present but not exactly one valid value
};
BooleanAttribute readBoolean(const DirectoryEntry& entry, std::string_view name);

// invalidAttributes="a b": each name once, in first-seen order; nothing when the list is empty.
void setInvalidAttributes(pugi::xml_node node, const std::vector<std::string>& names);
std::string invalidAttributesText(const std::vector<std::string>& names); // "a b", or empty

} // namespace relayaudit::build
