#pragma once
// One rule's findings as one card of the HTML report: the rule's prose once, and its objects
// (one in full, several as a table capped at kHtmlObjectRowsShown rows).
#include "findings.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace relayaudit {

// Objects a card's table shows. A rule that fires on 10,000 virtual servers must still give a
// page that can be mailed and read: the first rows show the pattern, the XML report has all.
constexpr std::size_t kHtmlObjectRowsShown = 20;

struct RuleCard {
    const Rule* rule = nullptr;
    std::vector<const Finding*> findings; // in the engine's order
    std::size_t firstNumber = 0;          // the 1-based position of its first finding
};

// Groups findings by rule in order of first appearance; cards are numbered from 1 (rule-N).
std::vector<RuleCard> ruleCardsOf(const std::vector<Finding>& findings);

// causeAnchors: the anchor of each shared cause's box, by cause text, to link to.
void renderRuleCard(std::string& out, const RuleCard& card, std::size_t cardNumber,
                    const std::map<std::string, std::string>& causeAnchors);

} // namespace relayaudit
