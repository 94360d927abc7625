// Running the whole catalogue over a snapshot on two threads, in four steps: the node-sets the
// conditions start from, then the conditions' tests, then the findings in runs of nodes, then
// each rule's findings in the report's order.
//
// Most rules look at the same nodes ("/snapshot/exchange/virtualServer[...]"). Evaluated one
// rule after another, each walked every virtual server's attributes through the whole document
// again; now such a path is walked once and every rule's tests run on a node while it is in the
// cache, which made the selection about three times cheaper (docs/design.md, issue 10).
#include "compiled_rule.h"
#include "early_evaluation.h"
#include "rules.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>

namespace relayaudit {

namespace {

// Two: the client the audit runs on has two cores.
constexpr unsigned kEvaluationThreads = 2;
// Small enough to share a path's nodes evenly between the threads, large enough that taking a
// task costs nothing next to running it.
constexpr std::size_t kNodesPerTask = 256;

// Runs task(0) … task(count - 1), each once, on up to kEvaluationThreads threads; the first
// failure stops the rest and is rethrown.
void runTasks(std::size_t count, const std::function<void(std::size_t)>& task) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failureLock;
    auto work = [&] {
        try {
            for (std::size_t i; (i = next.fetch_add(1)) < count;)
                task(i);
        } catch (...) {
            std::lock_guard guard(failureLock);
            failure = std::current_exception();
            next = count;
        }
    };
    unsigned threads =
        std::min(kEvaluationThreads, std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < threads && t < count; ++t)
        helpers.emplace_back(work);
    work();
    for (auto& helper : helpers)
        helper.join();
    if (failure)
        std::rethrow_exception(failure);
}

// The rules whose conditions start from one path, and that path's nodes in document order.
struct SharedPath {
    std::string path;
    std::vector<std::size_t> rules; // indexes into the catalogue's rules
    // Parallel to rules: per test of the rule's split condition, its EarlyEvaluation id or
    // kNotEarly.
    std::vector<std::vector<int>> earlyIds;
    pugi::xpath_node_set nodes;
    std::atomic<std::size_t> builtLate{0}; // nodes no early test ran on
};

// A run of one path's nodes, and what each of its rules selected among them.
struct TestTask {
    SharedPath* shared = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::vector<std::vector<pugi::xpath_node>> selected; // parallel to shared->rules
};

// `early`: what the tests that ran while the node was built gave (null: none ran on it).
bool passes(const SplitCondition& split, const std::vector<int>& earlyIds,
            const EarlyEvaluation::Outcomes* early, const pugi::xpath_node& node) {
    for (std::size_t i = 0; i < split.tests.size(); ++i) {
        const int id = earlyIds[i];
        const bool known = early && id != EarlyEvaluation::kNotEarly && (early->known >> id & 1);
        if (known ? !(early->passed >> id & 1) : !split.tests[i]->evaluateBoolean(node))
            return false;
    }
    return true;
}

} // namespace

