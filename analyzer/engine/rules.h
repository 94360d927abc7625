#pragma once
// Rule packs: loading with validation, and evaluation of their XPath conditions over a snapshot.
// The engine knows the snapshot's XML and nothing about where it came from.
#include "findings.h"

#include <map>
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
    // Loads one pack from text; source names it in errors. A pack with any error is not added.
    bool loadText(std::string_view text, const std::string& source,
                  std::vector<RulePackError>& errors);

    const std::vector<std::unique_ptr<RulePack>>& packs() const { return packs_; }
    std::vector<const Rule*> rules() const; // in pack order, then rule order

    // Evaluates every rule; findings are ordered most severe first, then rule ID, then object.
    std::vector<Finding> evaluate(const pugi::xml_document& snapshot) const;

private:
    // A message template split into literal text and XPath expressions: "a {x} b" -> a, x, b.
    struct TemplatePart {
        std::string literal;
        std::shared_ptr<pugi::xpath_query> expression; // null for literal parts
    };
    struct CompiledRule {
        std::shared_ptr<pugi::xpath_query> condition;
        std::shared_ptr<pugi::xpath_query> object;
        std::shared_ptr<pugi::xpath_query> name;
        std::vector<TemplatePart> message;
        std::vector<std::shared_ptr<pugi::xpath_query>> evidence; // parallel to Rule::evidence
    };

    std::vector<std::unique_ptr<RulePack>> packs_;
    std::map<const Rule*, CompiledRule> compiled_;
};

} // namespace relayaudit
