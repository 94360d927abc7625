#include "options.h"

#include "config_file.h"
#include "run_failure.h"
#include "suggestions.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <optional>
#include <sstream>

namespace relayaudit {

namespace po = boost::program_options;

namespace {

const char* kUsage = R"(relayaudit - audit the mail-relay safety of Microsoft Exchange organisations

Usage:
  relayaudit analyze --ldif FILE ... | --ims-registry FILE ... | --snapshot FILE  [options]
  relayaudit audit   --uri URI [connection options] [options]
  relayaudit collect --uri URI [connection options] --snapshot-out FILE
  relayaudit rules   [--rules PATH ...] [--explain ID]
  relayaudit rules   --check PACK...
  relayaudit probe   --target HOST[:PORT] ... [probe options]
  relayaudit --help | --version
  relayaudit COMMAND --help          the options of one command
  relayaudit COMMAND ... --timings   after the run, print to stderr the time of each phase
                                     (connect+bind, search wait, decode, snapshot build, rule
                                     evaluation, XML, HTML, other outputs), for a live
                                     collection the time after its last entry, and the peak RSS

Commands:
  analyze   judge an LDIF export (ldapsearch or ldifde; several files are merged: the
            configuration NC plus one export per domain), regedit exports of Exchange 5.5
            Internet Mail Service servers (--ims-registry, alone or with --ldif), or a
            saved snapshot
  audit     read the configuration from a domain controller over LDAP, then analyze it
  collect   read the configuration over LDAP and save it as a snapshot, judging nothing
  probe     test SMTP endpoints for open relay with a dialogue that stops after RCPT
            (never DATA); analyze/audit --probe probe the endpoints of the snapshot
  rules     list the rule catalogue: ID, severity, kind, title; --explain ID prints one
            rule whole; --check PACK... loads packs and runs every example in them

"-" as a file name means standard output (standard input for --ldif/--snapshot).
Outputs are written to a temporary file and renamed into place: a failed run leaves
the previous report as it was.

Exit codes (for cron and systemd timers):
  0  nothing at or above the --fail-on threshold (default: warning)
  1  the run itself failed: bad arguments, unreadable or invalid input (also an input
     over --max-input-size, default 1G), invalid rule pack, connection or bind failure,
     server timeout; the message says what to do
  2  at least one finding, one "could not judge" or one manual check at or above the
     threshold (the built-in manual checks are info); findings accepted by --waivers do
     not count, and with --fail-on-new only new findings count
  For rules --check: 0 every pack loads and every example holds, 1 otherwise.
  For probe: 2 when an endpoint accepted RCPT to the outside address (open relay).

Configuration and mail (analyze, audit):
  Every option can also come from /etc/relayaudit/relayaudit.conf (or --config FILE); the
  command line wins. --mail-to ADDR[,ADDR] mails a summary with both reports attached
  through sendmail -t -oi (--mail-when always|findings|new|failure).

Examples:
  relayaudit analyze --ldif config.ldf --ldif corp.ldf --html /var/lib/relayaudit/report.html
  relayaudit analyze --ldif config.ldf --ldif corp.ldf --ims-server EXCH55 \
      --ims-registry imc-params.reg --html report.html
  relayaudit audit --uri ldaps://dc1.corp.example --user audit@corp.example \
      --password-file /etc/relayaudit/password --html report.html --xml report.xml
  relayaudit audit --uri ldap://dc1.corp.example --sasl gssapi --html report.html
  relayaudit audit --config /etc/relayaudit/relayaudit.conf --mail-to secops@corp.example
  relayaudit audit --uri ldaps://dc1.corp.example --sasl gssapi --quiet \
      --history /var/lib/relayaudit/history --waivers /etc/relayaudit/waivers.xml

Standard output: a short summary (verdict, counts, new/resolved, one line per rule,
where the reports went); --list prints one tab-separated line per finding instead,
--quiet prints nothing unless the exit code is 2.
)";

bool wantsHelp(const std::vector<std::string>& arguments) {
    for (const auto& argument : arguments)
        if (argument == "--help" || argument == "-h")
            return true;
    return false;
}

// The exit codes of the commands that judge (analyze, audit); collect and rules have their own.
const char* kJudgingExitCodes = R"(Exit codes:
  0  nothing at or above the --fail-on threshold
  1  the run itself failed (arguments, input, rule pack, server); the message says what to do
  2  at least one finding, could-not-judge or manual check at or above the threshold
)";

