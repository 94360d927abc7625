#include "options.h"

#include "run_failure.h"

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
  1  the run itself failed: bad arguments, unreadable or invalid input, invalid rule
     pack, connection or bind failure, server timeout; the message says what to do
  2  at least one finding, one "could not judge" or one manual check at or above the
     threshold (the built-in manual checks are info)
  For rules --check: 0 every pack loads and every example holds, 1 otherwise.
  For probe: 2 when an endpoint accepted RCPT to the outside address (open relay).

Examples:
  relayaudit analyze --ldif config.ldf --ldif corp.ldf --html /var/lib/relayaudit/report.html
  relayaudit analyze --ldif config.ldf --ldif corp.ldf --ims-server EXCH55 \
      --ims-registry imc-params.reg --html report.html
  relayaudit audit --uri ldaps://dc1.corp.example --user audit@corp.example \
      --password-file /etc/relayaudit/password --html report.html --xml report.xml
  relayaudit audit --uri ldap://dc1.corp.example --sasl gssapi --html report.html
)";

bool wantsHelp(const std::vector<std::string>& arguments) {
    for (const auto& argument : arguments)
        if (argument == "--help" || argument == "-h")
            return true;
    return false;
}

// The synopsis line, a blank line, then the option tables as Boost formats them.
std::string helpText(const char* synopsis, const po::options_description& description) {
    std::ostringstream text;
    text << synopsis << "\n\n" << description << "\n";
    return text.str();
}

po::options_description analyzeOutputOptions(AnalyzeOptions& options) {
    po::options_description description("Analysis and report options");
    description.add_options()(
        "rules", po::value(&options.rulePaths)->composing(),
        "add a rule pack file, or a directory of *.xml packs, to the built-in packs (repeatable)")(
        "xml", po::value(&options.xmlOut), "write the XML report (schemas/report.xsd) to FILE")(
        "html", po::value(&options.htmlOut),
        "write the self-contained HTML report for administrators to FILE")(
        "snapshot-out", po::value(&options.snapshotOut),
        "save the snapshot (everything collected, decoded) to FILE, to analyse again later")(
        "fail-on", po::value(&options.failOn)->default_value("warning"),
        "exit 2 when a finding is at or above this severity: critical, error, warning, "
        "non-default or info");
    return description;
}

po::options_description probeOptions(ProbeOptions& options, bool optIn, bool withCaFile) {
    po::options_description description("SMTP probe options (only your own servers)");
    if (optIn)
        description.add_options()("probe", po::bool_switch(&options.enabled),
                                  "also probe every SMTP endpoint of the snapshot (virtual "
                                  "servers, receive connectors) with a dialogue that stops "
                                  "after RCPT; never the default");
    description.add_options()("probe-map", po::value(&options.maps)->composing(),
                              "NAME=ADDRESS: connect to ADDRESS for host NAME (tests, NAT, split "
                              "DNS; repeatable)")(
        "probe-from", po::value(&options.from)->default_value(options.from),
        "MAIL FROM address of the probe")(
        "probe-to", po::value(&options.to)->default_value(options.to),
        "RCPT TO address of the probe: outside every domain the servers accept")(
        "probe-timeout", po::value(&options.timeoutSeconds)->default_value(10),
        "seconds per endpoint, from connect to QUIT")(
        "probe-parallel", po::value(&options.parallel)->default_value(4),
        "at most this many endpoints at once")(
        "probe-guest", po::bool_switch(&options.guest),
        "after a refusal, AUTH with a random user name and password that cannot exist; if "
        "accepted (the Guest fallback, KB Q251149), repeat MAIL/RCPT authenticated")(
        "probe-starttls", po::bool_switch(&options.startTls),
        "upgrade with STARTTLS when offered (certificate checked against --ca-file or the "
        "system's trust store, and the endpoint's name), then EHLO again")(
        "probe-forms", po::value(&options.forms),
        "all: also RCPT the classic relay-bypass forms (percent hack, quoted local part, bang "
        "path, source route), one each, RSET between them");
    if (withCaFile)
        description.add_options()("ca-file", po::value(&options.caFile),
                                  "trust anchors (PEM) for the SMTP servers' certificates");
    return description;
}

po::options_description connectionOptions(LiveOptions& options) {
    auto& connection = options.connection;
    po::options_description description("Connection options");
    description.add_options()("uri", po::value(&connection.uri),
                              "domain controller: ldaps://dc1.corp.example or ldap://host:389")(
        "gc", po::value(&connection.globalCatalogUri),
        "global catalog URI, to read the Guest account of the other domains of the forest")(
        "bind-dn", po::value(&options.bindDn), "simple bind as this DN")(
        "user", po::value(&options.user), "simple bind as user@realm or DOMAIN\\user")(
        "password-file", po::value(&options.passwordFile),
        "read the bind password from FILE (first line); never give it on the command line")(
        "password-env", po::value(&options.passwordEnv),
        "read the bind password from environment variable VAR")(
        "sasl", po::value(&options.sasl), "gssapi: Kerberos bind with the caller's ticket cache")(
        "starttls", po::bool_switch(&connection.startTls), "upgrade ldap:// with StartTLS")(
        "ca-file", po::value(&connection.caFile), "trust anchor (PEM) for the server certificate")(
        "tls-insecure", po::bool_switch(&connection.tlsInsecure),
        "skip certificate checks (said loudly in the report)")(
        "allow-plaintext-bind", po::bool_switch(&connection.allowPlaintextBind),
        "permit a simple bind without TLS (refused by default)")(
        "timeout", po::value(&connection.timeoutSeconds)->default_value(30),
        "connect and per-operation limit in seconds")(
        "page-size", po::value(&connection.pageSize)->default_value(1000),
        "paged-results page size");
    return description;
}

