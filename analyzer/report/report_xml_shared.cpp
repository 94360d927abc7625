#include "report_xml_shared.h"

#include <algorithm>
#include <utility>

namespace relayaudit {

SharedMessages::SharedMessages(const AuditReport& report) {
    struct Use {
        std::size_t count = 0;
        std::size_t first = 0; // order of first use among all findings
    };
    std::unordered_map<const Rule*, std::unordered_map<std::string_view, Use>> uses;
    std::size_t order = 0;
    auto count = [&](const Finding& finding) {
        Use& use = uses[finding.rule][finding.message];
        if (use.count++ == 0)
            use.first = order++;
    };
    for (const auto& finding : report.findings)
        count(finding);
    for (const auto& outcome : report.waivers)
        for (const auto& finding : outcome.accepted)
            count(finding);
    for (const auto& [rule, messages] : uses) {
        std::vector<std::pair<std::size_t, std::string_view>> shared;
        for (const auto& [message, use] : messages)
            if (use.count > 1)
                shared.emplace_back(use.first, message);
        if (shared.empty())
            continue;
        std::sort(shared.begin(), shared.end());
        RuleMessages& entry = rules_[rule];
        for (const auto& [first, message] : shared) {
            entry.shared.push_back(message);
            entry.number.emplace(message, entry.shared.size());
        }
    }
}

const std::vector<std::string_view>& SharedMessages::of(const Rule& rule) const {
    static const std::vector<std::string_view> none;
    auto found = rules_.find(&rule);
    return found == rules_.end() ? none : found->second.shared;
}

std::optional<std::size_t> SharedMessages::numberOf(const Finding& finding) const {
    auto rule = rules_.find(finding.rule);
    if (rule == rules_.end())
        return std::nullopt;
    auto found = rule->second.number.find(finding.message);
    if (found == rule->second.number.end())
        return std::nullopt;
    return found->second;
}

namespace {

// A finding's evidence views its rule's own texts (findings.h): the same address is the same
// text, and only other strings are compared.
bool sameText(std::string_view a, std::string_view b) {
    return (a.data() == b.data() && a.size() == b.size()) || a == b;
}

} // namespace

std::optional<std::size_t> EvidenceRows::rowOf(const Evidence& item) {
    for (std::size_t from : {next_, std::size_t(0)})
        for (std::size_t i = from; i < rule_.evidence.size(); ++i)
            if (sameText(rule_.evidence[i].attribute, item.attribute) &&
                sameText(rule_.evidence[i].expected, item.expected))
                return next_ = i;
    return std::nullopt;
}

} // namespace relayaudit
