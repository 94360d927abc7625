#pragma once
// The findings model: what the engine produces and the reporters read. No LDAP, no XPath here.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

// Ordered: a larger value is more severe. --fail-on compares against this order.
enum class Severity { Info = 0, NonDefault = 1, Warning = 2, Error = 3, Critical = 4 };
// Manual: a reminder of something the tool cannot read, which a person must check; its findings
// are listed as manual checks, not as findings (takeManualFindings in manual_checks.h).
enum class RuleKind { Unsafe, NonDefault, CannotJudge, Info, Manual };

const char* toString(Severity severity); // "critical", "error", "warning", "non-default", "info"
const char* toString(RuleKind kind); // "unsafe", "non-default", "cannot-judge", "info", "manual"
std::optional<Severity> parseSeverity(std::string_view text);
std::optional<RuleKind> parseRuleKind(std::string_view text);

struct Reference {
    std::string title;
    std::string url;
};

struct EvidenceDefinition {
    std::string attribute; // shown name, e.g. "msExchSmtpRelayForAuth"
    std::string
        observedXPath;    // string() of it, relative to the offending node or each for-each node
    std::string expected; // prose: the safe or default value
    std::string forEach;  // empty: one row; else one row per node of this node-set
};

struct Rule {
    std::string id;
    Severity severity = Severity::Info;
    RuleKind kind = RuleKind::Unsafe;
    std::string title;
    std::string condition;   // XPath selecting the offending snapshot nodes
    std::string objectXPath; // string() of it on the node: the object's DN (default "@dn")
    std::string nameXPath;   // string() of it: a friendly name (default "@name")
    std::string message;     // the message markup as written, for --explain; compiled by the engine
    std::string why;         // why it matters
    std::vector<std::string> remediation; // numbered steps
    std::vector<Reference> references;
    std::vector<EvidenceDefinition> evidence;
    std::string cause;  // the <cause> markup as written, empty when the rule has none
    std::string pack;   // the pack's name
    std::string source; // the pack's file, or "builtin:rules/x.xml"
    unsigned line = 0;  // of <rule> in source
};

struct RulePack {
    std::string name;
    std::string version;
    std::string source; // file path, or "builtin:rules/x.xml"
    std::vector<Rule> rules;
};

// attribute and expected are the rule's own texts (its <evidence> definition), viewed rather than
// copied into every finding: the catalogue outlives the findings, and the copies were a sixth of
// the memory of 14,000 findings. Only observed is the finding's own.
struct Evidence {
    std::string_view attribute;
    std::string observed;
    std::string_view expected;
};

struct Finding {
    const Rule* rule = nullptr; // never null once made by the engine; owned by the catalogue,
                                // which outlives the findings
    std::string object;         // DN as in the input (may be empty for forest-wide findings)
    std::string objectName;
    std::string message; // the template filled with observed values
    std::vector<Evidence> evidence;
    // The rule's <cause> filled in: the one change that resolves this finding, as a phrase
    // ("disabling Guest in child.corp.example"). Findings with the same cause are one problem;
    // empty when the rule names none.
    std::string cause;
    // Set only when the run is compared with a previous one (--history, --baseline; see
    // run_comparison.h): "new" or "open", and the date (YYYY-MM-DD) it was first reported.
    std::string change;
    std::string firstSeen;

    Severity severity() const { return rule->severity; }
    // "unknown" for could-not-judge results, "fail" otherwise. Never "pass".
    const char* status() const { return rule->kind == RuleKind::CannotJudge ? "unknown" : "fail"; }
};

} // namespace relayaudit
