// Stable spellings of the enums: they appear in rule packs, the XML report, its schema and
// --fail-on, so they are part of the public format and must not change.
#include "findings.h"

#include <array>
#include <utility>

namespace relayaudit {

namespace {

constexpr std::array<std::pair<Severity, const char*>, 5> kSeverityNames = {{
    {Severity::Critical, "critical"},
    {Severity::Error, "error"},
    {Severity::Warning, "warning"},
    {Severity::NonDefault, "non-default"},
    {Severity::Info, "info"},
}};

constexpr std::array<std::pair<RuleKind, const char*>, 5> kKindNames = {{
    {RuleKind::Unsafe, "unsafe"},
    {RuleKind::NonDefault, "non-default"},
    {RuleKind::CannotJudge, "cannot-judge"},
    {RuleKind::Info, "info"},
    {RuleKind::Manual, "manual"},
}};

// ASCII-only case folding: the names are ASCII, and a user typing --fail-on=Critical means the
// same thing; locale-dependent folding could make "INFO" mismatch under a Turkish locale.
bool equalsAsciiIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

} // namespace

const char* toString(Severity severity) {
    for (const auto& [value, name] : kSeverityNames)
        if (value == severity)
            return name;
    return "info"; // unreachable for valid enum values; never return null to a printf/stream
}

const char* toString(RuleKind kind) {
    for (const auto& [value, name] : kKindNames)
        if (value == kind)
            return name;
    return "unsafe";
}

std::optional<Severity> parseSeverity(std::string_view text) {
    for (const auto& [value, name] : kSeverityNames)
        if (equalsAsciiIgnoreCase(text, name))
            return value;
    return std::nullopt;
}

std::optional<RuleKind> parseRuleKind(std::string_view text) {
    for (const auto& [value, name] : kKindNames)
        if (equalsAsciiIgnoreCase(text, name))
            return value;
    return std::nullopt;
}

} // namespace relayaudit
