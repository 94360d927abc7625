#pragma once
// What the pack loader compiles a rule into, and the evaluator runs: XPath queries bound to the
// variable sets that hold the pack's consts and the rule's lets. Internal to the engine.
#include "condition_split.h"
#include "findings.h"
#include "message_template.h"
#include "xpath_compile.h"

#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <span>
#include <string>
#include <vector>

namespace relayaudit {

// A named value: a pack-level <const select> (context: the document root) or a rule-level <let>
// (context: the offending node). A <const value> has no query; its string is set at load time.
struct Binding {
    std::string name;
    QueryPointer query;
};

struct CompiledEvidence {
    QueryPointer forEach; // null: one row, observed relative to the offending node
    QueryPointer observed;
    unsigned line = 0;
};

struct RuleExample {
    bool expectFires = true;
    std::string messageContains;
    std::string evidenceContains;
    std::string causeContains;
    // The example's snapshot as XML text, parsed when the example runs (rules --check): a
    // document per example held 32 KB (pugixml's first page) each, 3.3 MB for the built-in packs
    // in every run that never runs an example.
    std::string snapshotXml;
    unsigned line = 0;
};

struct CompiledPack {
    // Pointers into it live in the queries below: it must not move, hence the unique_ptr.
    std::unique_ptr<pugi::xpath_variable_set> consts = std::make_unique<pugi::xpath_variable_set>();
    std::vector<Binding> constants; // in pack order; <const select> evaluated once per document
};

struct CompiledRule {
    const CompiledPack* pack = nullptr;
    // The pack's consts plus the rule's lets; the lets' values change per offending node.
    std::unique_ptr<pugi::xpath_variable_set> variables =
        std::make_unique<pugi::xpath_variable_set>();
    QueryPointer condition; // compiled with the pack's consts only
    // The condition as path and tests, when it has that shape (the catalogue shares the path).
    std::optional<SplitCondition> split;
    std::vector<Binding> lets;
    QueryPointer where; // may be null
    QueryPointer object;
    QueryPointer name; // null: the default, "server: name" or "name"
    MessageTemplate message;
    MessageTemplate cause;                  // empty parts: the rule names no cause
    std::vector<CompiledEvidence> evidence; // parallel to Rule::evidence
    std::vector<RuleExample> examples;
    // A rule with lets sets them per node in its variable set, so one compilation runs on one
    // thread at a time. Such a rule is compiled twice, the second time into a variable set of
    // its own (null otherwise, and in the twin itself), so that its nodes can be shared by two
    // threads: one such rule with 2,000 findings ran alone at the end of the rule phase.
    std::unique_ptr<CompiledRule> twin;
};

// What running a rule on one document showed, for the example runner's coverage checks.
struct RuleTrace {
    std::vector<unsigned> ifOutcomes;   // per <if> of the message: bit 1 true, bit 2 false seen
    std::vector<bool> evidenceObserved; // per <evidence>: a non-empty observed value was seen
};

// Sets the pack's <const select> values for this document.
void bindConsts(const CompiledPack& pack, const pugi::xml_document& document);
// Appends the findings of one rule on the document; bindConsts must have run for its pack.
void evaluateRule(const Rule& rule, const CompiledRule& compiled,
                  const pugi::xml_document& document, std::vector<Finding>& findings,
                  RuleTrace* trace = nullptr);
// Copies the pack's consts into the rule's own variable set; makeFindings reads them there.
void bindRuleConsts(const CompiledRule& compiled);
// The findings of nodes its condition selected, in document order; bindRuleConsts must have run.
// A rule without <let> writes nothing shared, so runs of its nodes may go to several threads at
// once; a rule with lets sets them in its variable set per node, so one thread runs it.
void makeFindings(const Rule& rule, const CompiledRule& compiled,
                  std::span<const pugi::xpath_node> selected, std::vector<Finding>& findings,
                  RuleTrace* trace = nullptr);

} // namespace relayaudit
