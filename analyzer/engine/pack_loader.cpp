// Loading rule packs: files and directories, the <rulePack> element, its <const> values and the
// pack-wide checks (rule IDs). One rule is read by rule_loader.cpp.
#include "atomic_file.h"
#include "compiled_rule.h"
#include "embedded.h"
#include "input_file.h"
#include "rule_loader.h"
#include "rules.h"
#include "xpath_compile.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

namespace relayaudit {

std::string RulePackError::describe() const {
    return source + (line ? ":" + std::to_string(line) : std::string()) + ": " +
           (rule.empty() ? "" : "rule " + rule + ": ") + message;
}

RuleCatalogue::RuleCatalogue() : evaluating_(std::make_unique<std::mutex>()) {}
RuleCatalogue::RuleCatalogue(RuleCatalogue&&) noexcept = default;
RuleCatalogue& RuleCatalogue::operator=(RuleCatalogue&&) noexcept = default;
RuleCatalogue::~RuleCatalogue() = default;

std::vector<const Rule*> RuleCatalogue::rules() const {
    std::vector<const Rule*> all;
    for (const auto& pack : packs_)
        for (const auto& rule : pack->rules)
            all.push_back(&rule);
    return all;
}

const Rule* RuleCatalogue::find(std::string_view id) const {
    for (const auto* rule : rules())
        if (rule->id == id)
            return rule;
    return nullptr;
}

const CompiledRule& RuleCatalogue::compiled(const Rule& rule) const {
    return *compiled_.at(&rule);
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
            errors.push_back({path, 0, "", "the directory holds no *.xml rule pack"});
            return false;
        }
        bool ok = true;
        for (const auto& file : files)
            ok = loadPath(file, errors) && ok;
        return ok;
    }
    std::string content;
    if (auto problem = readWholeFile(path, content)) {
        errors.push_back({path, 0, "", *problem});
        return false;
    }
    return loadText(content, path, errors);
}

namespace {

// <const name="x" value="text"/> or <const name="x" select="xpath"/> (evaluated on the document).
void loadConsts(pugi::xml_node root, CompiledPack& pack, PackProblems& problems) {
    std::set<std::string> names;
    for (auto node : root.children("const")) {
        std::string name = node.attribute("name").value();
        if (!isVariableName(name)) {
            problems.at(node, "", "<const name> must be a name such as acceptAnyRecipient");
            continue;
        }
        if (!names.insert(name).second) {
            problems.at(node, "", "<const name=\"" + name + "\"> is defined twice");
            continue;
        }
        bool hasValue = node.attribute("value");
        if (hasValue == bool(node.attribute("select"))) {
            problems.at(node, "", "<const name=\"" + name + "\"> needs value or select, not both");
            continue;
        }
        if (hasValue) {
            pack.consts->add(name.c_str(), pugi::xpath_type_string);
            pack.consts->set(name.c_str(), node.attribute("value").value());
            pack.constants.push_back({name, nullptr});
            continue;
        }
        std::string problem;
        auto query = compileXPath(node.attribute("select").value(), pack.consts.get(), problem);
        if (!query) {
            problems.at(node, "",
                        "<const name=\"" + name + "\" select> is not valid XPath: " + problem);
            continue;
        }
        pack.consts->add(name.c_str(), query->return_type());
        pack.constants.push_back({name, query});
    }
}

const std::set<std::string> kPackChildren = {"const", "rule"};

} // namespace

bool RuleCatalogue::loadText(std::string_view text, const std::string& source,
                             std::vector<RulePackError>& errors) {
    std::size_t errorsBefore = errors.size();
    SourceLines lines(text);
    PackProblems problems{source, lines, errors};
    pugi::xml_document document;
    // parse_ws_pcdata keeps the space in "<value of='a'/> <value of='b'/>"; the byte offsets
    // behind the line numbers need the text unconverted (UTF-8 in, UTF-8 kept).
    auto parsed = document.load_buffer(
        text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
    if (!parsed) {
        problems.atLine(lines.lineOfOffset(parsed.offset), "",
                        std::string("not well-formed XML: ") + parsed.description());
        return false;
    }
    auto root = document.document_element();
    if (std::string_view(root.name()) != "rulePack") {
        problems.at(root, "", "the root element must be <rulePack> (see schemas/rules.xsd)");
        return false;
    }
    auto pack = std::make_unique<RulePack>();
    auto compiledPack = std::make_unique<CompiledPack>();
    pack->name = root.attribute("name").value();
    pack->version = root.attribute("version").value();
    pack->source = source;
    if (pack->name.empty() || pack->version.empty())
        problems.at(root, "", "<rulePack> needs the attributes name and version");
    loadConsts(root, *compiledPack, problems);

    std::set<std::string> knownIds;
    for (const auto& existing : rules())
        knownIds.insert(existing->id);
    static const std::regex idPattern("[A-Z][A-Z0-9]*(-[A-Z0-9]+)+");
    std::map<const Rule*, std::unique_ptr<CompiledRule>> compiled;

    // Rules are addressed by pointer from now on: the vector must not reallocate.
    pack->rules.reserve(std::distance(root.children("rule").begin(), root.children("rule").end()));
    for (auto node : root.children()) {
        if (node.type() != pugi::node_element)
            continue;
        if (!kPackChildren.count(node.name())) {
            problems.at(node, "",
                        std::string("unexpected element <") + node.name() + "> in <rulePack>");
            continue;
        }
        if (std::string_view(node.name()) != "rule")
            continue;
        Rule rule;
        rule.id = node.attribute("id").value();
        rule.pack = pack->name;
        rule.source = source;
        rule.line = lines.lineOf(node);
        std::string label = rule.id.empty() ? "(without id)" : rule.id;
        if (!std::regex_match(rule.id, idPattern))
            problems.at(node, label,
                        "the id must look like AREA-NAME in capitals, e.g. EXS-RELAY-OPEN");
        else if (!knownIds.insert(rule.id).second)
            problems.at(node, label,
                        "the id is used by another rule; rule IDs must be unique across packs");
        auto severity = parseSeverity(node.attribute("severity").value());
        auto kind = parseRuleKind(node.attribute("kind").value());
        if (!severity)
            problems.at(node, label,
                        "severity must be one of critical, error, warning, non-default, info");
        if (!kind)
            problems.at(node, label,
                        "kind must be one of unsafe, non-default, cannot-judge, info, manual");
        rule.severity = severity.value_or(Severity::Info);
        rule.kind = kind.value_or(RuleKind::Info);
        auto query = std::make_unique<CompiledRule>();
        loadRule(node, *compiledPack, problems, rule, *query);
        if (!query->lets.empty()) { // see CompiledRule::twin; its problems are the ones above
            std::vector<RulePackError> repeated;
            PackProblems unreported{problems.source, problems.lines, repeated};
            Rule same = rule;
            query->twin = std::make_unique<CompiledRule>();
            loadRule(node, *compiledPack, unreported, same, *query->twin);
            query->twin->examples.clear();
        }
        pack->rules.push_back(std::move(rule));
        compiled.emplace(&pack->rules.back(), std::move(query));
    }
    if (pack->rules.empty())
        problems.at(root, "", "the pack holds no <rule>");
    if (errors.size() != errorsBefore)
        return false;
    compiled_.merge(compiled);
    packs_.push_back(std::move(pack));
    compiledPacks_.push_back(std::move(compiledPack));
    return true;
}

} // namespace relayaudit
