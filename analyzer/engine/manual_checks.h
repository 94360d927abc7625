#pragma once
// Rules of kind manual name what the tool cannot read and a person must check. Their findings
// are shown as the report's manual checks, not as findings (the reporters read
// AuditReport::manualChecks), in catalogue order so the list reads like the packs.
#include "rules.h"

#include <string>
#include <vector>

namespace relayaudit {

// Removes the findings of kind manual from findings and returns them: pack order, rule order,
// then object.
std::vector<Finding> takeManualFindings(std::vector<Finding>& findings,
                                        const RuleCatalogue& catalogue);

// The text of each manual check: the finding's message.
std::vector<std::string> manualCheckTexts(const std::vector<Finding>& manualFindings);

} // namespace relayaudit
