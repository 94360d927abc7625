#pragma once
// One finding of the HTML report as an <article id="finding-N">.
#include "findings.h"

#include <cstddef>
#include <string>

namespace relayaudit {

// number: the finding's 1-based position, its anchor. firstOfRule: the number of an earlier
// finding of the same rule, 0 if this is the first. The rule's prose (why, how to fix,
// references) is written once; later findings of the rule show their object, message and
// evidence and link back, so a forest with many affected servers gives a report that can still
// be mailed.
void renderFinding(std::string& out, const Finding& finding, std::size_t number,
                   std::size_t firstOfRule);

} // namespace relayaudit
