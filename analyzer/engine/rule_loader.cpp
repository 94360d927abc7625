#include "rule_loader.h"

#include "snapshot.h"
#include "string_helpers.h"
#include "xpath_compile.h"

#include <set>
#include <sstream>

namespace relayaudit {

namespace {

const std::set<std::string> kRuleChildren = {
    "title", "condition", "let",         "where",      "object",   "name",   "message",
    "cause", "why",       "remediation", "references", "evidence", "example"};

std::string trimmed(std::string_view text) {
    return std::string(trimWhitespace(text));
}

bool isHttpUrl(std::string_view url) {
    return url.starts_with("https://") || url.starts_with("http://");
}

std::string markupOf(pugi::xml_node node) {
    std::ostringstream out;
    for (auto child : node.children())
        child.print(out, "", pugi::format_raw);
    return trimmed(out.str());
}

class RuleReader {
public:
    RuleReader(pugi::xml_node node, CompiledPack& pack, PackProblems& problems, Rule& rule,
               CompiledRule& compiled)
        : node_(node), pack_(pack), problems_(problems), rule_(rule), compiled_(compiled),
          label_(rule.id.empty() ? "(without id)" : rule.id) {}

    void read() {
        for (auto child : node_.children())
            if (child.type() == pugi::node_element && !kRuleChildren.count(child.name()))
                fail(child, std::string("unexpected element <") + child.name() + ">");
        readProse();
        declareConsts();
        readCondition();
        readLets();
        if (auto where = node_.child("where"))
            compiled_.where = compile(where, trimmed(where.child_value()), "<where>");
        if (auto object = node_.child("object"))
            compiled_.object = compile(object, trimmed(object.child_value()), "<object>");
        else
            compiled_.object = compile(node_, "@dn", "<object>");
        if (auto name = node_.child("name"))
            compiled_.name = compile(name, trimmed(name.child_value()), "<name>");
        readMessage();
        readCause();
        readEvidence();
        readExamples();
    }

private:
    void fail(pugi::xml_node at, std::string message) {
        problems_.at(at, label_, std::move(message));
    }

    QueryPointer compile(pugi::xml_node at, const std::string& expression, const std::string& what,
                         pugi::xpath_variable_set* variables = nullptr) {
        if (expression.empty()) {
            fail(at, what + " is empty");
            return nullptr;
        }
        std::string problem;
        auto query =
            compileXPath(expression, variables ? variables : compiled_.variables.get(), problem);
        if (!query)
            fail(at, what + " is not valid XPath: " + problem);
        return query;
    }

    void readProse() {
        rule_.title = prose(node_.child("title"));
        rule_.condition = trimmed(node_.child_value("condition"));
        rule_.objectXPath = node_.child("object") ? trimmed(node_.child_value("object")) : "@dn";
        rule_.nameXPath = trimmed(node_.child_value("name"));
        rule_.message = markupOf(node_.child("message"));
        rule_.cause = markupOf(node_.child("cause"));
        rule_.why = prose(node_.child("why"));
        for (auto step : node_.child("remediation").children("step"))
            rule_.remediation.push_back(prose(step));
        for (auto reference : node_.child("references").children("reference")) {
            Reference item{prose(reference), reference.attribute("url").value()};
            if (item.title.empty() || !isHttpUrl(item.url))
                fail(reference, "each <reference> needs a title and an http(s) url");
            rule_.references.push_back(item);
        }
        for (const auto& [field, value] : {std::pair{"title", &rule_.title},
                                           {"condition", &rule_.condition},
                                           {"message", &rule_.message},
                                           {"why", &rule_.why}})
            if (value->empty())
                fail(node_.child(field) ? node_.child(field) : node_,
                     std::string("<") + field + "> is missing or empty");
        if (rule_.remediation.empty())
            fail(node_, "<remediation> needs at least one <step>");
        if (rule_.references.empty())
            fail(node_, "<references> needs at least one <reference>");
    }

    void declareConsts() {
        for (const auto& constant : pack_.constants) {
            auto type = pack_.consts->get(constant.name.c_str())->type();
            compiled_.variables->add(constant.name.c_str(), type);
            names_.insert(constant.name);
        }
    }

    void readCondition() {
        auto condition = node_.child("condition");
        if (rule_.condition.empty())
            return;
        // The condition runs once on the document: only the pack's consts exist there. Lets are
        // per offending node, so a test that needs them goes in <where>.
        compiled_.condition =
            compile(condition, rule_.condition, "the condition", pack_.consts.get());
        if (compiled_.condition &&
            compiled_.condition->return_type() != pugi::xpath_type_node_set) {
            fail(condition, "the condition must select nodes (an XPath node-set), not a value");
            compiled_.condition = nullptr;
        }
        if (compiled_.condition)
            compiled_.split = splitCondition(rule_.condition, pack_.consts.get());
        if (!compiled_.condition && rule_.condition.find('$') != std::string::npos)
            fail(condition, "the condition may use only the pack's <const> values; tests on a "
                            "rule's <let> values go in <where>");
    }

