#pragma once
// Findings that one change resolves, shown once above the findings: "Disabling Guest in
// child.corp.example resolves 6 findings", with the objects. The change is the rules' <cause>
// (Finding::cause); findings group by its exact text, across rules.
#include "findings.h"

#include <map>
#include <string>
#include <vector>

namespace relayaudit {

struct SharedCause {
    std::string text;
    std::vector<const Finding*> findings; // in the engine's order
};

// Causes shared by at least two findings, in order of first appearance.
std::vector<SharedCause> sharedCausesOf(const std::vector<Finding>& findings);

// Cause text -> the anchor of its box ("cause-N").
std::map<std::string, std::string> causeAnchorsOf(const std::vector<SharedCause>& causes);

// Nothing when there is no shared cause.
void renderSharedCauses(std::string& out, const std::vector<SharedCause>& causes);

} // namespace relayaudit
