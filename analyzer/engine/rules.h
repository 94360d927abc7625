#pragma once
// Rule packs: loading with validation, and evaluation over a snapshot. The language (consts, lets,
// where, message markup, evidence for-each, examples) is described in docs/writing-rules.md.
// The engine knows the snapshot's XML and nothing about where it came from.
#include "findings.h"

#include <map>
#include <memory>
#include <mutex>
#include <pugixml.hpp>
#include <string>
#include <vector>

namespace relayaudit {

struct CompiledPack;
struct CompiledRule;
class EarlyEvaluation;

struct RulePackError {
    std::string source; // pack file
    unsigned line = 0;  // 0 when the problem has no place in the file
    std::string rule;   // rule ID when the error is in one rule, else empty
    std::string message;
    // "file:line: rule ID: message"
    std::string describe() const;
};

class RuleCatalogue {
public:
    RuleCatalogue();
    RuleCatalogue(RuleCatalogue&&) noexcept;
    RuleCatalogue& operator=(RuleCatalogue&&) noexcept;
    ~RuleCatalogue();

    // Loads the packs built into the binary (the repository's rules/*.xml at build time).
    bool loadBuiltin(std::vector<RulePackError>& errors);
    // Loads a pack file, or every *.xml in a directory (sorted by name).
    bool loadPath(const std::string& path, std::vector<RulePackError>& errors);
    // Loads one pack from text; source names it in errors. A pack with any error is not added.
    bool loadText(std::string_view text, const std::string& source,
                  std::vector<RulePackError>& errors);

    const std::vector<std::unique_ptr<RulePack>>& packs() const { return packs_; }
    std::vector<const Rule*> rules() const; // in pack order, then rule order
    const Rule* find(std::string_view id) const;
    const CompiledRule& compiled(const Rule& rule) const;

    // Evaluates every rule; findings are ordered most severe first, then rule ID, then object.
    // Rules are spread over two threads; each rule's lets live in its own variable set, so one
    // rule is only ever run by one thread. Calls on one catalogue from several threads take
    // turns (the consts and lets are bound in the catalogue's compiled rules).
    // `early` holds what ran while this snapshot was built (early_evaluation.h): its answers and
    // findings are taken, and the findings are the same as without it.
    std::vector<Finding> evaluate(const pugi::xml_document& snapshot,
                                  EarlyEvaluation* early = nullptr) const;

private:
    std::vector<std::unique_ptr<RulePack>> packs_;
    std::vector<std::unique_ptr<CompiledPack>> compiledPacks_; // parallel to packs_
    std::map<const Rule*, std::unique_ptr<CompiledRule>> compiled_;
    std::unique_ptr<std::mutex>
        evaluating_; // held by evaluate(); a pointer keeps the class movable
};

} // namespace relayaudit
