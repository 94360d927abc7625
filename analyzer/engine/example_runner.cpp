#include "example_runner.h"

#include "compiled_rule.h"

namespace relayaudit {

namespace {

std::string quoted(const std::string& text) {
    return "\"" + text + "\"";
}

std::string joinedMessages(const std::vector<Finding>& findings) {
    std::string out;
    for (const auto& finding : findings)
        out += (out.empty() ? "" : " | ") + quoted(finding.message);
    return out;
}

class RuleChecker {
public:
    RuleChecker(const Rule& rule, const CompiledRule& compiled, std::vector<std::string>& failures)
        : rule_(rule), compiled_(compiled), failures_(failures) {
        ifOutcomes_.assign(compiled.message.ifs.size(), 0);
        evidenceObserved_.assign(compiled.evidence.size(), false);
    }

    void run() {
        bool anyFires = false, anySilent = false;
        for (std::size_t i = 0; i < compiled_.examples.size(); ++i) {
            const auto& example = compiled_.examples[i];
            (example.expectFires ? anyFires : anySilent) = true;
            runExample(example, i + 1);
        }
        if (!anyFires)
            fail(rule_.line, "expected an <example expect=\"fires\">, got none");
        if (!anySilent)
            fail(rule_.line, "expected an <example expect=\"silent\">, got none");
        if (!anyFires)
            return;
        for (std::size_t i = 0; i < compiled_.message.ifs.size(); ++i) {
            const auto& site = compiled_.message.ifs[i];
            for (auto [bit, way] : {std::pair{1u, "true"}, std::pair{2u, "false"}})
                if (!(ifOutcomes_[i] & bit))
                    fail(site.line, std::string("<if test=\"") + site.test +
                                        "\">: expected a firing example with message-contains "
                                        "where it is " +
                                        way + ", got none");
        }
        for (std::size_t i = 0; i < compiled_.evidence.size(); ++i)
            if (!evidenceObserved_[i])
                fail(compiled_.evidence[i].line,
                     "<evidence attribute=\"" + rule_.evidence[i].attribute +
                         "\">: expected an observed value in some firing example, got only "
                         "empty ones");
    }

private:
    void runExample(const RuleExample& example, std::size_t number) {
        std::vector<Finding> findings;
        RuleTrace trace;
        pugi::xml_document snapshot;
        snapshot.load_buffer(example.snapshotXml.data(), example.snapshotXml.size());
        bindConsts(*compiled_.pack, snapshot);
        evaluateRule(rule_, compiled_, snapshot, findings, &trace);
        std::string prefix = "example " + std::to_string(number) + ": ";
        if (!example.expectFires) {
            if (!findings.empty())
                fail(example.line, prefix + "expected silent, got " +
                                       std::to_string(findings.size()) +
                                       " finding(s): " + joinedMessages(findings));
            return;
        }
        if (findings.empty()) {
            fail(example.line, prefix + "expected it to fire, got no finding");
            return;
        }
        if (!example.messageContains.empty()) {
            bool found = false;
            for (const auto& finding : findings)
                found = found || finding.message.find(example.messageContains) != std::string::npos;
            if (!found)
                fail(example.line, prefix + "expected a message containing " +
                                       quoted(example.messageContains) + ", got " +
                                       joinedMessages(findings));
            for (std::size_t i = 0; i < ifOutcomes_.size(); ++i)
                ifOutcomes_[i] |= trace.ifOutcomes[i];
        }
        if (!example.evidenceContains.empty()) {
            std::string observed;
            bool found = false;
            for (const auto& finding : findings)
                for (const auto& row : finding.evidence) {
                    found =
                        found || row.observed.find(example.evidenceContains) != std::string::npos;
                    observed += (observed.empty() ? "" : ", ") + quoted(row.observed);
                }
            if (!found)
                fail(example.line, prefix + "expected evidence containing " +
                                       quoted(example.evidenceContains) + ", got " +
                                       (observed.empty() ? "no evidence" : observed));
        }
        if (!example.causeContains.empty()) {
            std::string causes;
            bool found = false;
            for (const auto& finding : findings) {
                found = found || finding.cause.find(example.causeContains) != std::string::npos;
                causes += (causes.empty() ? "" : ", ") + quoted(finding.cause);
            }
            if (!found)
                fail(example.line, prefix + "expected a cause containing " +
                                       quoted(example.causeContains) + ", got " + causes);
        }
        for (std::size_t i = 0; i < evidenceObserved_.size(); ++i)
            evidenceObserved_[i] = evidenceObserved_[i] || trace.evidenceObserved[i];
    }

    void fail(unsigned line, const std::string& message) {
        failures_.push_back(rule_.source + ":" + std::to_string(line) + ": rule " + rule_.id +
                            ": " + message);
    }

    const Rule& rule_;
    const CompiledRule& compiled_;
    std::vector<std::string>& failures_;
    std::vector<unsigned> ifOutcomes_;
    std::vector<bool> evidenceObserved_;
};

} // namespace

std::vector<std::string> checkExamples(const RuleCatalogue& catalogue) {
    std::vector<std::string> failures;
    for (const auto* rule : catalogue.rules())
        RuleChecker(*rule, catalogue.compiled(*rule), failures).run();
    return failures;
}

std::vector<std::string> checkRulePacks(const std::vector<std::string>& paths) {
    RuleCatalogue catalogue;
    std::vector<RulePackError> errors;
    for (const auto& path : paths)
        catalogue.loadPath(path, errors);
    std::vector<std::string> failures;
    for (const auto& error : errors)
        failures.push_back(error.describe());
    if (paths.empty())
        failures.push_back("no rule pack given: rules --check PACK...");
    auto exampleFailures = checkExamples(catalogue);
    failures.insert(failures.end(), exampleFailures.begin(), exampleFailures.end());
    return failures;
}

} // namespace relayaudit
