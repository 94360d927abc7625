#include "cli.h"

#include "options.h"
#include "pipeline.h"
#include "probe_command.h"
#include "rules_command.h"
#include "run_failure.h"
#include "text_encoding.h"

#include <new>
#include <ostream>

namespace relayaudit {

namespace {

// Parses a subcommand's arguments, then either prints its help or runs it.
template <class Options, class Runner>
int dispatch(const ParsedCommand<Options>& parsed, std::ostream& out, Runner runner) {
    if (!parsed.help.empty()) {
        out << parsed.help;
        return kExitClean;
    }
    return runner(parsed.options);
}

} // namespace

int run(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
    try {
        if (arguments.empty()) {
            err << generalUsage();
            return kExitFailure;
        }
        const std::string& command = arguments.front();
        std::vector<std::string> rest(arguments.begin() + 1, arguments.end());
        if (command == "--help" || command == "-h" || command == "help") {
            out << generalUsage();
            return kExitClean;
        }
        if (command == "--version") {
            out << "relayaudit " << toolVersion() << "\n";
            return kExitClean;
        }
        if (command == "analyze")
            return dispatch(parseAnalyzeArguments(rest), out, [&](const AnalyzeOptions& options) {
                return runAnalyze(options, out);
            });
        if (command == "audit")
            return dispatch(parseAuditArguments(rest), out, [&](const AuditOptions& options) {
                return runAudit(options, out, err);
            });
        if (command == "collect")
            return dispatch(parseCollectArguments(rest), out, [&](const CollectOptions& options) {
                return runCollect(options, err);
            });
        if (command == "rules")
            return dispatch(parseRulesArguments(rest), out, [&](const RulesOptions& options) {
                return runRules(options, out, err);
            });
        if (command == "probe")
            return dispatch(
                parseProbeArguments(rest), out,
                [&](const ProbeCommandOptions& options) { return runProbe(options, out); });
        throw RunFailure{"unknown command '" + command +
                         "'; use analyze, audit, collect, probe or rules (see relayaudit --help)"};
    } catch (const RunFailure& failure) {
        err << "relayaudit: " << terminalSafeText(failure.message) << "\n";
        return kExitFailure;
    } catch (const std::bad_alloc&) {
        err << "relayaudit: out of memory\n";
        return kExitFailure;
    } catch (const std::exception& error) {
        err << "relayaudit: internal error: " << error.what()
            << " (please report it with the command line you used)\n";
        return kExitFailure;
    }
}

} // namespace relayaudit
