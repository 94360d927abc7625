#include "rules.h"

#include "atomic_file.h"
#include "embedded.h"
#include "string_helpers.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

namespace relayaudit {

namespace {

using QueryPointer = std::shared_ptr<pugi::xpath_query>;

// pugixml reports XPath syntax errors through an exception or the query's result, depending on
// how it was built; both are turned into a message here.
QueryPointer compileXPath(const std::string& expression, std::string& problem) {
    try {
        auto query = std::make_shared<pugi::xpath_query>(expression.c_str());
        if (!query->result()) {
            problem = std::string(query->result().description()) + " at character " +
                      std::to_string(query->result().offset);
            return nullptr;
        }
        return query;
    } catch (const pugi::xpath_exception& error) {
        problem = std::string(error.result().description()) + " at character " +
                  std::to_string(error.result().offset);
        return nullptr;
    }
}

std::string trimmed(std::string_view text) {
    auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos)
        return {};
    auto end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

// Prose in packs is indented for readability; collapse runs of white space to single spaces.
std::string prose(pugi::xml_node node) {
    std::string out;
    bool pendingSpace = false;
    for (char c : std::string_view(node.child_value())) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace)
            out.push_back(' ');
        pendingSpace = false;
        out.push_back(c);
    }
    return out;
}

bool isHttpUrl(std::string_view url) {
    return url.starts_with("https://") || url.starts_with("http://");
}

const std::set<std::string> kRuleChildren = {"title",       "condition",  "object",
                                             "name",        "message",    "why",
                                             "remediation", "references", "evidence"};

} // namespace

std::string RulePackError::describe() const {
    return source + (rule.empty() ? "" : " rule " + rule) + ": " + message;
}

std::vector<const Rule*> RuleCatalogue::rules() const {
    std::vector<const Rule*> all;
    for (const auto& pack : packs_)
        for (const auto& rule : pack->rules)
            all.push_back(&rule);
    return all;
}

bool RuleCatalogue::loadBuiltin(std::vector<RulePackError>& errors) {
    bool ok = true;
    for (const auto& file : embedded::files())
        if (file.name.starts_with("rules/") && file.name.ends_with(".xml"))
            ok = loadText(file.content, "builtin:" + std::string(file.name), errors) && ok;
    return ok;
}

bool RuleCatalogue::loadPath(const std::string& path, std::vector<RulePackError>& errors) {
    std::error_code code;
    if (std::filesystem::is_directory(path, code)) {
        std::vector<std::string> files;
        for (const auto& item : std::filesystem::directory_iterator(path, code))
            if (item.path().extension() == ".xml")
                files.push_back(item.path().string());
        std::sort(files.begin(), files.end());
        if (files.empty()) {
            errors.push_back({path, "", "the directory holds no *.xml rule pack"});
            return false;
        }
        bool ok = true;
        for (const auto& file : files)
            ok = loadPath(file, errors) && ok;
        return ok;
    }
    std::string content;
    if (auto problem = readWholeFile(path, content)) {
        errors.push_back({path, "", *problem});
        return false;
    }
    return loadText(content, path, errors);
}