// The synopsis line, a blank line, the option tables as Boost formats them, then the exit codes
// and an example (epilogue).
std::string helpText(const char* synopsis, const po::options_description& description,
                     const char* epilogue) {
    std::ostringstream text;
    ConfigChoice unused;
    text << synopsis << "\n\n" << description << "\n" << configOptions(unused) << "\n" << epilogue;
    return text.str();
}

// Every long option name the description knows, for "did you mean".
std::vector<std::string> optionNames(const po::options_description& description) {
    std::vector<std::string> names;
    for (const auto& option : description.options())
        if (!option->long_name().empty())
            names.push_back(option->long_name());
    return names;
}

// Boost names the option as typed ("--htlm"); the suggestion compares the bare names.
std::string bareOptionName(std::string name) {
    while (!name.empty() && name.front() == '-')
        name.erase(0, 1);
    return name;
}

// History, waivers, JSON and what goes to standard output (docs/design.md, "History and
// waivers").
void addHistoryOptions(po::options_description& description, AnalyzeOptions& options) {
    description.add_options()("json", po::value(&options.jsonOut)->value_name("FILE"),
                              "write the report as JSON to FILE: the same content as --xml")(
        "history", po::value(&options.historyDir)->value_name("DIR"),
        "keep every run's XML report in DIR (date-stamped, plus latest.xml and latest.html) and "
        "compare this run with the previous one: new, open and resolved findings")(
        "keep", po::value(&options.keep)->default_value(30)->value_name("N"),
        "with --history: how many dated reports to keep")(
        "baseline", po::value(&options.baselineFile)->value_name("FILE"),
        "compare with this XML report instead of the latest one in --history")(
        "fail-on-new", po::bool_switch(&options.failOnNew),
        "exit 2 only for new findings at or above --fail-on (needs --history or --baseline)")(
        "waivers", po::value(&options.waiversFile)->value_name("FILE"),
        "accepted risks (schemas/waivers.xsd): covered findings are reported as accepted and "
        "do not count for the exit code")(
        "list", po::bool_switch(&options.list),
        "print one line per finding (rule, severity, status, object, message; tab-separated) "
        "instead of the summary")("quiet", po::bool_switch(&options.quiet),
                                  "print nothing on standard output unless the exit code is 2");
}

// --max-input-size: the limit of every file input (LDIF, snapshot, rule packs, waivers, previous
// reports, IMS exports), checked while reading.
void addInputLimitOption(po::options_description& description, std::uint64_t& bytes) {
    auto store = [&bytes](const std::string& text) {
        auto parsed = parseByteSize(text);
        if (!parsed)
            throw RunFailure{"--max-input-size '" + text +
                             "' is not a size: give bytes, or a number with K, M, G or T "
                             "(powers of 1024), e.g. 512M or 2G"};
        bytes = *parsed;
    };
    description.add_options()(
        "max-input-size",
        po::value<std::string>()->default_value("1G")->value_name("SIZE")->notifier(store),
        "refuse any input file larger than SIZE (LDIF, snapshot, rule pack, waivers, baseline, "
        "IMS export; standard input too): bytes, or with K, M, G or T (powers of 1024), e.g. "
        "512M or 2G");
}

po::options_description analyzeOutputOptions(AnalyzeOptions& options) {
    po::options_description description("Analysis and report options");
    description.add_options()(
        "rules", po::value(&options.rulePaths)->composing()->value_name("PATH"),
        "add a rule pack file, or a directory of *.xml packs, to the built-in packs (repeatable)")(
        "xml", po::value(&options.xmlOut)->value_name("FILE"),
        "write the XML report (schemas/report.xsd) to FILE")(
        "html", po::value(&options.htmlOut)->value_name("FILE"),
        "write the self-contained HTML report for administrators to FILE")(
        "snapshot-out", po::value(&options.snapshotOut)->value_name("FILE"),
        "save the snapshot (everything collected, decoded) to FILE, to analyse again later")(
        "fail-on", po::value(&options.failOn)->default_value("warning")->value_name("SEVERITY"),
        "exit 2 when a finding is at or above this severity: critical, error, warning, "
        "non-default or info");
    addHistoryOptions(description, options);
    addInputLimitOption(description, options.maxInputBytes);
    return description;
}

