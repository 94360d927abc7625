#include "manual_checks.h"

#include <algorithm>
#include <map>

namespace relayaudit {

std::vector<Finding> takeManualFindings(std::vector<Finding>& findings,
                                        const RuleCatalogue& catalogue) {
    std::map<const Rule*, std::size_t> order;
    for (const auto* rule : catalogue.rules())
        order.emplace(rule, order.size());
    // Manual rules are info, the least severe, so their findings come last: the partition starts
    // at the first of them instead of moving (and buffering) every finding.
    auto isManual = [](const Finding& f) { return f.rule->kind == RuleKind::Manual; };
    auto first = std::find_if(findings.begin(), findings.end(), isManual);
    auto manual = std::stable_partition(first, findings.end(),
                                        [&](const Finding& f) { return !isManual(f); });
    std::vector<Finding> taken(std::make_move_iterator(manual),
                               std::make_move_iterator(findings.end()));
    findings.erase(manual, findings.end());
    std::stable_sort(taken.begin(), taken.end(), [&](const Finding& a, const Finding& b) {
        auto rankA = order.count(a.rule) ? order.at(a.rule) : order.size();
        auto rankB = order.count(b.rule) ? order.at(b.rule) : order.size();
        return rankA != rankB ? rankA < rankB : a.object < b.object;
    });
    return taken;
}

std::vector<std::string> manualCheckTexts(const std::vector<Finding>& manualFindings) {
    std::vector<std::string> texts;
    for (const auto& finding : manualFindings)
        texts.push_back(finding.message);
    return texts;
}

} // namespace relayaudit