bool RuleCatalogue::loadText(std::string_view text, const std::string& source,
                             std::vector<RulePackError>& errors) {
    std::size_t errorsBefore = errors.size();
    auto fail = [&](const std::string& rule, const std::string& message) {
        errors.push_back({source, rule, message});
    };
    pugi::xml_document document;
    auto parsed =
        document.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        fail("", std::string("not well-formed XML: ") + parsed.description() + " at byte " +
                     std::to_string(parsed.offset));
        return false;
    }
    auto root = document.document_element();
    if (std::string_view(root.name()) != "rulePack") {
        fail("", "the root element must be <rulePack> (see schemas/rules.xsd)");
        return false;
    }
    auto pack = std::make_unique<RulePack>();
    pack->name = root.attribute("name").value();
    pack->version = root.attribute("version").value();
    pack->source = source;
    if (pack->name.empty() || pack->version.empty())
        fail("", "<rulePack> needs the attributes name and version");

    std::set<std::string> knownIds;
    for (const auto& existing : rules())
        knownIds.insert(existing->id);
    static const std::regex idPattern("[A-Z][A-Z0-9]*(-[A-Z0-9]+)+");
    std::map<const Rule*, CompiledRule> compiled;

    pack->rules.reserve(std::distance(root.children().begin(), root.children().end()));
    for (auto node : root.children()) {
        if (node.type() != pugi::node_element)
            continue;
        if (std::string_view(node.name()) != "rule") {
            fail("", std::string("unexpected element <") + node.name() + "> in <rulePack>");
            continue;
        }
        Rule rule;
        rule.id = node.attribute("id").value();
        rule.pack = pack->name;
        std::string label = rule.id.empty() ? "(without id)" : rule.id;
        if (!std::regex_match(rule.id, idPattern))
            fail(label, "the id must look like AREA-NAME in capitals, e.g. EXS-RELAY-OPEN");
        else if (!knownIds.insert(rule.id).second)
            fail(label, "the id is used by another rule; rule IDs must be unique across packs");
        auto severity = parseSeverity(node.attribute("severity").value());
        auto kind = parseRuleKind(node.attribute("kind").value());
        if (!severity)
            fail(label, "severity must be one of critical, error, warning, non-default, info");
        if (!kind)
            fail(label, "kind must be one of unsafe, non-default, cannot-judge, info");
        rule.severity = severity.value_or(Severity::Info);
        rule.kind = kind.value_or(RuleKind::Info);
        for (auto child : node.children())
            if (child.type() == pugi::node_element && !kRuleChildren.count(child.name()))
                fail(label, std::string("unexpected element <") + child.name() + ">");

        rule.title = prose(node.child("title"));
        rule.condition = trimmed(node.child_value("condition"));
        rule.objectXPath = node.child("object") ? trimmed(node.child_value("object")) : "@dn";
        // Default: "EXCH01: SMTP Virtual Server #2" where the object lives on a server, else @name.
        rule.nameXPath = node.child("name") ? trimmed(node.child_value("name"))
                                            : "concat(@server, substring(': ', 1, "
                                              "2 * number(string(@server) != '')), @name)";
        rule.message = prose(node.child("message"));
        rule.why = prose(node.child("why"));
        for (auto step : node.child("remediation").children("step"))
            rule.remediation.push_back(prose(step));
        for (auto reference : node.child("references").children("reference")) {
            Reference item{prose(reference), reference.attribute("url").value()};
            if (item.title.empty() || !isHttpUrl(item.url))
                fail(label, "each <reference> needs a title and an http(s) url");
            rule.references.push_back(item);
        }
        for (const auto& [field, value] : {std::pair{"title", &rule.title},
                                           {"condition", &rule.condition},
                                           {"message", &rule.message},
                                           {"why", &rule.why}})
            if (value->empty())
                fail(label, std::string("<") + field + "> is missing or empty");
        if (rule.remediation.empty())
            fail(label, "<remediation> needs at least one <step>");
        if (rule.references.empty())
            fail(label, "<references> needs at least one <reference>");

        CompiledRule query;
        std::string problem;
        if (!rule.condition.empty()) {
            query.condition = compileXPath(rule.condition, problem);
            if (!query.condition)
                fail(label, "the condition is not valid XPath: " + problem);
            else if (query.condition->return_type() != pugi::xpath_type_node_set)
                fail(label, "the condition must select nodes (an XPath node-set), not a value");
        }
        if (!(query.object = compileXPath(rule.objectXPath, problem)))
            fail(label, "<object> is not valid XPath: " + problem);
        if (!(query.name = compileXPath(rule.nameXPath, problem)))
            fail(label, "<name> is not valid XPath: " + problem);

        // "{expr}" in the message is replaced by string(expr) on the offending node.
        std::string_view message = rule.message;
        while (!message.empty()) {
            auto open = message.find('{');
            if (open == std::string_view::npos) {
                query.message.push_back({std::string(message), nullptr});
                break;
            }
            auto close = message.find('}', open);
            if (close == std::string_view::npos) {
                fail(label, "<message> has a '{' without its '}'");
                break;
            }
            if (open > 0)
                query.message.push_back({std::string(message.substr(0, open)), nullptr});
            std::string expression(message.substr(open + 1, close - open - 1));
            auto compiledExpression = compileXPath(expression, problem);
            if (!compiledExpression)
                fail(label,
                     "<message> placeholder {" + expression + "} is not valid XPath: " + problem);
            query.message.push_back({"", compiledExpression});
            message.remove_prefix(close + 1);
        }

        for (auto item : node.children("evidence")) {
            EvidenceDefinition evidence{item.attribute("attribute").value(),
                                        item.attribute("observed").value(),
                                        item.attribute("expected").value()};
            if (evidence.attribute.empty() || evidence.observedXPath.empty())
                fail(label, "<evidence> needs the attributes attribute and observed");
            auto compiledEvidence = compileXPath(evidence.observedXPath, problem);
            if (!compiledEvidence)
                fail(label, "<evidence observed> is not valid XPath: " + problem);
            query.evidence.push_back(compiledEvidence);
            rule.evidence.push_back(evidence);
        }
        pack->rules.push_back(std::move(rule));
        compiled.emplace(&pack->rules.back(), std::move(query));
    }
    if (pack->rules.empty())
        fail("", "the pack holds no <rule>");
    if (errors.size() != errorsBefore)
        return false;
    compiled_.merge(compiled);
    packs_.push_back(std::move(pack));
    return true;
}

std::vector<Finding> RuleCatalogue::evaluate(const pugi::xml_document& snapshot) const {
    std::vector<Finding> findings;
    for (const auto& pack : packs_) {
        for (const auto& rule : pack->rules) {
            const auto& query = compiled_.at(&rule);
            for (const auto& selected : query.condition->evaluate_node_set(snapshot)) {
                Finding finding;
                finding.rule = &rule;
                finding.object = query.object->evaluate_string(selected);
                finding.objectName = query.name->evaluate_string(selected);
                for (const auto& part : query.message)
                    finding.message +=
                        part.expression ? part.expression->evaluate_string(selected) : part.literal;
                for (std::size_t i = 0; i < rule.evidence.size(); ++i)
                    finding.evidence.push_back({rule.evidence[i].attribute,
                                                query.evidence[i]->evaluate_string(selected),
                                                rule.evidence[i].expected});
                findings.push_back(std::move(finding));
            }
        }
    }
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        if (a.severity() != b.severity())
            return a.severity() > b.severity();
        if (a.rule->id != b.rule->id)
            return a.rule->id < b.rule->id;
        return a.object < b.object;
    });
    return findings;
}

} // namespace relayaudit
