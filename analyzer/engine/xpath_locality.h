#pragma once
// Whether an XPath expression, evaluated on a node, reads nothing but that node and what lies
// below it. Such a rule test gives the same answer on an object as soon as the object is built,
// whatever else the document holds then or later, so it can run while the collection is still
// under way (early_tests.h). Internal to the engine.
#include <string_view>

namespace relayaudit {

// A lexical check, and a conservative one: false for anything that might reach outside the
// node, such as variables (document-wide consts, lets), absolute paths, "..", the parent,
// ancestor, preceding and following axes, and id() or lang(). An expression that only looks
// outward (an element named "parent", say) is refused too; that only costs the early answer.
bool readsOnlyItsSubtree(std::string_view expression);

} // namespace relayaudit
