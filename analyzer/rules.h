#pragma once
// Rule packs: loading with validation, and evaluation of their XPath conditions over a snapshot.
// The engine knows the snapshot's XML and nothing about where it came from.
#include "findings.h"

#include <memory>
#include <pugixml.hpp>
#include <string>
#include <vector>

namespace relayaudit {

struct RulePackError {
    std::string source; // pack file
    std::string rule;   // rule ID when the error is in one rule, else empty
    std::string message;
    std::string describe() const;
};

class RuleCatalogue {
public:
    // Loads the packs built into the binary (the repository's rules/*.xml at build time).
    bool loadBuiltin(std::vector<RulePackError>& errors);
    // Loads a pack file, or every *.xml in a directory (sorted by name).
    bool loadPath(const std::string& path, std::vector<RulePackError>& errors);
    // Loads one pack from text; source names it in errors.
    bool loadText(std::string_view text, const std::string& source,
                  std::vector<RulePackError>& errors);

    const std::vector<std::unique_ptr<RulePack>>& packs() const { return packs_; }
    std::vector<const Rule*> rules() const; // in pack order, then rule order

private:
    std::vector<std::unique_ptr<RulePack>> packs_;
};

// Evaluates every rule; findings are ordered most severe first, then by rule ID, then object.
std::vector<Finding> evaluate(const RuleCatalogue& catalogue, const pugi::xml_document& snapshot);

} // namespace relayaudit