// ordered, when given, receives the options in command-line order (for options whose meaning
// depends on their position, such as --ims-server before --ims-registry).
po::variables_map parse(const std::vector<std::string>& arguments,
                        const po::options_description& description,
                        const po::positional_options_description& positional = {},
                        std::vector<po::option>* ordered = nullptr) {
    po::variables_map values;
    try {
        // No abbreviations: "--htm x" must not silently mean --html, and a future option must
        // not change what an existing cron line does.
        auto style =
            po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        auto parsed = po::command_line_parser(arguments)
                          .options(description)
                          .positional(positional)
                          .style(style)
                          .run();
        po::store(parsed, values);
        po::notify(values);
        if (ordered)
            *ordered = parsed.options;
    } catch (const po::error& error) {
        throw RunFailure{std::string(error.what()) + " (see relayaudit " +
                         (arguments.empty() ? std::string("--help") : "COMMAND --help") + ")"};
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

} // namespace

ParsedCommand<AnalyzeOptions> parseAnalyzeArguments(const std::vector<std::string>& arguments) {
    ParsedCommand<AnalyzeOptions> parsed;
    auto& options = parsed.options;
    po::options_description inputs("Input options");
    inputs.add_options()("ldif", po::value(&options.ldifFiles)->composing(),
                         "LDIF export to read (repeatable; the files are merged)")(
        "ims-registry", po::value<std::vector<std::string>>()->composing(),
        "regedit export (.reg, REGEDIT4 or version 5.00) of the Exchange 5.5 key "
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters; "
        "repeatable, one per Internet Mail Service server; enough alone or with --ldif")(
        "ims-server", po::value<std::vector<std::string>>()->composing(),
        "name of the IMS server whose export the next --ims-registry gives (default: the "
        "file name without its extension)")("snapshot", po::value(&options.snapshotIn),
                                            "snapshot saved by --snapshot-out");
    po::options_description all;
    all.add(inputs).add(analyzeOutputOptions(options)).add(probeOptions(options.probe, true, true));
    if (wantsHelp(arguments)) {
        parsed.help = helpText("relayaudit analyze [--ldif FILE ...] [[--ims-server NAME] "
                               "--ims-registry FILE ...] | --snapshot FILE [options]",
                               all);
    } else {
        std::vector<po::option> ordered;
        parse(arguments, all, {}, &ordered);
        options.imsRegistries = imsRegistriesInOrder(ordered);
    }
    return parsed;
}

ParsedCommand<AuditOptions> parseAuditArguments(const std::vector<std::string>& arguments) {
    ParsedCommand<AuditOptions> parsed;
    po::options_description all;
    all.add(connectionOptions(parsed.options.live))
        .add(analyzeOutputOptions(parsed.options.analysis))
        .add(probeOptions(parsed.options.analysis.probe, true, false));
    if (wantsHelp(arguments))
        parsed.help = helpText("relayaudit audit --uri URI [connection options] [options]", all);
    else
        parse(arguments, all);
    return parsed;
}

ParsedCommand<CollectOptions> parseCollectArguments(const std::vector<std::string>& arguments) {
    ParsedCommand<CollectOptions> parsed;
    po::options_description output("Output");
    output.add_options()("snapshot-out", po::value(&parsed.options.snapshotOut),
                         "write the snapshot to FILE");
    po::options_description all;
    all.add(connectionOptions(parsed.options.live)).add(output);
    if (wantsHelp(arguments))
        parsed.help =
            helpText("relayaudit collect --uri URI [connection options] --snapshot-out FILE", all);
    else
        parse(arguments, all);
    return parsed;
}

ParsedCommand<RulesOptions> parseRulesArguments(const std::vector<std::string>& arguments) {
    ParsedCommand<RulesOptions> parsed;
    auto& options = parsed.options;
    po::options_description all("Options");
    all.add_options()("rules", po::value(&options.rulePaths)->composing(),
                      "add a rule pack file or directory to the built-in packs (repeatable)")(
        "explain", po::value(&options.explainId),
        "print one rule whole: title, severity, kind, why, remediation, references")(
        "check", po::bool_switch(&options.check),
        "load the PACK files or directories given after it (not the built-in packs), compile "
        "them and run every <example>; each failure is printed as file:line: rule ID: "
        "example N: expected ..., got ...");
    po::options_description packs;
    packs.add_options()("pack", po::value(&options.packsToCheck)->composing(), "");
    po::options_description parsedOptions;
    parsedOptions.add(all).add(packs);
    po::positional_options_description positional;
    positional.add("pack", -1);
    if (wantsHelp(arguments)) {
        parsed.help = helpText("relayaudit rules [--rules PATH ...] [--explain ID]\n"
                               "relayaudit rules --check PACK...",
                               all);
        return parsed;
    }
    parse(arguments, parsedOptions, positional);
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
    po::options_description targets("Targets");
    targets.add_options()("target", po::value(&parsed.options.targets)->composing(),
                          "HOST[:PORT] to probe (port 25 by default; repeatable)");
    po::options_description all;
    all.add(targets).add(probeOptions(parsed.options.probe, false, true));
    if (wantsHelp(arguments)) {
        parsed.help = helpText("relayaudit probe --target HOST[:PORT] ... [probe options]", all);
        return parsed;
    }
    parse(arguments, all);
    if (parsed.options.targets.empty())
        throw RunFailure{"probe needs at least one --target HOST[:PORT]"};
    return parsed;
}

std::string_view generalUsage() {
    return kUsage;
}

} // namespace relayaudit
