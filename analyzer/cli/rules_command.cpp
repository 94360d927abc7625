#include "rules_command.h"

#include "cli.h"
#include "example_runner.h"
#include "rule_explain.h"
#include "run_failure.h"
#include "text_encoding.h"

#include <ostream>
#include <sstream>

namespace relayaudit {

RuleCatalogue loadRules(const std::vector<std::string>& paths) {
    RuleCatalogue catalogue;
    std::vector<RulePackError> errors;
    catalogue.loadBuiltin(errors);
    for (const auto& path : paths)
        catalogue.loadPath(path, errors);
    if (!errors.empty()) {
        std::string message = "invalid rule pack: " + errors.front().describe();
        if (errors.size() > 1)
            message += " (and " + std::to_string(errors.size() - 1) + " more problems)";
        throw RunFailure{message + "; fix the pack (schema: schemas/rules.xsd, relayaudit rules "
                                   "--check PACK) or leave it out"};
    }
    return catalogue;
}

namespace {

// Pack text may be anybody's: every line goes through the terminal escaping.
void printLines(std::ostream& out, const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        out << terminalSafeText(line) << "\n";
}

int checkPacks(const std::vector<std::string>& packs, std::ostream& out, std::ostream& err) {
    auto failures = checkRulePacks(packs);
    for (const auto& failure : failures)
        err << terminalSafeText(failure) << "\n";
    if (!failures.empty()) {
        err << "relayaudit: " << failures.size() << " problem(s) in the rule packs\n";
        return kExitFailure;
    }
    out << "every rule pack loads and every example holds (" << packs.size() << " path(s))\n";
    return kExitClean;
}

} // namespace

int runRules(const RulesOptions& options, std::ostream& out, std::ostream& err) {
    if (options.check)
        return checkPacks(options.packsToCheck, out, err);
    auto catalogue = loadRules(options.rulePaths);
    if (!options.explainId.empty()) {
        const Rule* rule = catalogue.find(options.explainId);
        if (!rule)
            throw RunFailure{"no rule " + options.explainId +
                             " in the loaded packs; relayaudit rules lists them"};
        printLines(out, explainRule(*rule));
        return kExitClean;
    }
    for (const auto* rule : catalogue.rules())
        out << rule->id << "\t" << toString(rule->severity) << "\t" << toString(rule->kind) << "\t"
            << terminalSafeText(rule->title) << "\n";
    return kExitClean;
}

} // namespace relayaudit