po::options_description mailOptions(MailOptions& options) {
    po::options_description description("Mail options");
    description.add_options()(
        "mail-to", po::value(&options.to)->composing()->value_name("ADDR[,ADDR]"),
        "mail the summary with the HTML and XML reports attached to these addresses, through "
        "sendmail -t -oi (repeatable)")("mail-from", po::value(&options.from)->value_name("ADDR"),
                                        "sender address (default: the MTA's, for the user)")(
        "mail-when", po::value(&options.when)->default_value("new")->value_name("WHEN"),
        "always, findings (at or above --fail-on), failure (the run failed), or new (until "
        "relayaudit keeps a history of runs: the same as findings)")(
        "mail-outbox", po::value(&options.outbox)->value_name("FILE"),
        "write the message to FILE instead of running sendmail, and remove FILE when no mail "
        "is due (for relayaudit-mail.service)")(
        "sendmail", po::value(&options.sendmail)->value_name("PROGRAM"),
        "the sendmail to run (default: $RELAYAUDIT_SENDMAIL, else /usr/sbin/sendmail)");
    return description;
}

po::options_description probeOptions(ProbeOptions& options, bool optIn, bool withCaFile) {
    po::options_description description("SMTP probe options (only your own servers)");
    if (optIn)
        description.add_options()("probe", po::bool_switch(&options.enabled),
                                  "also probe every SMTP endpoint of the snapshot (virtual "
                                  "servers, receive connectors) with a dialogue that stops "
                                  "after RCPT; never the default");
    description.add_options()("probe-map",
                              po::value(&options.maps)->composing()->value_name("NAME=ADDRESS"),
                              "NAME=ADDRESS: connect to ADDRESS for host NAME (tests, NAT, split "
                              "DNS; repeatable)")(
        "probe-from", po::value(&options.from)->default_value(options.from)->value_name("ADDR"),
        "MAIL FROM address of the probe")(
        "probe-to", po::value(&options.to)->default_value(options.to)->value_name("ADDR"),
        "RCPT TO address of the probe: outside every domain the servers accept")(
        "probe-timeout",
        po::value(&options.timeoutSeconds)->default_value(10)->value_name("SECONDS"),
        "seconds per endpoint, from connect to QUIT")(
        "probe-parallel", po::value(&options.parallel)->default_value(4)->value_name("N"),
        "at most this many endpoints at once")(
        "probe-guest", po::bool_switch(&options.guest),
        "after a refusal, AUTH with a random user name and password that cannot exist; if "
        "accepted (the Guest fallback, KB Q251149), repeat MAIL/RCPT authenticated")(
        "probe-starttls", po::bool_switch(&options.startTls),
        "upgrade with STARTTLS when offered (certificate checked against --ca-file or the "
        "system's trust store, and the endpoint's name), then EHLO again")(
        "probe-forms", po::value(&options.forms)->value_name("FORMS"),
        "all: also RCPT the classic relay-bypass forms (percent hack, quoted local part, bang "
        "path, source route), one each, RSET between them");
    if (withCaFile)
        description.add_options()("ca-file", po::value(&options.caFile)->value_name("FILE"),
                                  "trust anchors (PEM) for the SMTP servers' certificates");
    return description;
}

