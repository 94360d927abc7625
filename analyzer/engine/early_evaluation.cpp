#include "early_evaluation.h"

#include "compiled_rule.h"
#include "xpath_locality.h"

#include <algorithm>
#include <cstdint>

namespace relayaudit {

namespace {

constexpr std::size_t kMostEarlyTests = 64; // one bit each in Outcomes

// Whether a split condition's path ("/snapshot/exchange/virtualServer" or ".../*") takes in an
// object that will sit at `objectPath`.
bool pathTakesIn(std::string_view conditionPath, std::string_view objectPath) {
    if (conditionPath == objectPath)
        return true;
    auto slash = objectPath.rfind('/');
    return conditionPath.size() >= 2 && conditionPath.substr(conditionPath.size() - 2) == "/*" &&
           slash != std::string_view::npos &&
           conditionPath.substr(0, conditionPath.size() - 1) == objectPath.substr(0, slash + 1);
}

bool partsReadOnlyTheirSubtree(const std::vector<MessagePart>& parts) {
    return std::all_of(parts.begin(), parts.end(), [](const MessagePart& part) {
        return (part.kind == MessagePart::Kind::Text || readsOnlyItsSubtree(part.expression)) &&
               partsReadOnlyTheirSubtree(part.then) && partsReadOnlyTheirSubtree(part.otherwise);
    });
}

// Everything a finding of the rule is made of, besides its condition, reads only the offending
// node's subtree. (A rule with lets sets them in its variable set, so it is left to evaluate.)
bool findingsReadOnlyTheirObject(const Rule& rule, const CompiledRule& compiled) {
    if (!compiled.lets.empty() || compiled.where || !readsOnlyItsSubtree(rule.objectXPath) ||
        !readsOnlyItsSubtree(rule.nameXPath) ||
        !partsReadOnlyTheirSubtree(compiled.message.parts) ||
        !partsReadOnlyTheirSubtree(compiled.cause.parts))
        return false;
    return std::all_of(rule.evidence.begin(), rule.evidence.end(), [](const auto& evidence) {
        return readsOnlyItsSubtree(evidence.observedXPath) && readsOnlyItsSubtree(evidence.forEach);
    });
}

} // namespace

EarlyEvaluation::EarlyEvaluation(const RuleCatalogue& catalogue) {
    for (const Rule* rule : catalogue.rules()) {
        const CompiledRule& compiled = catalogue.compiled(*rule);
        const auto& split = compiled.split;
        if (!split)
            continue;
        std::vector<int> testIds;
        for (std::size_t i = 0; i < split->tests.size(); ++i) {
            const CompiledXPath* test = split->tests[i].get();
            int id = idOf(split->path, test);
            if (id == kNotEarly && readsOnlyItsSubtree(split->testTexts[i]) &&
                candidates_.size() < kMostEarlyTests) {
                id = static_cast<int>(candidates_.size());
                ids_.emplace(std::pair{split->path, test}, id);
                candidates_.push_back({split->path, test});
            }
            testIds.push_back(id);
        }
        // Whole only on a path of one kind of object: its nodes are then exactly the objects
        // built on it, in the same order.
        if (split->path.find('*') == std::string::npos &&
            std::find(testIds.begin(), testIds.end(), kNotEarly) == testIds.end() &&
            findingsReadOnlyTheirObject(*rule, compiled))
            wholeRules_.push_back({rule, &compiled, split->path, std::move(testIds), 0, {}});
    }
}

EarlyEvaluation::~EarlyEvaluation() = default;

const std::vector<int>& EarlyEvaluation::idsFor(std::string_view path) {
    for (const auto& [known, ids] : idsByObjectPath_)
        if (known == path)
            return ids;
    std::vector<int> ids;
    for (std::size_t id = 0; id < candidates_.size(); ++id)
        if (pathTakesIn(candidates_[id].path, path))
            ids.push_back(static_cast<int>(id));
    idsByObjectPath_.emplace_back(std::string(path), std::move(ids));
    return idsByObjectPath_.back().second;
}

void EarlyEvaluation::objectBuilt(pugi::xml_node object, std::string_view path) {
    const auto& ids = idsFor(path);
    const pugi::xpath_node node(object);
    // Each node's attributes are read once for all the object's tests and findings
    // (simple_xpath.h).
    attributesRead_.clear();
    ObjectAttributes::Scope readOnce(attributesRead_);
    Outcomes outcomes;
    for (int id : ids) {
        const std::uint64_t bit = std::uint64_t(1) << id;
        outcomes.known |= bit;
        if (candidates_[id].test->evaluateBoolean(node, &attributesRead_))
            outcomes.passed |= bit;
    }
    keepOutcomes(object.internal_object(), outcomes);
    for (auto& whole : wholeRules_) {
        if (whole.path != path)
            continue;
        ++whole.objects;
        if (std::all_of(whole.testIds.begin(), whole.testIds.end(),
                        [&](int id) { return outcomes.passed >> id & 1; }))
            makeFindings(*whole.rule, *whole.compiled, {&node, 1}, whole.findings);
    }
}

int EarlyEvaluation::idOf(const std::string& path, const CompiledXPath* test) const {
    auto found = ids_.find({path, test});
    return found == ids_.end() ? kNotEarly : found->second;
}

namespace {
// Nodes are pugixml structs of at least 32 bytes: the low bits carry nothing.
std::size_t slotOf(const pugi::xml_node_struct* node, std::size_t mask) {
    return ((reinterpret_cast<std::uintptr_t>(node) >> 5) * 0x9E3779B97F4A7C15ull >> 16) & mask;
}
} // namespace

void EarlyEvaluation::keepOutcomes(const pugi::xml_node_struct* node, const Outcomes& outcomes) {
    if ((outcomesUsed_ + 1) * 2 > outcomes_.size()) {
        std::vector<OutcomeSlot> old(std::max<std::size_t>(64, outcomes_.size() * 2));
        old.swap(outcomes_);
        const std::size_t mask = outcomes_.size() - 1;
        for (const auto& slot : old)
            if (slot.node) {
                std::size_t at = slotOf(slot.node, mask);
                while (outcomes_[at].node)
                    at = (at + 1) & mask;
                outcomes_[at] = slot;
            }
    }
    const std::size_t mask = outcomes_.size() - 1;
    for (std::size_t at = slotOf(node, mask);; at = (at + 1) & mask) {
        auto& slot = outcomes_[at];
        if (slot.node == node) {
            slot.outcomes = outcomes; // told twice: the last answers count
            return;
        }
        if (!slot.node) {
            slot = {node, outcomes};
            ++outcomesUsed_;
            return;
        }
    }
}

const EarlyEvaluation::Outcomes* EarlyEvaluation::outcomesOf(pugi::xml_node node) const {
    if (outcomes_.empty())
        return nullptr;
    const std::size_t mask = outcomes_.size() - 1;
    for (std::size_t at = slotOf(node.internal_object(), mask);; at = (at + 1) & mask) {
        const auto& slot = outcomes_[at];
        if (slot.node == node.internal_object())
            return slot.node ? &slot.outcomes : nullptr;
        if (!slot.node)
            return nullptr;
    }
}

bool EarlyEvaluation::ranWhole(const Rule& rule, std::size_t& objects) const {
    for (const auto& whole : wholeRules_)
        if (whole.rule == &rule) {
            objects = whole.objects;
            return true;
        }
    return false;
}

std::vector<Finding> EarlyEvaluation::takeFindings(const Rule& rule) {
    for (auto& whole : wholeRules_)
        if (whole.rule == &rule)
            return std::move(whole.findings);
    return {};
}

void EarlyEvaluation::release() {
    std::vector<OutcomeSlot>().swap(outcomes_);
    outcomesUsed_ = 0;
    for (auto& whole : wholeRules_)
        std::vector<Finding>().swap(whole.findings);
}

} // namespace relayaudit
