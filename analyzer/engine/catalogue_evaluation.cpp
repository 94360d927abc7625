// Running the whole catalogue over a snapshot on two threads, in three steps: the node-sets the
// conditions start from, then the conditions' tests, then the findings of each rule.
//
// Most rules look at the same nodes ("/snapshot/exchange/virtualServer[...]"). Evaluated one
// rule after another, each walked every virtual server's attributes through the whole document
// again; now such a path is walked once and every rule's tests run on a node while it is in the
// cache, which made the selection about three times cheaper (docs/design.md, issue 10).
#include "compiled_rule.h"
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
    pugi::xpath_node_set nodes;
};

// A run of one path's nodes, and what each of its rules selected among them.
struct TestTask {
    const SharedPath* shared = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::vector<std::vector<pugi::xpath_node>> selected; // parallel to shared->rules
};

bool passes(const SplitCondition& split, const pugi::xpath_node& node) {
    for (const auto& test : split.tests)
        if (!test->evaluate_boolean(node))
            return false;
    return true;
}

bool moreSevereFirst(const Finding& a, const Finding& b) {
    if (a.severity() != b.severity())
        return a.severity() > b.severity();
    if (a.rule != b.rule && a.rule->id != b.rule->id)
        return a.rule->id < b.rule->id;
    return a.object < b.object;
}

} // namespace

std::vector<Finding> RuleCatalogue::evaluate(const pugi::xml_document& snapshot) const {
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
    for (const SharedPath* shared : paths)
        for (std::size_t begin = 0; begin < shared->nodes.size(); begin += kNodesPerTask)
            tasks.push_back({shared, begin, std::min(begin + kNodesPerTask, shared->nodes.size()),
                             std::vector<std::vector<pugi::xpath_node>>(shared->rules.size())});
    runTasks(tasks.size(), [&](std::size_t t) {
        auto& task = tasks[t];
        const auto& rules = task.shared->rules;
        for (std::size_t n = task.begin; n < task.end; ++n) {
            const auto& node = task.shared->nodes[n];
            for (std::size_t r = 0; r < rules.size(); ++r)
                if (passes(*compiled[rules[r]]->split, node))
                    task.selected[r].push_back(node);
        }
    });
    for (auto& task : tasks) // in node order within each path
        for (std::size_t r = 0; r < task.shared->rules.size(); ++r)
            selected[task.shared->rules[r]].insert(selected[task.shared->rules[r]].end(),
                                                   task.selected[r].begin(),
                                                   task.selected[r].end());

    // Each rule's lets live in its own variable set: one rule is only ever run by one thread.
    std::vector<std::vector<Finding>> perRule(all.size());
    runTasks(all.size(),
             [&](std::size_t i) { makeFindings(*all[i], *compiled[i], selected[i], perRule[i]); });

    // One array of findings: each rule's are moved in and its own array freed at once, then the
    // array is sorted through indices (ties keep catalogue order, as a stable sort would) and
    // put in order by following the permutation's cycles. Moving them into a second sorted
    // array held both arrays at once, 3 MB at 14,000 findings.
    std::size_t total = 0;
    for (const auto& ruleFindings : perRule)
        total += ruleFindings.size();
    std::vector<Finding> findings;
    findings.reserve(total);
    for (auto& ruleFindings : perRule) {
        std::move(ruleFindings.begin(), ruleFindings.end(), std::back_inserter(findings));
        std::vector<Finding>().swap(ruleFindings);
    }
    std::vector<std::size_t> order(total);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(order.begin(), order.end(), [&findings](std::size_t a, std::size_t b) {
        if (moreSevereFirst(findings[a], findings[b]))
            return true;
        if (moreSevereFirst(findings[b], findings[a]))
            return false;
        return a < b;
    });
    // Place i takes the finding at order[i]; a place already filled has order[i] == i.
    for (std::size_t start = 0; start < total; ++start) {
        if (order[start] == start)
            continue;
        Finding held = std::move(findings[start]);
        std::size_t place = start;
        while (order[place] != start) {
            const std::size_t from = order[place];
            findings[place] = std::move(findings[from]);
            order[place] = place;
            place = from;
        }
        findings[place] = std::move(held);
        order[place] = place;
    }
    return findings;
}

} // namespace relayaudit
