#include "cli.h"

#include "atomic_file.h"
#include "inventory.h"
#include "ldap_collector.h"
#include "ldif_reader.h"
#include "reporters.h"
#include "rules.h"
#include "snapshot.h"
#include "snapshot_builder.h"

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <iostream>
#include <optional>
#include <ostream>
#include <termios.h>
#include <tuple>
#include <unistd.h>

namespace relayaudit {

namespace po = boost::program_options;

namespace {

const char* kVersion = RELAYAUDIT_VERSION;

const char* kUsage = R"(relayaudit - audit the mail-relay safety of Microsoft Exchange organisations

Usage:
  relayaudit analyze --ldif FILE [--ldif FILE ...] | --snapshot FILE  [options]
  relayaudit audit   --uri URI [connection options] [options]
  relayaudit collect --uri URI [connection options] --snapshot-out FILE
  relayaudit rules   [--rules PATH ...]
  relayaudit --help | --version
  relayaudit COMMAND --help          the options of one command

Commands:
  analyze   judge an LDIF export (ldapsearch or ldifde; several files are merged: the
            configuration NC plus one export per domain) or a saved snapshot
  audit     read the configuration from a domain controller over LDAP, then analyze it
  collect   read the configuration over LDAP and save it as a snapshot, judging nothing
  rules     list the rule catalogue: ID, severity, kind, title

"-" as a file name means standard output (standard input for --ldif/--snapshot).
Outputs are written to a temporary file and renamed into place: a failed run leaves
the previous report as it was.

Exit codes (for cron and systemd timers):
  0  nothing at or above the --fail-on threshold (default: warning)
  1  the run itself failed: bad arguments, unreadable or invalid input, invalid rule
     pack, connection or bind failure, server timeout; the message says what to do
  2  at least one finding, or one "could not judge", at or above the threshold

Examples:
  relayaudit analyze --ldif config.ldf --ldif corp.ldf --html /var/lib/relayaudit/report.html
  relayaudit audit --uri ldaps://dc1.corp.example --user audit@corp.example \
      --password-file /etc/relayaudit/password --html report.html --xml report.xml
  relayaudit audit --uri ldap://dc1.corp.example --sasl gssapi --html report.html
)";

struct AnalyzeOptions {
    std::vector<std::string> ldifFiles;
    std::string snapshotIn;
    std::vector<std::string> rulePaths;
    std::string xmlOut;
    std::string htmlOut;
    std::string snapshotOut;
    std::string failOn = "warning";
};

struct LiveOptions {
    ConnectionOptions connection;
    std::string bindDn;
    std::string user;
    std::string passwordFile;
    std::string passwordEnv;
    std::string sasl;
};

// A failure of the run itself: one line on stderr, exit code 1.
struct RunFailure {
    std::string message;
};

std::string utcNow() {
    std::time_t now = std::time(nullptr);
    // Reproducible reports for tests and diffs: honour SOURCE_DATE_EPOCH like build tools do.
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"))
        now = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

bool stderrIsTerminal() {
    return ::isatty(STDERR_FILENO) == 1;
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

po::variables_map parse(const std::vector<std::string>& arguments,
                        const po::options_description& description) {
    po::variables_map values;
    try {
        // No abbreviations: "--htm x" must not silently mean --html, and a future option must
        // not change what an existing cron line does.
        auto style =
            po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        po::store(po::command_line_parser(arguments).options(description).style(style).run(),
                  values);
        po::notify(values);
    } catch (const po::error& error) {
        throw RunFailure{std::string(error.what()) + " (see relayaudit " +
                         (arguments.empty() ? std::string("--help") : "COMMAND --help") + ")"};
    }
    return values;
}

// Checked before any work, so a long live collection does not end in a usage error.
void checkAnalyzeOptions(const AnalyzeOptions& options) {
    if ((options.xmlOut == "-") + (options.htmlOut == "-") + (options.snapshotOut == "-") > 1)
        throw RunFailure{"only one output can go to standard output (\"-\"); give file names "
                         "for the others"};
}

Severity thresholdOf(const std::string& text) {
    auto severity = parseSeverity(text);
    if (!severity)
        throw RunFailure{"--fail-on '" + text +
                         "' is not a severity; use critical, error, warning, non-default or info"};
    return *severity;
}

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
        throw RunFailure{message + "; fix the pack (schema: schemas/rules.xsd) or leave it out"};
    }
    return catalogue;
}

std::vector<DirectoryEntry> readLdifFiles(const std::vector<std::string>& files) {
    std::vector<DirectoryEntry> entries;
    for (const auto& file : files) {
        std::string content;
        if (auto problem = readWholeFile(file, content))
            throw RunFailure{*problem};
        auto parsed = parseLdif(content, file == "-" ? "(standard input)" : file);
        if (parsed.error)
            throw RunFailure{"invalid LDIF: " + parsed.error->describe()};
        entries.insert(entries.end(), std::make_move_iterator(parsed.entries.begin()),
                       std::make_move_iterator(parsed.entries.end()));
    }
    return entries;
}

std::string readPassword(const LiveOptions& options) {
    if (!options.passwordFile.empty()) {
        std::string content;
        if (auto problem = readWholeFile(options.passwordFile, content))
            throw RunFailure{"cannot read the password file: " + *problem};
        auto end = content.find_first_of("\r\n");
        return content.substr(0, end);
    }
    if (!options.passwordEnv.empty()) {
        const char* value = std::getenv(options.passwordEnv.c_str());
        if (!value)
            throw RunFailure{"--password-env " + options.passwordEnv +
                             ": the environment variable is not set"};
        return value;
    }
    if (::isatty(STDIN_FILENO) != 1)
        throw RunFailure{"a simple bind needs a password: give --password-file FILE or "
                         "--password-env VAR (no terminal to prompt on)"};
    std::cerr << "Password for " << (options.bindDn.empty() ? options.user : options.bindDn) << ": "
              << std::flush;
    termios saved{};
    tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    std::string password;
    std::getline(std::cin, password);
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
    return password;
}

ConnectionOptions resolveConnection(LiveOptions& options) {
    auto connection = options.connection;
    if (connection.uri.empty())
        throw RunFailure{"--uri is required, e.g. --uri ldaps://dc1.corp.example"};
    if (!options.bindDn.empty() && !options.user.empty())
        throw RunFailure{"give --bind-dn or --user, not both"};
    if (!options.sasl.empty()) {
        if (options.sasl != "gssapi" && options.sasl != "GSSAPI")
            throw RunFailure{"--sasl '" + options.sasl + "' is not supported; use --sasl gssapi"};
        if (!options.bindDn.empty() || !options.user.empty())
            throw RunFailure{"--sasl gssapi uses the Kerberos ticket cache; leave out --bind-dn "
                             "and --user (run kinit first)"};
        connection.saslGssapi = true;
    }
    if (connection.timeoutSeconds <= 0 || connection.timeoutSeconds > 3600)
        throw RunFailure{"--timeout must be between 1 and 3600 seconds"};
    if (connection.pageSize <= 0 || connection.pageSize > 100000)
        throw RunFailure{"--page-size must be between 1 and 100000"};
    connection.bindIdentity = options.bindDn.empty() ? options.user : options.bindDn;
    if (!connection.bindIdentity.empty())
        connection.password = readPassword(options);
    return connection;
}

void collectSnapshot(LiveOptions& options, pugi::xml_document& snapshot, std::ostream& err) {
    auto connection = resolveConnection(options);
    std::function<void(const std::string&)> progress;
    if (stderrIsTerminal())
        progress = [&err](const std::string& line) {
            err << "relayaudit: " << terminalSafeText(line) << "\n";
        };
    auto result = collectFromLdap(connection, progress);
    std::fill(connection.password.begin(), connection.password.end(), '\0');
    if (result.error)
        throw RunFailure{*result.error};
    result.context.toolVersion = kVersion;
    result.context.collectedAt = utcNow();
    if (connection.tlsInsecure)
        result.context.notes.push_back("certificate checks were disabled (--tls-insecure): the "
                                       "server's identity was not verified");
    buildSnapshot(result.entries, result.context, snapshot);
}

void writeOutput(const std::string& path, std::string_view content, const char* what) {
    if (path.empty())
        return;
    if (auto problem = writeFileAtomically(path, content))
        throw RunFailure{std::string("cannot write the ") + what + ": " + *problem};
}

int analyzeSnapshot(const pugi::xml_document& snapshot, const RuleCatalogue& catalogue,
                    const AnalyzeOptions& options, std::ostream& out) {
    Severity threshold = thresholdOf(options.failOn);
    AuditReport report;
    auto root = snapshot.child("snapshot");
    report.run.toolVersion = kVersion;
    report.run.generatedAt = utcNow();
    std::string rootDomain = root.child("forest").attribute("rootDomainNC").value();
    for (auto input : root.children("input"))
        report.run.inputs.push_back(input.child_value());
    report.run.target = !rootDomain.empty()          ? rootDomain
                        : !report.run.inputs.empty() ? report.run.inputs.front()
                                                     : std::string("(unknown)");
    if (!options.snapshotIn.empty())
        report.run.inputs = {options.snapshotIn};
    for (auto note : root.children("note"))
        report.run.notes.push_back(note.child_value());
    for (const auto& pack : catalogue.packs())
        report.run.packs.push_back({pack->name, pack->version, pack->source});
    report.findings = catalogue.evaluate(snapshot);
    report.inventory = inventoryOf(snapshot);
    report.manualChecks = manualChecksFor(snapshot);

    // Render everything before writing anything, so a failure cannot leave a mixed set.
    std::string xml = options.xmlOut.empty() ? std::string() : renderXmlReport(report);
    std::string html = options.htmlOut.empty() ? std::string() : renderHtmlReport(report);
    std::string snapshotText =
        options.snapshotOut.empty() ? std::string() : snapshotToString(snapshot);
    // All or nothing: a failure on the last output must not leave the first ones replaced.
    AtomicFileSet outputs;
    for (const auto& [path, content, what] :
         {std::tuple{&options.snapshotOut, &snapshotText, "snapshot"},
          std::tuple{&options.xmlOut, &xml, "XML report"},
          std::tuple{&options.htmlOut, &html, "HTML report"}})
        if (!path->empty())
            if (auto problem = outputs.stage(*path, *content))
                throw RunFailure{std::string("cannot write the ") + what + ": " + *problem +
                                 "; no output was changed"};
    if (auto problem = outputs.commit())
        throw RunFailure{"cannot write the outputs: " + *problem};

    int atThreshold = 0;
    for (const auto& finding : report.findings)
        if (finding.severity() >= threshold)
            ++atThreshold;
    bool stdoutTaken =
        options.xmlOut == "-" || options.htmlOut == "-" || options.snapshotOut == "-";
    if (!stdoutTaken) {
        for (const auto& finding : report.findings)
            out << finding.rule->id << "\t" << toString(finding.severity()) << "\t"
                << finding.status() << "\t" << terminalSafeText(finding.object) << "\t"
                << terminalSafeText(finding.message) << "\n";
        out << report.findings.size() << " finding(s), " << atThreshold << " at or above "
            << toString(threshold) << "\n";
    }
    return atThreshold > 0 ? kExitFindings : kExitClean;
}

bool wantsHelp(const std::vector<std::string>& arguments) {
    for (const auto& argument : arguments)
        if (argument == "--help" || argument == "-h")
            return true;
    return false;
}

int commandAnalyze(const std::vector<std::string>& arguments, std::ostream& out) {
    AnalyzeOptions options;
    po::options_description inputs("Input options");
    inputs.add_options()("ldif", po::value(&options.ldifFiles)->composing(),
                         "LDIF export to read (repeatable; the files are merged)")(
        "snapshot", po::value(&options.snapshotIn), "snapshot saved by --snapshot-out");
    po::options_description all;
    all.add(inputs).add(analyzeOutputOptions(options));
    if (wantsHelp(arguments)) {
        out << "relayaudit analyze --ldif FILE [--ldif FILE ...] | --snapshot FILE [options]\n\n"
            << all << "\n";
        return kExitClean;
    }
    parse(arguments, all);
    thresholdOf(options.failOn);
    checkAnalyzeOptions(options);
    if (options.ldifFiles.empty() == options.snapshotIn.empty())
        throw RunFailure{"give either --ldif FILE (one or more) or --snapshot FILE"};
    auto catalogue = loadRules(options.rulePaths);
    pugi::xml_document snapshot;
    if (!options.snapshotIn.empty()) {
        if (auto problem = loadSnapshot(options.snapshotIn, snapshot))
            throw RunFailure{*problem};
    } else {
        CollectionContext context;
        context.sourceKind = "ldif";
        context.inputs = options.ldifFiles;
        context.toolVersion = kVersion;
        context.collectedAt = utcNow();
        buildSnapshot(readLdifFiles(options.ldifFiles), context, snapshot);
    }
    return analyzeSnapshot(snapshot, catalogue, options, out);
}

int commandAudit(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
    AnalyzeOptions options;
    LiveOptions live;
    po::options_description all;
    all.add(connectionOptions(live)).add(analyzeOutputOptions(options));
    if (wantsHelp(arguments)) {
        out << "relayaudit audit --uri URI [connection options] [options]\n\n" << all << "\n";
        return kExitClean;
    }
    parse(arguments, all);
    thresholdOf(options.failOn);
    checkAnalyzeOptions(options);
    auto catalogue = loadRules(options.rulePaths); // before connecting: fail fast on bad packs
    pugi::xml_document snapshot;
    collectSnapshot(live, snapshot, err);
    return analyzeSnapshot(snapshot, catalogue, options, out);
}

int commandCollect(const std::vector<std::string>& arguments, std::ostream& out,
                   std::ostream& err) {
    LiveOptions live;
    std::string snapshotOut;
    po::options_description output("Output");
    output.add_options()("snapshot-out", po::value(&snapshotOut), "write the snapshot to FILE");
    po::options_description all;
    all.add(connectionOptions(live)).add(output);
    if (wantsHelp(arguments)) {
        out << "relayaudit collect --uri URI [connection options] --snapshot-out FILE\n\n"
            << all << "\n";
        return kExitClean;
    }
    parse(arguments, all);
    if (snapshotOut.empty())
        throw RunFailure{"--snapshot-out FILE is required (\"-\" for standard output)"};
    pugi::xml_document snapshot;
    collectSnapshot(live, snapshot, err);
    writeOutput(snapshotOut, snapshotToString(snapshot), "snapshot");
    return kExitClean;
}

int commandRules(const std::vector<std::string>& arguments, std::ostream& out) {
    std::vector<std::string> rulePaths;
    po::options_description all("Options");
    all.add_options()("rules", po::value(&rulePaths)->composing(),
                      "add a rule pack file or directory to the built-in packs (repeatable)");
    if (wantsHelp(arguments)) {
        out << "relayaudit rules [--rules PATH ...]\n\n" << all << "\n";
        return kExitClean;
    }
    parse(arguments, all);
    auto catalogue = loadRules(rulePaths);
    for (const auto* rule : catalogue.rules())
        out << rule->id << "\t" << toString(rule->severity) << "\t" << toString(rule->kind) << "\t"
            << rule->title << "\n";
    return kExitClean;
}

} // namespace

int run(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
    try {
        if (arguments.empty()) {
            err << kUsage;
            return kExitFailure;
        }
        const std::string& command = arguments.front();
        std::vector<std::string> rest(arguments.begin() + 1, arguments.end());
        if (command == "--help" || command == "-h" || command == "help") {
            out << kUsage;
            return kExitClean;
        }
        if (command == "--version") {
            out << "relayaudit " << kVersion << "\n";
            return kExitClean;
        }
        if (command == "analyze")
            return commandAnalyze(rest, out);
        if (command == "audit")
            return commandAudit(rest, out, err);
        if (command == "collect")
            return commandCollect(rest, out, err);
        if (command == "rules")
            return commandRules(rest, out);
        throw RunFailure{"unknown command '" + command +
                         "'; use analyze, audit, collect or rules (see relayaudit --help)"};
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
