#include "pipeline.h"

#include "atomic_file.h"
#include "cli.h"
#include "document_memory.h"
#include "early_evaluation.h"
#include "entry_sieve.h"
#include "history_and_waivers.h"
#include "history_store.h"
#include "ims_inputs.h"
#include "input_file.h"
#include "inventory.h"
#include "ldap_collector.h"
#include "ldif_reader.h"
#include "log_lines.h"
#include "mail_report.h"
#include "manual_checks.h"
#include "password_prompt.h"
#include "phase_timings.h"
#include "probe_command.h"
#include "reporters.h"
#include "rules.h"
#include "rules_command.h"
#include "run_failure.h"
#include "snapshot.h"
#include "snapshot_build_thread.h"
#include "snapshot_builder.h"
#include "stdout_summary.h"
#include "text_encoding.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <future>
#include <iostream>
#include <ostream>
#include <tuple>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h> // malloc_trim
#endif

namespace relayaudit {

namespace {

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

// Checked before any work, so a long live collection does not end in a usage error.
void checkAnalyzeOptions(const AnalyzeOptions& options) {
    if ((options.xmlOut == "-") + (options.htmlOut == "-") + (options.snapshotOut == "-") +
            (options.jsonOut == "-") >
        1)
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

// Each file is read in chunks and parsed one entry at a time; the sieve keeps only the entries
// the snapshot builder uses, so memory follows those, not the size of the export.
std::vector<DirectoryEntry> readLdifFiles(const std::vector<std::string>& files,
                                          CollectionContext& context, std::size_t& entriesRead) {
    SnapshotEntrySieve sieve;
    for (const auto& file : files) {
        InputFile input;
        if (auto problem = input.open(file))
            throw RunFailure{*problem};
        LdifSource source = [&input](char* buffer, std::size_t capacity) {
            auto got = input.read(buffer, capacity);
            if (!got)
                throw RunFailure{input.error()};
            return *got;
        };
        LdifReader reader(std::move(source), input.name());
        DirectoryEntry entry;
        while (reader.next(entry))
            sieve.add(std::move(entry));
        if (reader.error())
            throw RunFailure{"invalid LDIF: " + reader.error()->describe()};
    }
    entriesRead = sieve.entriesRead();
    return sieve.finish(context);
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
    auto typed = promptForPassword(options.bindDn.empty() ? options.user : options.bindDn);
    if (!typed)
        throw RunFailure{"a simple bind needs a password: give --password-file FILE or "
                         "--password-env VAR (no terminal to prompt on)"};
    return *typed;
}

ConnectionOptions resolveConnection(const LiveOptions& options) {
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

// The <raw> copies are read only by a written snapshot, the probe (msExchServerBindings) and
// custom rule packs (the built-in ones never read them): without those, they are left out, which
// takes a third off the memory of a large audit (docs/design.md, "Raw values only when read").
RawValues rawValuesFor(const AnalyzeOptions& options) {
    bool read = !options.snapshotOut.empty() || options.probe.enabled || !options.rulePaths.empty();
    return read ? RawValues::Kept : RawValues::LeftOut;
}

// `beforeSearch`, when given, is called once the connection is bound, before the first search,
// and returns the early evaluation the builder thread feeds (null for none). When the
// collection fails before that, it is still called first: what it throws (a rule pack that does
// not load) is the failure reported.
using BeforeSearch = std::function<EarlyEvaluation*()>;

void collectSnapshot(const LiveOptions& options, pugi::xml_document& snapshot, std::ostream& err,
                     RawValues rawValues, bool quiet = false,
                     const BeforeSearch& beforeSearch = {}) {
    auto connection = resolveConnection(options);
    // The password is wiped when the collection ends, however it ends.
    struct Wipe {
        std::string& secret;
        ~Wipe() { std::fill(secret.begin(), secret.end(), '\0'); }
    } wipe{connection.password};
    // Which DC, which account, how many objects: on a terminal as progress, in a log with levels.
    StderrLog log(err, quiet);
    std::function<void(const std::string&)> progress = [&log](const std::string& line) {
        log.write(LogLevel::Info, line);
    };
    // Entries are built into the snapshot as they arrive, on a second thread while this one
    // waits for the directory; only what needs every entry waits for finish().
    // The rule tests, and rules, that read only one object run on it there as soon as it is built
    // (early_evaluation.h): that thread waits while the directory sends the next page. `early`
    // is set before the first search, so before the first entry reaches that thread (through
    // the queue's lock).
    EarlyEvaluation* early = nullptr;
    bool beforeSearchCalled = false;
    SnapshotBuilder::ObjectBuilt objectBuilt;
    if (beforeSearch)
        objectBuilt = [&early](pugi::xml_node object, std::string_view path) {
            if (early)
                early->objectBuilt(object, path);
        };
    SnapshotBuildThread builder(snapshot, rawValues, 512, std::move(objectBuilt));
    auto result = collectFromLdap(
        connection, progress, [&builder](DirectoryEntry&& entry) { builder.add(std::move(entry)); },
        [&] {
            beforeSearchCalled = true;
            if (beforeSearch)
                early = beforeSearch();
        });
    if (result.error) {
        if (beforeSearch && !beforeSearchCalled)
            beforeSearch(); // its failure first, as when it came before connecting
        throw RunFailure{*result.error};
    }
    result.context.toolVersion = toolVersion();
    result.context.collectedAt = utcNow();
    if (connection.tlsInsecure)
        result.context.notes.push_back("certificate checks were disabled (--tls-insecure): the "
                                       "server's identity was not verified");
    timings::markCollected();
    builder.finish(result.context);
}

bool stdoutIsTerminal() {
    return ::isatty(STDOUT_FILENO) == 1;
}

// The snapshot document is the largest thing in memory, and once the findings, the inventory and
// the wire evidence are taken from it nothing reads it again unless it is written out: it is
// released then, so the reports are written in the memory the document held instead of on top
// of it. Its pages come from the document page pool (document_memory.h), which hands each 2 MiB
// chunk back to the system as its last page goes, a dozen calls at 10,000 virtual servers.
// Without the pool (under AddressSanitizer) the pages were malloc's, on the builder thread's
// arena that this thread would not reuse: malloc_trim hands them back (about 700 madvise
// calls), on a thread of its own while the reports start; the returned future waits for it
// when it goes out of scope.
std::future<void> releaseSnapshot(pugi::xml_document& snapshot) {
    snapshot.reset();
#ifdef __GLIBC__
    if (!documentPagePoolInUse())
        return std::async(std::launch::async, [] { malloc_trim(0); });
#endif
    return {};
}

int analyzeSnapshot(pugi::xml_document& snapshot, const RuleCatalogue& catalogue,
                    const AnalyzeOptions& options, const HistoryAndWaivers& triage,
                    std::ostream& out, std::ostream& err, RunLeftovers* leftovers,
                    EarlyEvaluation* early = nullptr) {
    Severity threshold = thresholdOf(options.failOn);
    AuditReport report;
    auto root = snapshot.child("snapshot");
    report.run.toolVersion = toolVersion();
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
    {
        PhaseSpan evaluating(Phase::RuleEvaluation);
        report.findings = catalogue.evaluate(snapshot, early);
    }
    report.rules = catalogue.rules();
    // Rules of kind manual are reminders: the report lists them as manual checks.
    auto manual = takeManualFindings(report.findings, catalogue);
    report.manualChecks = manualCheckTexts(manual);
    report.inventory = inventoryOf(snapshot);
    applyHistoryAndWaivers(report, triage);
    addWireEvidence(snapshot, report);
    std::future<void> released; // joined when analyzeSnapshot returns
    if (options.snapshotOut.empty())
        released = releaseSnapshot(snapshot);

    // Every output is written to its temporary file before any is renamed into place, so a
    // failure cannot leave a mixed set. The reports are streamed into those files; only the
    // mail, which attaches both, needs them as text.
    bool history = !options.historyDir.empty();
    bool mailing = !options.mail.to.empty();
    std::string xml = mailing ? renderXmlReport(report) : std::string();
    std::string html = mailing ? renderHtmlReport(report) : std::string();
    using Writer = AtomicFileSet::ContentWriter;
    auto textOrReport = [](const std::string& text, void (*write)(const AuditReport&, OutputSink&),
                           const AuditReport& report) -> Writer {
        if (!text.empty())
            return [&text](OutputSink& out) { out.append(text); };
        return [write, &report](OutputSink& out) { write(report, out); };
    };
    // --timings: each report's phase is the time spent streaming it into its file.
    auto timed = [](Phase phase, Writer write) -> Writer {
        return [phase, write = std::move(write)](OutputSink& out) {
            PhaseSpan span(phase);
            write(out);
        };
    };
    Writer writeXml = timed(Phase::XmlReport, textOrReport(xml, writeXmlReport, report));
    // Without a mail (which needs the text anyway), the HTML report is rendered on a second
    // thread while the XML report, the larger, streams into its file: both only read the report.
    std::shared_future<std::string> htmlAhead;
    if (html.empty() && !options.htmlOut.empty())
        htmlAhead = std::async(std::launch::async, [&report] {
                        PhaseSpan rendering(Phase::HtmlReport);
                        return renderHtmlReport(report);
                    }).share();
    Writer writeHtml = htmlAhead.valid()
                           ? Writer([htmlAhead](OutputSink& out) { out.append(htmlAhead.get()); })
                           : timed(Phase::HtmlReport, textOrReport(html, writeHtmlReport, report));
    Writer writeJson =
        timed(Phase::OtherOutputs, [&report](OutputSink& out) { writeJsonReport(report, out); });
    Writer writeSnapshotText =
        timed(Phase::OtherOutputs, [&snapshot](OutputSink& out) { writeSnapshot(snapshot, out); });
    // All or nothing: a failure on the last output must not leave the first ones replaced.
    RunOutcome outcome;
    outcome.threshold = threshold;
    outcome.failOnNew = options.failOnNew;
    AtomicFileSet outputs;
    for (const auto& [path, write, what] :
         {std::tuple{&options.snapshotOut, &writeSnapshotText, "snapshot"},
          std::tuple{&options.xmlOut, &writeXml, "XML report"},
          std::tuple{&options.htmlOut, &writeHtml, "HTML report"},
          std::tuple{&options.jsonOut, &writeJson, "JSON report"}})
        if (!path->empty()) {
            if (auto problem = outputs.stage(*path, *write))
                throw RunFailure{std::string("cannot write the ") + what + ": " + *problem +
                                 "; no output was changed"};
            if (*path != "-")
                outcome.written.emplace_back(what, *path);
        }
    if (history)
        outcome.written.emplace_back(
            "history",
            stageHistory(outputs, options.historyDir, report.run.generatedAt, writeXml, writeHtml));
    if (auto problem = outputs.commit())
        throw RunFailure{"cannot write the outputs: " + *problem};
    StderrLog log(err, options.quiet);
    if (history)
        if (auto problem = pruneHistory(options.historyDir, unsigned(options.keep)))
            log.write(LogLevel::Warning, *problem);
    for (const auto& [what, path] : outcome.written)
        log.write(LogLevel::Info, what + " written to " + path);

    // A manual check counts like a finding of its severity: the built-in ones are info, so only
    // --fail-on info stops on them. With --fail-on-new only new findings count: a manual check
    // is a standing reminder, never new.
    auto counts = [&](const Finding& f) {
        return f.severity() >= threshold && (!options.failOnNew || f.change == "new");
    };
    outcome.atThreshold =
        std::size_t(std::count_if(report.findings.begin(), report.findings.end(), counts));
    if (!options.failOnNew)
        outcome.manualAtThreshold =
            std::size_t(std::count_if(manual.begin(), manual.end(), [threshold](const Finding& f) {
                return f.severity() >= threshold;
            }));
    outcome.exitCode =
        outcome.atThreshold + outcome.manualAtThreshold > 0 ? kExitFindings : kExitClean;
    bool stdoutTaken = options.xmlOut == "-" || options.htmlOut == "-" ||
                       options.snapshotOut == "-" || options.jsonOut == "-";
    if (!stdoutTaken && !(options.quiet && outcome.exitCode == kExitClean)) {
        if (options.list)
            printFindingList(out, report, outcome, stdoutIsTerminal());
        else
            printSummary(out, report, outcome, stdoutIsTerminal());
    }
    mailReport(options.mail, {report, threshold, static_cast<long>(outcome.atThreshold),
                              static_cast<long>(outcome.manualAtThreshold), outcome.exitCode,
                              options.htmlOut == "-" ? std::string() : options.htmlOut, html, xml});
    if (leftovers)
        leftovers->keep(std::move(report));
    return outcome.exitCode;
}

} // namespace

const char* toolVersion() {
    return RELAYAUDIT_VERSION;
}

int runAnalyze(const AnalyzeOptions& options, std::ostream& out, std::ostream& err,
               RunLeftovers* leftovers) {
    thresholdOf(options.failOn);
    checkAnalyzeOptions(options);
    checkMailOptions(options.mail);
    auto triage = readHistoryAndWaivers(options);
    bool fromExports = !options.ldifFiles.empty() || !options.imsRegistries.empty();
    if (fromExports == !options.snapshotIn.empty())
        throw RunFailure{"give either --ldif FILE and/or --ims-registry FILE (each repeatable) "
                         "or --snapshot FILE"};
    auto catalogue = loadRules(options.rulePaths);
    pugi::xml_document snapshot;
    if (!options.snapshotIn.empty()) {
        PhaseSpan reading(Phase::Decode);
        if (auto problem = loadSnapshot(options.snapshotIn, snapshot, rawValuesFor(options)))
            throw RunFailure{*problem};
    } else {
        CollectionContext context;
        context.sourceKind = options.ldifFiles.empty() ? "registry" : "ldif";
        context.inputs = options.ldifFiles;
        for (const auto& registry : options.imsRegistries)
            context.inputs.push_back(registry.file);
        context.toolVersion = toolVersion();
        context.collectedAt = utcNow();
        std::size_t entriesRead = 0;
        std::vector<DirectoryEntry> entries;
        {
            PhaseSpan reading(Phase::Decode);
            entries = readLdifFiles(options.ldifFiles, context, entriesRead);
        }
        if (!options.ldifFiles.empty())
            StderrLog(err, options.quiet)
                .write(LogLevel::Info, "read " + std::to_string(entriesRead) + " entries from " +
                                           std::to_string(options.ldifFiles.size()) +
                                           " LDIF file(s)");
        auto imsServers = readImsExports(options.imsRegistries);
        PhaseSpan building(Phase::SnapshotBuild);
        buildSnapshot(entries, context, snapshot, rawValuesFor(options));
        appendImsServers(snapshot, imsServers);
    }
    if (options.probe.enabled)
        probeSnapshotEndpoints(snapshot, catalogue, options.probe, err);
    int code = analyzeSnapshot(snapshot, catalogue, options, triage, out, err, leftovers);
    if (leftovers)
        leftovers->keep(std::move(catalogue));
    return code;
}

int runAudit(const AuditOptions& options, std::ostream& out, std::ostream& err,
             RunLeftovers* leftovers) {
    thresholdOf(options.analysis.failOn);
    checkAnalyzeOptions(options.analysis);
    checkMailOptions(options.analysis.mail);
    // The rule packs load on a thread of their own while the waivers, the baseline and the
    // probe options are read and the connection is made and bound: loading them took 4-5 ms at
    // the start of every audit, on the path it waits for. The collection waits for them before
    // its first search. A pack that does not load stops the run there, before any entry is
    // read, and its message comes before any other failure, as when the packs were loaded
    // first; only a server that does not answer now delays it, by the connect timeout.
    auto loading = std::async(std::launch::async,
                              [&paths = options.analysis.rulePaths] { return loadRules(paths); });
    std::optional<RuleCatalogue> loaded;
    auto rules = [&]() -> RuleCatalogue& {
        if (!loaded)
            loaded.emplace(loading.get());
        return *loaded;
    };
    HistoryAndWaivers triage;
    try {
        triage = readHistoryAndWaivers(options.analysis);
        if (options.analysis.probe.enabled)
            probeSettingsFrom(
                options.analysis.probe); // fail on bad probe options before connecting
    } catch (...) {
        rules(); // a pack's failure first
        throw;
    }
    pugi::xml_document snapshot;
    std::optional<EarlyEvaluation> early;
    collectSnapshot(options.live, snapshot, err, rawValuesFor(options.analysis),
                    options.analysis.quiet, [&] { return &early.emplace(rules()); });
    auto& catalogue = rules();
    if (options.analysis.probe.enabled) {
        auto probe = options.analysis.probe;
        probe.caFile = options.live.connection.caFile;           // one --ca-file, as for LDAP
        probeSnapshotEndpoints(snapshot, catalogue, probe, err); // adds probes, not objects
    }
    int code = analyzeSnapshot(snapshot, catalogue, options.analysis, triage, out, err, leftovers,
                               early ? &*early : nullptr);
    if (leftovers)
        leftovers->keep(std::move(catalogue));
    return code;
}

int runCollect(const CollectOptions& options, std::ostream& err) {
    if (options.snapshotOut.empty())
        throw RunFailure{"--snapshot-out FILE is required (\"-\" for standard output)"};
    pugi::xml_document snapshot;
    collectSnapshot(options.live, snapshot, err, RawValues::Kept);
    PhaseSpan writing(Phase::OtherOutputs);
    if (auto problem = writeFileAtomically(
            options.snapshotOut, [&snapshot](OutputSink& out) { writeSnapshot(snapshot, out); }))
        throw RunFailure{"cannot write the snapshot: " + *problem};
    if (options.snapshotOut != "-")
        StderrLog(err).write(LogLevel::Info, "snapshot written to " + options.snapshotOut);
    return kExitClean;
}

} // namespace relayaudit
