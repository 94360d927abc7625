#pragma once
// The command-line options of each subcommand as plain structs. options.cpp is the only code that
// knows Boost.Program_options; everything after parsing works on these structs.
#include "input_file.h"
#include "ldap_collector.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

// One --ims-registry FILE with the --ims-server NAME given just before it (empty: none).
struct ImsRegistryInput {
    std::string file;
    std::string server;
};

// --mail-to and its companions (analyze, audit).
struct MailOptions {
    std::vector<std::string> to; // as given: each may be a comma-separated list
    std::string from;
    std::string when = "new"; // always, findings, new (since the previous run), failure
    std::string outbox;       // write the message here instead of running sendmail
    std::string sendmail;     // program; empty: $RELAYAUDIT_SENDMAIL or /usr/sbin/sendmail
};

// The SMTP relay probe (relayaudit probe; analyze/audit --probe, opt-in).
struct ProbeOptions {
    bool enabled = false;          // analyze/audit: --probe given
    std::vector<std::string> maps; // NAME=ADDRESS
    std::string from = "relayaudit-probe@example.com";
    std::string to = "relay-test@example.net";
    unsigned timeoutSeconds = 10;
    unsigned parallel = 4;
    bool guest = false;    // --probe-guest
    bool startTls = false; // --probe-starttls
    std::string forms;     // --probe-forms: "" or "all"
    std::string caFile;    // --ca-file (audit: the LDAP one)
};

struct ProbeCommandOptions {
    std::vector<std::string> targets; // HOST[:PORT]
    ProbeOptions probe;
};

// Outputs and rule selection shared by analyze and audit.
struct AnalyzeOptions {
    std::vector<std::string> ldifFiles;
    std::vector<ImsRegistryInput> imsRegistries; // in command-line order
    std::string snapshotIn;
    std::vector<std::string> rulePaths;
    std::string xmlOut;
    std::string htmlOut;
    std::string snapshotOut;
    std::string failOn = "warning";
    MailOptions mail;
    std::string jsonOut;
    // History and waivers (docs/design.md, "History and waivers").
    std::string historyDir;
    int keep = 30; // checked >= 1 (a negative number must not wrap)
    std::string baselineFile;
    bool failOnNew = false;
    std::string waiversFile;
    // Standard output: a summary by default; --list one line per finding; --quiet nothing
    // unless the run fails.
    bool list = false;
    bool quiet = false;
    ProbeOptions probe;
    // --max-input-size: no file input of the run is read beyond this (docs/design.md, "Inputs
    // are streamed and bounded").
    std::uint64_t maxInputBytes = kDefaultMaxInputBytes;
};

// How to reach and bind to a domain controller (audit and collect).
struct LiveOptions {
    ConnectionOptions connection;
    std::string bindDn;
    std::string user;
    std::string passwordFile;
    std::string passwordEnv;
    std::string sasl;
};

struct AuditOptions {
    AnalyzeOptions analysis;
    LiveOptions live;
};

struct CollectOptions {
    LiveOptions live;
    std::string snapshotOut;
};

// rules: list the catalogue, --check PACK... (run every example), or --explain ID.
struct RulesOptions {
    std::vector<std::string> rulePaths;
    bool check = false;
    std::vector<std::string> packsToCheck;
    std::string explainId;
    std::uint64_t maxInputBytes = kDefaultMaxInputBytes; // --max-input-size, for the packs
};

// A parsed subcommand: either its options or, when --help/-h was among the arguments, the help
// text to print (then nothing else is parsed, so "--help" works next to any mistake).
template <class Options> struct ParsedCommand {
    Options options;
    std::string help; // non-empty: print it and exit 0
};

// Each throws RunFailure on an unknown option, a missing or malformed value.
ParsedCommand<AnalyzeOptions> parseAnalyzeArguments(const std::vector<std::string>& arguments);
ParsedCommand<AuditOptions> parseAuditArguments(const std::vector<std::string>& arguments);
ParsedCommand<CollectOptions> parseCollectArguments(const std::vector<std::string>& arguments);
ParsedCommand<RulesOptions> parseRulesArguments(const std::vector<std::string>& arguments);
ParsedCommand<ProbeCommandOptions> parseProbeArguments(const std::vector<std::string>& arguments);

// The overview printed by "relayaudit --help" and, on stderr, when no command is given.
std::string_view generalUsage();

} // namespace relayaudit