std::vector<Finding> RuleCatalogue::evaluate(const pugi::xml_document& snapshot,
                                             EarlyEvaluation* early) const {
    std::lock_guard lock(*evaluating_);
    for (const auto& pack : compiledPacks_)
        bindConsts(*pack, snapshot); // before the threads: every rule of the pack reads them
    std::vector<const Rule*> all = rules();
    std::vector<const CompiledRule*> compiled;
    for (const Rule* rule : all)
        compiled.push_back(compiled_.at(rule).get());

    // Each rule's selected nodes go to its own slot, so the result does not depend on which
    // thread ran what.
    std::vector<std::vector<pugi::xpath_node>> selected(all.size());
    std::map<std::string, SharedPath> byPath;
    std::vector<std::size_t> whole; // rules whose condition runs as written
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (!compiled[i]->split) {
            whole.push_back(i);
            continue;
        }
        auto& shared = byPath[compiled[i]->split->path];
        shared.path = compiled[i]->split->path;
        shared.rules.push_back(i);
        auto& ids = shared.earlyIds.emplace_back();
        for (const auto& test : compiled[i]->split->tests)
            ids.push_back(early ? early->idOf(shared.path, test.get())
                                : EarlyEvaluation::kNotEarly);
    }
    std::vector<SharedPath*> paths;
    for (auto& [path, shared] : byPath)
        paths.push_back(&shared);

    runTasks(paths.size() + whole.size(), [&](std::size_t i) {
        if (i < paths.size()) {
            paths[i]->nodes = pugi::xpath_query(paths[i]->path.c_str()).evaluate_node_set(snapshot);
            paths[i]->nodes.sort(); // document order, as the whole condition gives
            return;
        }
        std::size_t rule = whole[i - paths.size()];
        auto nodes = compiled[rule]->condition->evaluate_node_set(snapshot);
        nodes.sort();
        selected[rule].assign(nodes.begin(), nodes.end());
    });

    std::vector<TestTask> tasks;
    for (SharedPath* shared : paths)
        for (std::size_t begin = 0; begin < shared->nodes.size(); begin += kNodesPerTask)
            tasks.push_back({shared, begin, std::min(begin + kNodesPerTask, shared->nodes.size()),
                             std::vector<std::vector<pugi::xpath_node>>(shared->rules.size())});
    runTasks(tasks.size(), [&](std::size_t t) {
        auto& task = tasks[t];
        const auto& rules = task.shared->rules;
        for (std::size_t n = task.begin; n < task.end; ++n) {
            const auto& node = task.shared->nodes[n];
            const auto* earlyOutcomes = early ? early->outcomesOf(node.node()) : nullptr;
            if (!earlyOutcomes)
                ++task.shared->builtLate;
            for (std::size_t r = 0; r < rules.size(); ++r)
                if (passes(*compiled[rules[r]]->split, task.shared->earlyIds[r], earlyOutcomes,
                           node))
                    task.selected[r].push_back(node);
        }
    });
    for (auto& task : tasks) // in node order within each path
        for (std::size_t r = 0; r < task.shared->rules.size(); ++r)
            selected[task.shared->rules[r]].insert(selected[task.shared->rules[r]].end(),
                                                   task.selected[r].begin(),
                                                   task.selected[r].end());

    // The findings, in runs of nodes: a rule without <let> is cut into runs of kNodesPerTask
    // that either thread may take, a rule with lets into two, one per compilation (it sets them
    // per node in the compilation's own variable set). The longest runs start first. One thread per
    // rule left one thread making the findings of a large rule alone: on the busy 10k shape two
    // rules have 4,000 each.
    struct FindingsTask {
        std::size_t rule = 0;
        std::size_t begin = 0;
        std::size_t end = 0;
        std::vector<Finding> findings;
        bool onTwin = false; // run on the rule's second compilation (CompiledRule::twin)
    };
    std::vector<FindingsTask> findingTasks;
    std::vector<FindingsTask> madeEarly;
    std::vector<const SharedPath*> pathOf(all.size(), nullptr);
    for (SharedPath* shared : paths)
        for (std::size_t rule : shared->rules)
            pathOf[rule] = shared;
    for (std::size_t i = 0; i < all.size(); ++i) {
        // A rule that ran whole as each object was built: its findings are taken when its path's
        // nodes are exactly those objects (each had the early tests, and as many were built) and
        // it selected the same nodes here (from the early answers, so the check costs little).
        std::size_t builtEarly = 0;
        if (early && pathOf[i] && pathOf[i]->builtLate == 0 &&
            early->ranWhole(*all[i], builtEarly) && builtEarly == pathOf[i]->nodes.size()) {
            auto findings = early->takeFindings(*all[i]);
            if (findings.size() == selected[i].size()) {
                madeEarly.push_back({i, 0, findings.size(), std::move(findings)});
                continue;
            }
        }
        bindRuleConsts(*compiled[i]); // before the threads: they only read the consts
        const std::size_t count = selected[i].size();
        if (compiled[i]->lets.empty()) {
            for (std::size_t begin = 0; begin < count; begin += kNodesPerTask)
                findingTasks.push_back({i, begin, std::min(begin + kNodesPerTask, count), {}});
            continue;
        }
        // Lets: one run per compilation, so each variable set is used by one thread.
        const CompiledRule* twin = compiled[i]->twin.get();
        const std::size_t half = twin && count > 1 ? (count + 1) / 2 : count;
        findingTasks.push_back({i, 0, half, {}});
        if (half < count) {
            bindRuleConsts(*twin);
            findingTasks.push_back({i, half, count, {}, true});
        }
    }
    std::vector<std::size_t> longestFirst(findingTasks.size());
    std::iota(longestFirst.begin(), longestFirst.end(), std::size_t(0));
    std::stable_sort(longestFirst.begin(), longestFirst.end(), [&](std::size_t a, std::size_t b) {
        return findingTasks[a].end - findingTasks[a].begin >
               findingTasks[b].end - findingTasks[b].begin;
    });
    runTasks(findingTasks.size(), [&](std::size_t t) {
        auto& task = findingTasks[longestFirst[t]];
        std::span<const pugi::xpath_node> nodes(selected[task.rule].data() + task.begin,
                                                task.end - task.begin);
        makeFindings(*all[task.rule],
                     task.onTwin ? *compiled[task.rule]->twin : *compiled[task.rule], nodes,
                     task.findings);
    });
    std::move(madeEarly.begin(), madeEarly.end(), std::back_inserter(findingTasks));
    if (early)
        early->release();

    // The report's order: more severe first, then by rule ID, then by object, ties in node order.
    // IDs are unique, so that is each rule's findings sorted by object, in rule order: each rule
    // is sorted on its own, on both threads, comparing objects only (one comparator over all
    // 14,000 findings on one thread was a sixth of the rule phase).
    std::vector<std::vector<std::size_t>> runsOf(all.size());
    std::vector<std::size_t> countOf(all.size(), 0);
    for (std::size_t t = 0; t < findingTasks.size(); ++t) {
        runsOf[findingTasks[t].rule].push_back(t);
        countOf[findingTasks[t].rule] += findingTasks[t].findings.size();
    }
    std::vector<std::size_t> ruleOrder(all.size());
    std::iota(ruleOrder.begin(), ruleOrder.end(), std::size_t(0));
    std::sort(ruleOrder.begin(), ruleOrder.end(), [&all](std::size_t a, std::size_t b) {
        if (all[a]->severity != all[b]->severity)
            return all[a]->severity > all[b]->severity;
        return all[a]->id < all[b]->id;
    });
    // Each rule's findings go straight to their place in one array, on both threads: through an
    // array per rule, then into the one array, they were moved twice and held twice (3 MB).
    std::vector<std::size_t> offsetOf(all.size(), 0);
    std::size_t total = 0;
    for (std::size_t rule : ruleOrder) {
        offsetOf[rule] = total;
        total += countOf[rule];
    }
    std::vector<Finding> findings(total);
    std::vector<std::size_t> largestRuleFirst(all.size());
    std::iota(largestRuleFirst.begin(), largestRuleFirst.end(), std::size_t(0));
    std::stable_sort(largestRuleFirst.begin(), largestRuleFirst.end(),
                     [&](std::size_t a, std::size_t b) { return countOf[a] > countOf[b]; });
    runTasks(all.size(), [&](std::size_t r) {
        const std::size_t rule = largestRuleFirst[r];
        std::vector<Finding*> inNodeOrder;
        inNodeOrder.reserve(countOf[rule]);
        for (std::size_t t : runsOf[rule])
            for (auto& finding : findingTasks[t].findings)
                inNodeOrder.push_back(&finding);
        std::stable_sort(inNodeOrder.begin(), inNodeOrder.end(),
                         [](const Finding* a, const Finding* b) { return a->object < b->object; });
        auto place = findings.begin() + std::ptrdiff_t(offsetOf[rule]);
        for (Finding* finding : inNodeOrder)
            *place++ = std::move(*finding);
        for (std::size_t t : runsOf[rule])
            std::vector<Finding>().swap(findingTasks[t].findings);
    });
    return findings;
}

} // namespace relayaudit