    void readLets() {
        for (auto let : node_.children("let")) {
            std::string name = let.attribute("name").value();
            if (!isVariableName(name)) {
                fail(let, "<let name> must be a name such as grants (letters, digits, _ . -)");
                continue;
            }
            if (!names_.insert(name).second) {
                fail(let, "$" + name + " is already defined (a <const> or an earlier <let>)");
                continue;
            }
            auto query =
                compile(let, let.attribute("select").value(), "<let name=\"" + name + "\">");
            if (!query)
                continue;
            compiled_.variables->add(name.c_str(), query->return_type());
            compiled_.lets.push_back({name, query});
        }
    }

    void readMessage() {
        std::vector<MarkupProblem> problems;
        compiled_.message = compileMessage(node_.child("message"), compiled_.variables.get(),
                                           problems_.lines, problems);
        for (auto& problem : problems)
            problems_.atLine(problem.line, label_, std::move(problem.message));
    }

    // A cause is a grouping key as much as a phrase: an <if> in it would be a branch that
    // rules --check cannot pin, so only text and <value of> are allowed.
    void readCause() {
        auto cause = node_.child("cause");
        if (!cause)
            return;
        if (rule_.cause.empty())
            fail(cause, "<cause> is empty");
        std::vector<MarkupProblem> problems;
        compiled_.cause =
            compileMessage(cause, compiled_.variables.get(), problems_.lines, problems);
        for (auto& problem : problems)
            problems_.atLine(problem.line, label_, std::move(problem.message));
        if (!compiled_.cause.ifs.empty())
            fail(cause, "<cause> allows text and <value of> only, no <if>");
    }

    void readEvidence() {
        for (auto item : node_.children("evidence")) {
            EvidenceDefinition evidence{
                item.attribute("attribute").value(), item.attribute("observed").value(),
                item.attribute("expected").value(), item.attribute("for-each").value()};
            CompiledEvidence query;
            query.line = problems_.lines.lineOf(item);
            if (evidence.attribute.empty() || evidence.observedXPath.empty())
                fail(item, "<evidence> needs the attributes attribute and observed");
            else
                query.observed = compile(item, evidence.observedXPath, "<evidence observed>");
            if (item.attribute("for-each")) {
                query.forEach = compile(item, evidence.forEach, "<evidence for-each>");
                if (query.forEach && query.forEach->return_type() != pugi::xpath_type_node_set)
                    fail(item, "<evidence for-each> must select nodes (an XPath node-set)");
            }
            compiled_.evidence.push_back(query);
            rule_.evidence.push_back(evidence);
        }
    }

    void readExamples() {
        for (auto item : node_.children("example")) {
            RuleExample example;
            example.line = problems_.lines.lineOf(item);
            std::string expect = item.attribute("expect").value();
            if (expect != "fires" && expect != "silent")
                fail(item, "<example expect> must be fires or silent");
            example.expectFires = expect == "fires";
            example.messageContains = item.attribute("message-contains").value();
            example.evidenceContains = item.attribute("evidence-contains").value();
            example.causeContains = item.attribute("cause-contains").value();
            if (!example.expectFires &&
                (item.attribute("message-contains") || item.attribute("evidence-contains") ||
                 item.attribute("cause-contains")))
                fail(item, "a silent example has no message or evidence to match");
            // A whole <snapshot>, or the elements under it, which are wrapped in one.
            pugi::xml_document snapshot;
            auto first =
                item.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; });
            if (first && std::string_view(first.name()) == "snapshot") {
                snapshot.append_copy(first);
            } else {
                auto root = snapshot.append_child("snapshot");
                root.append_attribute("formatVersion") = kSnapshotFormatVersion;
                for (auto child : item.children())
                    if (child.type() == pugi::node_element)
                        root.append_copy(child);
            }
            std::ostringstream text;
            snapshot.save(text, "", pugi::format_raw | pugi::format_no_declaration);
            example.snapshotXml = text.str();
            compiled_.examples.push_back(std::move(example));
        }
    }

    pugi::xml_node node_;
    CompiledPack& pack_;
    PackProblems& problems_;
    Rule& rule_;
    CompiledRule& compiled_;
    std::string label_;
    std::set<std::string> names_;
};

} // namespace

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

void loadRule(pugi::xml_node node, CompiledPack& pack, PackProblems& problems, Rule& rule,
              CompiledRule& compiled) {
    compiled.pack = &pack;
    RuleReader(node, pack, problems, rule, compiled).read();
}

} // namespace relayaudit
