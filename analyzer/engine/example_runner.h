#pragma once
// `relayaudit rules --check`: every pack loads, every XPath compiles, and every rule's examples
// hold. Each problem is one line, "file:line: rule ID: example N: expected …, got …".
#include "rules.h"

#include <string>
#include <vector>

namespace relayaudit {

// Loads the packs at these paths (files or directories; the built-in packs are not added, so the
// repository's rules/*.xml can be checked) and checks them. Empty when everything holds.
std::vector<std::string> checkRulePacks(const std::vector<std::string>& paths);

// Checks the examples of every rule of an already loaded catalogue: each example gives what it
// expects; each rule has an example that fires and one that stays silent; the firing examples
// that pin a message take both ways of every <if>; every <evidence> shows a value in one of them.
std::vector<std::string> checkExamples(const RuleCatalogue& catalogue);

} // namespace relayaudit
