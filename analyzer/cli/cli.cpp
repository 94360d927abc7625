#include "cli.h"

#include "input_file.h"
#include "log_lines.h"
#include "mail_report.h"
#include "options.h"
#include "phase_timings.h"
#include "pipeline.h"
#include "probe_command.h"
#include "rules_command.h"
#include "run_failure.h"
#include "suggestions.h"
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

// analyze and audit mail a failed run when --mail-when asks for it, then fail as before.
template <class Body> int mailingFailures(const MailOptions& mail, Body body) {
    try {
        return body();
    } catch (const RunFailure& failure) {
        throw RunFailure{failure.message + mailFailure(mail, failure.message)};
    }
}

int runCommand(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err,
               RunLeftovers* leftovers);

} // namespace

// --timings is global (any command, anywhere on the line): taken out before the command's own
// options are parsed, and the breakdown goes to stderr after the run, whatever its outcome.
int run(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err,
        RunLeftovers* leftovers) {
    std::vector<std::string> rest;
    bool timed = false;
    for (const auto& argument : arguments) {
        if (argument == "--timings")
            timed = true;
        else
            rest.push_back(argument);
    }
    if (!timed)
        return runCommand(arguments, out, err, leftovers);
    timings::enable();
    int code = runCommand(rest, out, err, leftovers);
    err << timings::report();
    return code;
}

namespace {

int runCommand(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err,
               RunLeftovers* leftovers) {
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
                setMaxInputBytes(options.maxInputBytes);
                return mailingFailures(options.mail,
                                       [&] { return runAnalyze(options, out, err, leftovers); });
            });
        if (command == "audit")
            return dispatch(parseAuditArguments(rest), out, [&](const AuditOptions& options) {
                setMaxInputBytes(options.analysis.maxInputBytes);
                return mailingFailures(options.analysis.mail,
                                       [&] { return runAudit(options, out, err, leftovers); });
            });
        if (command == "collect")
            return dispatch(parseCollectArguments(rest), out, [&](const CollectOptions& options) {
                return runCollect(options, err);
            });
        if (command == "rules")
            return dispatch(parseRulesArguments(rest), out, [&](const RulesOptions& options) {
                setMaxInputBytes(options.maxInputBytes);
                return runRules(options, out, err);
            });
        if (command == "probe")
            return dispatch(
                parseProbeArguments(rest), out,
                [&](const ProbeCommandOptions& options) { return runProbe(options, out); });
        throw RunFailure{"unknown command '" + command + "'" +
                         didYouMean(command, {"analyze", "audit", "collect", "probe", "rules"}) +
                         "; use analyze, audit, collect, probe or rules (see relayaudit --help)"};
    } catch (const RunFailure& failure) {
        StderrLog(err).write(LogLevel::Error, failure.message);
        return kExitFailure;
    } catch (const std::bad_alloc&) {
        StderrLog(err).write(LogLevel::Error, "out of memory");
        return kExitFailure;
    } catch (const std::exception& error) {
        StderrLog(err).write(LogLevel::Error, std::string("internal error: ") + error.what() +
                                                  " (please report it with the command line you "
                                                  "used)");
        return kExitFailure;
    }
}

} // namespace

} // namespace relayaudit