po::options_description connectionOptions(LiveOptions& options) {
    auto& connection = options.connection;
    po::options_description description("Connection options");
    description.add_options()("uri", po::value(&connection.uri)->value_name("URI"),
                              "domain controller: ldaps://dc1.corp.example or ldap://host:389")(
        "gc", po::value(&connection.globalCatalogUri)->value_name("URI"),
        "global catalog URI, to read the Guest account of the other domains of the forest")(
        "bind-dn", po::value(&options.bindDn)->value_name("DN"),
        "simple bind as this DN")("user", po::value(&options.user)->value_name("USER"),
                                  "simple bind as user@realm or DOMAIN\\user")(
        "password-file", po::value(&options.passwordFile)->value_name("FILE"),
        "read the bind password from FILE (first line); never give it on the command line")(
        "password-env", po::value(&options.passwordEnv)->value_name("VAR"),
        "read the bind password from environment variable VAR")(
        "sasl", po::value(&options.sasl)->value_name("MECH"),
        "gssapi: Kerberos bind with the caller's ticket cache")(
        "starttls", po::bool_switch(&connection.startTls), "upgrade ldap:// with StartTLS")(
        "ca-file", po::value(&connection.caFile)->value_name("FILE"),
        "trust anchor (PEM) for the server certificate")(
        "tls-insecure", po::bool_switch(&connection.tlsInsecure),
        "skip certificate checks (said loudly in the report)")(
        "allow-plaintext-bind", po::bool_switch(&connection.allowPlaintextBind),
        "permit a simple bind without TLS (refused by default)")(
        "timeout", po::value(&connection.timeoutSeconds)->default_value(30)->value_name("SECONDS"),
        "connect and per-operation limit in seconds")(
        "page-size", po::value(&connection.pageSize)->default_value(1000)->value_name("N"),
        "paged-results page size");
    return description;
}

// ordered, when given, receives the options in command-line order (for options whose meaning
// depends on their position, such as --ims-server before --ims-registry).
std::vector<std::string> everyOptionName();

// command: whose section of the configuration file applies ("" reads no file).
po::variables_map parse(const std::string& command, const std::vector<std::string>& arguments,
                        const po::options_description& description,
                        const po::positional_options_description& positional = {},
                        std::vector<po::option>* ordered = nullptr) {
    po::variables_map values;
    ConfigChoice config;
    po::options_description withConfig;
    withConfig.add(description).add(configOptions(config));
    try {
        // No abbreviations: "--htm x" must not silently mean --html, and a future option must
        // not change what an existing cron line does.
        auto style =
            po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        auto parsed = po::command_line_parser(arguments)
                          .options(withConfig)
                          .positional(positional)
                          .style(style)
                          .run();
        po::store(parsed, values);
        po::notify(values);
        if (ordered)
            *ordered = parsed.options;
    } catch (const po::unknown_option& error) {
        throw RunFailure{
            std::string(error.what()) +
            didYouMean(bareOptionName(error.get_option_name()), optionNames(withConfig), "--") +
            " (see relayaudit COMMAND --help)"};
    } catch (const po::error& error) {
        throw RunFailure{std::string(error.what()) + " (see relayaudit " +
                         (arguments.empty() ? std::string("--help") : "COMMAND --help") + ")"};
    }
    if (!command.empty()) {
        auto fromFile = storeConfigFile(command, config, description, everyOptionName(), values);
        // Positional meaning (--ims-server before --ims-registry) comes from one source only.
        if (ordered && !fromFile.empty() &&
            std::none_of(ordered->begin(), ordered->end(), [](const po::option& option) {
                return option.string_key == "ims-registry" || option.string_key == "ims-server";
            }))
            *ordered = fromFile;
    }
    return values;
}

// Each --ims-server names the --ims-registry that follows it, so the pairing needs the order.
std::vector<ImsRegistryInput> imsRegistriesInOrder(const std::vector<po::option>& ordered) {
    std::vector<ImsRegistryInput> registries;
    std::optional<std::string> pendingServer;
    for (const auto& option : ordered) {
        if (option.value.empty())
            continue;
        if (option.string_key == "ims-server") {
            if (pendingServer)
                throw RunFailure{"--ims-server " + *pendingServer +
                                 " is followed by another --ims-server; give each one just "
                                 "before the --ims-registry FILE it names"};
            pendingServer = option.value.front();
        } else if (option.string_key == "ims-registry") {
            registries.push_back({option.value.front(), pendingServer.value_or("")});
            pendingServer.reset();
        }
    }
    if (pendingServer)
        throw RunFailure{"--ims-server " + *pendingServer +
                         " names no export: give it just before the --ims-registry FILE of "
                         "that server"};
    return registries;
}

