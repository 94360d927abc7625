#pragma once
// Rules run on each object as soon as it is built, while the collection is still waiting for the
// directory (issue 10). A live audit builds the snapshot on a thread of its own, which waits for
// the next page when the domain controller is another machine. Rule tests, and the whole of the
// rules that read nothing but their object, run on each virtual server and connector there; the
// catalogue's evaluation afterwards takes their answers and findings instead of working them out
// again. (With slapd on the same two cores, as in the benchmark, the collection is CPU-bound and
// grows by about what the rule phase loses: docs/design.md, sixth round.)
//
// Only what reads nothing but the object's own subtree runs early (xpath_locality.h): an object
// built at once is complete when the builder hands it over and nothing below it changes later,
// so such a test or finding is what it would be on the finished document. Tests that read
// variables or anything outside the object still run in RuleCatalogue::evaluate, as do rules
// with such a test, a let, a where, or such an expression in their object, name, message, cause
// or evidence.
#include "findings.h"
#include "rules.h"
#include "simple_xpath.h"

#include <cstdint>
#include <map>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relayaudit {

class CompiledXPath;
struct CompiledRule;

class EarlyEvaluation {
public:
    // Which of a node's early tests ran, and which passed: bit `id` of each.
    struct Outcomes {
        std::uint64_t known = 0;
        std::uint64_t passed = 0;
    };
    static constexpr int kNotEarly = -1;

    // The tests of the catalogue's split conditions that read only their node's subtree (at most
    // 64; any more run late as before), and the rules that read nothing else.
    explicit EarlyEvaluation(const RuleCatalogue& catalogue);
    ~EarlyEvaluation();

    // Called by the thread building the snapshot, and only by it, until the document is finished:
    // `object` is complete and will sit at `path` in the finished document
    // ("/snapshot/exchange/virtualServer").
    void objectBuilt(pugi::xml_node object, std::string_view path);

    // For RuleCatalogue::evaluate, once the building thread has finished.
    // The id of a split condition's test on its path (kNotEarly when it does not run early).
    int idOf(const std::string& path, const CompiledXPath* test) const;
    // What the early tests gave on a node (null when none ran on it).
    const Outcomes* outcomesOf(pugi::xml_node node) const;
    // Whether the rule ran whole on each object built at once, and on how many objects.
    bool ranWhole(const Rule& rule, std::size_t& objects) const;
    // The findings of a rule that ran whole, in the order the objects were built; moved out.
    std::vector<Finding> takeFindings(const Rule& rule);
    // Frees what was kept per object, once evaluate is done with it (it is not needed for the
    // reports, which are written while memory use is at its highest).
    void release();

private:
    const std::vector<int>& idsFor(std::string_view path);

    struct Candidate {
        std::string path;
        const CompiledXPath* test;
    };
    struct WholeRule {
        const Rule* rule;
        const CompiledRule* compiled;
        std::string path;
        std::vector<int> testIds;
        std::size_t objects = 0; // built on its path
        std::vector<Finding> findings;
    };
    std::vector<Candidate> candidates_; // index: id
    std::map<std::pair<std::string, const CompiledXPath*>, int> ids_;
    std::vector<std::pair<std::string, std::vector<int>>> idsByObjectPath_; // a few paths
    // The answers per object: one table of slots (open addressing, doubling) rather than a node
    // per object, which release() freed one by one (1 ms at 10,000 virtual servers, on the thread
    // the audit waits for).
    struct OutcomeSlot {
        const pugi::xml_node_struct* node = nullptr; // null: free
        Outcomes outcomes;
    };
    void keepOutcomes(const pugi::xml_node_struct* node, const Outcomes& outcomes);
    std::vector<OutcomeSlot> outcomes_; // a power of two in size, at most half used
    std::size_t outcomesUsed_ = 0;
    std::vector<WholeRule> wholeRules_;
    ObjectAttributes attributesRead_; // for the object being told, reused
};

} // namespace relayaudit
