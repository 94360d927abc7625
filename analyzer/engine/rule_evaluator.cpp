// Running compiled rules over a snapshot document: consts once per document, then per offending
// node the lets (in order), the where test, object, name, message and evidence.
#include "compiled_rule.h"
#include "xpath_compile.h"

#include <algorithm>
#include <string_view>

namespace relayaudit {

void bindConsts(const CompiledPack& pack, const pugi::xml_document& document) {
    for (const auto& constant : pack.constants)
        if (constant.query)
            bindVariable(*pack.consts, constant.name.c_str(), *constant.query,
                         pugi::xpath_node(document));
}

namespace {

// The rule's own set holds copies of the consts: pugixml binds a query to one set.
void copyConsts(const CompiledPack& pack, pugi::xpath_variable_set& variables) {
    for (const auto& constant : pack.constants) {
        auto* value = pack.consts->get(constant.name.c_str());
        switch (value->type()) {
        case pugi::xpath_type_node_set:
            variables.set(value->name(), value->get_node_set());
            break;
        case pugi::xpath_type_number:
            variables.set(value->name(), value->get_number());
            break;
        case pugi::xpath_type_boolean:
            variables.set(value->name(), value->get_boolean());
            break;
        default:
            variables.set(value->name(), value->get_string());
            break;
        }
    }
}

// "EXCH01: SMTP Virtual Server #2" where the object lives on a server, else its name.
std::string defaultObjectName(pugi::xml_node node) {
    std::string_view server = node.attribute("server").value();
    std::string_view name = node.attribute("name").value();
    if (server.empty())
        return std::string(name);
    std::string text;
    text.reserve(server.size() + 2 + name.size());
    return text.append(server).append(": ").append(name);
}

void appendEvidence(const Rule& rule, const CompiledRule& compiled,
                    const pugi::xpath_node& offending, Finding& finding, RuleTrace* trace) {
    for (std::size_t i = 0; i < compiled.evidence.size(); ++i) {
        const auto& definition = rule.evidence[i];
        const auto& query = compiled.evidence[i];
        auto add = [&](const pugi::xpath_node& context) {
            std::string observed = query.observed->evaluateString(context);
            if (trace && !observed.empty())
                trace->evidenceObserved[i] = true;
            finding.evidence.push_back(
                {definition.attribute, std::move(observed), definition.expected});
        };
        if (!query.forEach) {
            add(offending);
            continue;
        }
        auto nodes = query.forEach->evaluate_node_set(offending);
        nodes.sort(); // document order, whatever the expression's axes
        for (const auto& node : nodes)
            add(node);
    }
}

} // namespace

void bindRuleConsts(const CompiledRule& compiled) {
    copyConsts(*compiled.pack, *compiled.variables);
}

void makeFindings(const Rule& rule, const CompiledRule& compiled,
                  std::span<const pugi::xpath_node> selected, std::vector<Finding>& findings,
                  RuleTrace* trace) {
    if (trace) {
        trace->ifOutcomes.assign(compiled.message.ifs.size(), 0);
        trace->evidenceObserved.assign(compiled.evidence.size(), false);
    }
    // A Finding is large to move on regrowth: room for all at once, but grown geometrically, as
    // the early evaluation calls this for one node at a time (an exact reserve each time was
    // quadratic).
    if (const std::size_t needed = findings.size() + selected.size(); needed > findings.capacity())
        findings.reserve(std::max(needed, 2 * findings.capacity()));
    for (const auto& node : selected) {
        for (const auto& let : compiled.lets)
            bindVariable(*compiled.variables, let.name.c_str(), *let.query, node);
        if (compiled.where && !compiled.where->evaluateBoolean(node))
            continue;
        Finding finding;
        finding.rule = &rule;
        finding.object = compiled.object->evaluateString(node);
        finding.objectName =
            compiled.name ? compiled.name->evaluateString(node) : defaultObjectName(node.node());
        finding.message =
            renderMessage(compiled.message, node, trace ? &trace->ifOutcomes : nullptr);
        if (!compiled.cause.parts.empty())
            finding.cause = renderCause(compiled.cause, node);
        appendEvidence(rule, compiled, node, finding, trace);
        findings.push_back(std::move(finding));
    }
}

void evaluateRule(const Rule& rule, const CompiledRule& compiled,
                  const pugi::xml_document& document, std::vector<Finding>& findings,
                  RuleTrace* trace) {
    auto selected = compiled.condition->evaluate_node_set(document);
    selected.sort();
    bindRuleConsts(compiled);
    makeFindings(rule, compiled, {selected.begin(), selected.size()}, findings, trace);
}

} // namespace relayaudit