po::options_description describeAnalyze(AnalyzeOptions& options) {
    po::options_description inputs("Input options");
    inputs.add_options()("ldif", po::value(&options.ldifFiles)->composing()->value_name("FILE"),
                         "LDIF export to read (repeatable; the files are merged)")(
        "ims-registry", po::value<std::vector<std::string>>()->composing()->value_name("FILE"),
        "regedit export (.reg, REGEDIT4 or version 5.00) of the Exchange 5.5 key "
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters; "
        "repeatable, one per Internet Mail Service server; enough alone or with --ldif")(
        "ims-server", po::value<std::vector<std::string>>()->composing()->value_name("NAME"),
        "name of the IMS server whose export the next --ims-registry gives (default: the "
        "file name without its extension)")("snapshot",
                                            po::value(&options.snapshotIn)->value_name("FILE"),
                                            "snapshot saved by --snapshot-out");
    po::options_description all;
    all.add(inputs)
        .add(analyzeOutputOptions(options))
        .add(mailOptions(options.mail))
        .add(probeOptions(options.probe, true, true));
    return all;
}

po::options_description describeAudit(AuditOptions& options) {
    po::options_description all;
    all.add(connectionOptions(options.live))
        .add(analyzeOutputOptions(options.analysis))
        .add(mailOptions(options.analysis.mail))
        .add(probeOptions(options.analysis.probe, true, false));
    return all;
}

po::options_description describeCollect(CollectOptions& options) {
    po::options_description output("Output");
    output.add_options()("snapshot-out", po::value(&options.snapshotOut)->value_name("FILE"),
                         "write the snapshot to FILE");
    po::options_description all;
    all.add(connectionOptions(options.live)).add(output);
    return all;
}

po::options_description describeRules(RulesOptions& options) {
    po::options_description all("Options");
    all.add_options()("rules", po::value(&options.rulePaths)->composing()->value_name("PATH"),
                      "add a rule pack file or directory to the built-in packs (repeatable)")(
        "explain", po::value(&options.explainId)->value_name("ID"),
        "print one rule whole: title, severity, kind, why, remediation, references")(
        "check", po::bool_switch(&options.check),
        "load the PACK files or directories given after it (not the built-in packs), compile "
        "them and run every <example>; each failure is printed as file:line: rule ID: "
        "example N: expected ..., got ...");
    addInputLimitOption(all, options.maxInputBytes);
    return all;
}

po::options_description describeProbe(ProbeCommandOptions& options) {
    po::options_description targets("Targets");
    targets.add_options()("target",
                          po::value(&options.targets)->composing()->value_name("HOST[:PORT]"),
                          "HOST[:PORT] to probe (port 25 by default; repeatable)");
    po::options_description all;
    all.add(targets).add(probeOptions(options.probe, false, true));
    return all;
}

// The options of every command: a configuration file may hold any of them.
std::vector<std::string> everyOptionName() {
    AnalyzeOptions analyze;
    AuditOptions audit;
    CollectOptions collect;
    RulesOptions rules;
    ProbeCommandOptions probe;
    std::vector<std::string> names;
    for (const auto& description :
         {describeAnalyze(analyze), describeAudit(audit), describeCollect(collect),
          describeRules(rules), describeProbe(probe)})
        for (auto& name : optionNames(description))
            if (std::find(names.begin(), names.end(), name) == names.end())
                names.push_back(name);
    return names;
}

} // namespace

ParsedCommand<AnalyzeOptions> parseAnalyzeArguments(const std::vector<std::string>& arguments) {
    ParsedCommand<AnalyzeOptions> parsed;
    auto& options = parsed.options;
    auto all = describeAnalyze(options);
    if (wantsHelp(arguments)) {
        parsed.help = helpText("relayaudit analyze [--ldif FILE ...] [[--ims-server NAME] "
                               "--ims-registry FILE ...] | --snapshot FILE [options]",
                               all,
                               "Exit codes:\n"
                               "  0  nothing at or above the --fail-on threshold\n"
                               "  1  the run itself failed (arguments, input, rule pack); the "
                               "message says what to do\n"
                               "  2  at least one finding, could-not-judge or manual check at or "
                               "above the threshold\n\n"
                               "Example:\n"
                               "  relayaudit analyze --ldif config.ldf --ldif corp.ldf \\\n"
                               "      --html report.html --xml report.xml --fail-on error\n");
    } else {
        std::vector<po::option> ordered;
        parse("analyze", arguments, all, {}, &ordered);
        options.imsRegistries = imsRegistriesInOrder(ordered);
    }
    return parsed;
}

