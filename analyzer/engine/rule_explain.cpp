#include "rule_explain.h"

namespace relayaudit {

std::string explainRule(const Rule& rule) {
    std::string out = rule.id + ": " + rule.title + "\n";
    out += "Severity: " + std::string(toString(rule.severity)) + "   Kind: " + toString(rule.kind) +
           "   Pack: " + rule.pack + " (" + rule.source +
           (rule.line ? ":" + std::to_string(rule.line) : std::string()) + ")\n";
    out += "\nWhy it matters:\n  " + rule.why + "\n";
    out += "\nRemediation:\n";
    for (std::size_t i = 0; i < rule.remediation.size(); ++i)
        out += "  " + std::to_string(i + 1) + ". " + rule.remediation[i] + "\n";
    out += "\nReferences:\n";
    for (const auto& reference : rule.references)
        out += "  - " + reference.title + " <" + reference.url + ">\n";
    return out;
}

} // namespace relayaudit
