#include "severity_counts.h"

namespace relayaudit {

SeverityCounts countBySeverity(const std::vector<Finding>& findings) {
    SeverityCounts counts;
    for (const auto& finding : findings) {
        const Rule& rule = *finding.rule;
        auto index = static_cast<std::size_t>(rule.severity);
        if (index >= counts.fail.size())
            continue;
        if (rule.kind == RuleKind::CannotJudge) {
            counts.unknown[index]++;
            counts.totalUnknown++;
        } else {
            counts.fail[index]++;
            counts.totalFail++;
        }
    }
    return counts;
}

std::size_t acceptedCount(const AuditReport& report) {
    std::size_t count = 0;
    for (const auto& outcome : report.waivers)
        count += outcome.accepted.size();
    return count;
}

const char* toString(WaiverState state) {
    switch (state) {
    case WaiverState::Expired:
        return "expired";
    case WaiverState::Stale:
        return "stale";
    case WaiverState::Active:
        break;
    }
    return "active";
}

} // namespace relayaudit
