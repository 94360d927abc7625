#include "build_common.h"

#include "base64.h"
#include "dn.h"
#include "ldap_values.h"
#include "shared_names.h"
#include "string_helpers.h"
#include "text_encoding.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace relayaudit::build {

std::string boolText(bool value) {
    return value ? "true" : "false";
}

// Clean text (nearly all of it) goes into the document without a copy of its own.
namespace {
pugi::xml_attribute appendAttribute(pugi::xml_node node, const char* name) {
    if (auto* names = SharedAttributeNames::active())
        return names->append(node, name);
    return node.append_attribute(name);
}
} // namespace

void set(pugi::xml_node node, const char* name, std::string_view value) {
    auto attribute = appendAttribute(node, name);
    if (value.empty()) {
        attribute.set_value("");
        return;
    }
    if (isXmlSafe(value)) {
        attribute.set_value(value.data(), value.size());
        return;
    }
    auto safe = xmlSafeText(value);
    attribute.set_value(safe.data(), safe.size());
}

// As a stream with precision 17 writes it ("%.17g"), without a stream per number. Whole numbers
// below 10^15 (address counts, all of them in practice) are written as integers, which is the same
// text and a tenth of the cost of the general conversion; -0 keeps its sign through the latter.
std::string_view numberText(char (&text)[32], double value) {
    constexpr double kExactlyWhole = 1e15;
    std::to_chars_result written;
    if (value > -kExactlyWhole && value < kExactlyWhole && value == std::trunc(value) &&
        !(value == 0 && std::signbit(value)))
        written = std::to_chars(text, text + sizeof text, static_cast<std::int64_t>(value));
    else
        written = std::to_chars(text, text + sizeof text, value, std::chars_format::general, 17);
    return {text, std::size_t(written.ptr - text)};
}

void setNumber(pugi::xml_node node, const char* name, double value) {
    char text[32];
    const auto number = numberText(text, value);
    appendAttribute(node, name).set_value(number.data(), number.size());
}

std::span<const std::uint8_t> bytesOf(const std::string& value) {
    return {reinterpret_cast<const std::uint8_t*>(value.data()), value.size()};
}

std::string friendlyName(const DirectoryEntry& entry) {
    for (const char* attribute : {"adminDisplayName", "displayName", "name", "cn"})
        if (const auto* value = entry.first(attribute); value && !value->empty())
            return *value;
    auto names = parseDn(entry.dn);
    return names.ok() && !names.value().empty() ? names.value().front().value() : entry.dn;
}

std::string_view rdnBefore(const ParsedDn& names, std::string_view anchor) {
    if (!names.ok())
        return {};
    for (std::size_t i = 1; i < names.size(); ++i)
        if (equalsIgnoreCase(names[i].value(), anchor))
            return names[i - 1].value();
    return {};
}

std::vector<std::string> dnProblems(const DirectoryEntry& entry) {
    auto parsed = parseDn(entry.dn);
    return dnProblems(ParsedDn(parsed));
}

std::vector<std::string> dnProblems(const ParsedDn& parsed) {
    if (parsed.ok())
        return {};
    return {"distinguishedName"};
}

void appendRaw(pugi::xml_node parent, const DirectoryEntry& entry) {
    for (const auto& attribute : entry.attributes) {
        if (equalsIgnoreCase(attribute.name, "objectClass"))
            continue;
        for (const auto& value : attribute.values) {
            auto raw = parent.append_child("raw");
            set(raw, "name", attribute.name);
            if (isXmlSafe(value)) {
                raw.append_attribute("encoding").set_value("text");
                raw.text().set(value.data(), value.size());
            } else {
                raw.append_attribute("encoding").set_value("base64");
                raw.text().set(base64Encode(value).c_str());
            }
        }
    }
}

std::size_t valueCount(const DirectoryEntry& entry, std::string_view name) {
    const auto* attribute = entry.find(name);
    return attribute ? attribute->values.size() : 0;
}

IntegerAttribute readInteger(const DirectoryEntry& entry, std::string_view name,
                             std::int64_t defaultValue) {
    IntegerAttribute result;
    result.value = defaultValue;
    // One lookup for the value and the count (each lookup compares every attribute's name).
    const auto* attribute = entry.find(name);
    if (attribute && !attribute->values.empty()) {
        result.present = true;
        if (auto parsed = parseLdapInteger(attribute->values.front());
            parsed && attribute->values.size() == 1)
            result.value = *parsed;
        else
            result.valid = false;
    }
    return result;
}

BooleanAttribute readBoolean(const DirectoryEntry& entry, std::string_view name) {
    BooleanAttribute result;
    const auto* attribute = entry.find(name);
    if (attribute && !attribute->values.empty()) {
        result.present = true;
        if (attribute->values.size() == 1)
            result.value = parseLdapBoolean(attribute->values.front());
    }
    return result;
}

std::string invalidAttributesText(const std::vector<std::string>& names) {
    std::vector<std::string> unique;
    for (const auto& name : names)
        if (std::find(unique.begin(), unique.end(), name) == unique.end())
            unique.push_back(name);
    std::string list;
    for (const auto& name : unique)
        list += (list.empty() ? "" : " ") + name;
    return list;
}

void setInvalidAttributes(pugi::xml_node node, const std::vector<std::string>& names) {
    if (auto list = invalidAttributesText(names); !list.empty())
        set(node, "invalidAttributes", list);
}

} // namespace relayaudit::build
