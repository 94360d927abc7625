#pragma once
// Findings counted per severity, split into problems (fail) and could-not-judge (unknown). Both
// reports show these counts, so they are computed in one place.
#include "audit_model.h"
#include "findings.h"

#include <array>
#include <cstddef>
#include <vector>

namespace relayaudit {

// The order both reports list severities in.
constexpr std::array kSeveritiesMostSevereFirst = {
    Severity::Critical, Severity::Error, Severity::Warning, Severity::NonDefault, Severity::Info};

struct SeverityCounts {
    // Indexed by static_cast<std::size_t>(Severity).
    std::array<std::size_t, kSeveritiesMostSevereFirst.size()> fail{};
    std::array<std::size_t, kSeveritiesMostSevereFirst.size()> unknown{};
    std::size_t totalFail = 0;
    std::size_t totalUnknown = 0;

    std::size_t failOf(Severity severity) const { return fail[static_cast<std::size_t>(severity)]; }
};

SeverityCounts countBySeverity(const std::vector<Finding>& findings);

// Findings covered by an active waiver (report.waivers), kept apart from report.findings.
std::size_t acceptedCount(const AuditReport& report);

// "active", "expired" or "stale": the spelling in the XML and JSON reports.
const char* toString(WaiverState state);

} // namespace relayaudit
