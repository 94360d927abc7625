#pragma once
// A rule condition of the common form "/snapshot/exchange/virtualServer[test][test]" taken apart
// into its path and its tests, so that the catalogue can walk the path once for every rule that
// shares it and run all those rules' tests on one node while it is in the cache, instead of each
// rule walking the whole document. Internal to the engine.
#include "xpath_compile.h"

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <vector>

namespace relayaudit {

struct SplitCondition {
    std::string path;                   // only child steps from the root: "/a/b/*"
    std::vector<QueryPointer> tests;    // each evaluated as boolean() on a node of the path
    std::vector<std::string> testTexts; // parallel to tests: each test as written
};

// Nullopt when the condition has another shape, or when a test could depend on the node's
// position (a number, position(), last()): such a test means something else outside its
// node-set, so that condition runs whole. The tests are compiled with `variables`.
std::optional<SplitCondition> splitCondition(const std::string& condition,
                                             pugi::xpath_variable_set* variables);

} // namespace relayaudit
