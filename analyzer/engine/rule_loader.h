#pragma once
// Reading and compiling one <rule> of a pack. Internal to the engine; the pack level (root, consts,
// IDs) is in pack_loader.cpp.
#include "compiled_rule.h"
#include "rules.h"
#include "source_lines.h"

#include <regex>

namespace relayaudit {

// Collects a pack's problems, each with the line of the element it is about.
struct PackProblems {
    const std::string& source;
    const SourceLines& lines;
    std::vector<RulePackError>& errors;

    void at(pugi::xml_node node, const std::string& rule, std::string message) {
        errors.push_back({source, lines.lineOf(node), rule, std::move(message)});
    }
    void atLine(unsigned line, const std::string& rule, std::string message) {
        errors.push_back({source, line, rule, std::move(message)});
    }
};

// Names of consts and lets: what XPath accepts after '$'.
inline bool isVariableName(const std::string& name) {
    static const std::regex pattern("[A-Za-z_][A-Za-z0-9_.-]*");
    return std::regex_match(name, pattern);
}

// Prose in packs is indented for readability; runs of white space become single spaces.
std::string prose(pugi::xml_node node);

// Fills rule (its id, severity and kind already set by the caller) and compiled from the element.
void loadRule(pugi::xml_node node, CompiledPack& pack, PackProblems& problems, Rule& rule,
              CompiledRule& compiled);

} // namespace relayaudit