ParsedCommand<AuditOptions> parseAuditArguments(const std::vector<std::string>& arguments) {
    ParsedCommand<AuditOptions> parsed;
    auto all = describeAudit(parsed.options);
    if (wantsHelp(arguments))
        parsed.help = helpText(
            "relayaudit audit --uri URI [connection options] [options]", all,
            (std::string(kJudgingExitCodes) +
             "\nExample:\n"
             "  relayaudit audit --uri ldaps://dc1.corp.example --user audit@corp.example \\\n"
             "      --password-file /etc/relayaudit/password --html report.html\n")
                .c_str());
    else
        parse("audit", arguments, all);
    return parsed;
}

ParsedCommand<CollectOptions> parseCollectArguments(const std::vector<std::string>& arguments) {
    ParsedCommand<CollectOptions> parsed;
    auto all = describeCollect(parsed.options);
    if (wantsHelp(arguments))
        parsed.help =
            helpText("relayaudit collect --uri URI [connection options] --snapshot-out FILE", all,
                     "Exit codes:\n"
                     "  0  the snapshot was written\n"
                     "  1  the run failed (arguments, connection, bind, timeout, output); "
                     "nothing was written\n\n"
                     "Example:\n"
                     "  relayaudit collect --uri ldap://dc1.corp.example --sasl gssapi \\\n"
                     "      --snapshot-out corp-snapshot.xml\n");
    else
        parse("collect", arguments, all);
    return parsed;
}

ParsedCommand<RulesOptions> parseRulesArguments(const std::vector<std::string>& arguments) {
    ParsedCommand<RulesOptions> parsed;
    auto& options = parsed.options;
    auto all = describeRules(options);
    po::options_description packs;
    packs.add_options()("pack", po::value(&options.packsToCheck)->composing(), "");
    po::options_description parsedOptions;
    parsedOptions.add(all).add(packs);
    po::positional_options_description positional;
    positional.add("pack", -1);
    if (wantsHelp(arguments)) {
        parsed.help = helpText("relayaudit rules [--rules PATH ...] [--explain ID]\n"
                               "relayaudit rules --check PACK...",
                               all,
                               "Exit codes:\n"
                               "  0  listed or explained; with --check: every pack loads and "
                               "every example holds\n"
                               "  1  an unknown rule ID, a pack that does not load, or (with "
                               "--check) an example that does not hold\n\n"
                               "Examples:\n"
                               "  relayaudit rules --explain EXS-RELAY-OPEN\n"
                               "  relayaudit rules --check site-policy.xml\n");
        return parsed;
    }
    // --check judges exactly the packs it is given: no configuration file adds --rules to it.
    bool checking = std::find(arguments.begin(), arguments.end(), "--check") != arguments.end();
    parse(checking ? "" : "rules", arguments, parsedOptions, positional);
    if (options.check && options.packsToCheck.empty())
        throw RunFailure{"--check needs the packs to check: relayaudit rules --check rules/*.xml"};
    if (!options.check && !options.packsToCheck.empty())
        throw RunFailure{"'" + options.packsToCheck.front() +
                         "': pack files are given after --check (or with --rules)"};
    if (options.check && (!options.explainId.empty() || !options.rulePaths.empty()))
        throw RunFailure{"--check takes only pack files; leave out --rules and --explain"};
    return parsed;
}

ParsedCommand<ProbeCommandOptions> parseProbeArguments(const std::vector<std::string>& arguments) {
    ParsedCommand<ProbeCommandOptions> parsed;
    auto all = describeProbe(parsed.options);
    if (wantsHelp(arguments)) {
        parsed.help = helpText("relayaudit probe --target HOST[:PORT] ... [probe options]", all,
                               "Exit codes:\n"
                               "  0  no endpoint relayed\n"
                               "  1  the run failed (arguments)\n"
                               "  2  at least one endpoint accepted relay\n\n"
                               "Example (only your own servers):\n"
                               "  relayaudit probe --target mail.corp.example:25\n");
        return parsed;
    }
    parse("probe", arguments, all);
    if (parsed.options.targets.empty())
        throw RunFailure{"probe needs at least one --target HOST[:PORT]"};
    return parsed;
}

std::string_view generalUsage() {
    return kUsage;
}

} // namespace relayaudit
