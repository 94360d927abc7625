#include "message_template.h"

#include "xpath_compile.h"

#include <string_view>

namespace relayaudit {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string collapsed(std::string_view text) {
    std::string out;
    bool inSpace = false;
    for (char c : text) {
        if (isSpace(c)) {
            if (!inSpace)
                out.push_back(' ');
            inSpace = true;
            continue;
        }
        inSpace = false;
        out.push_back(c);
    }
    return out;
}

bool looksLikeOldPlaceholder(std::string_view text) {
    auto open = text.find('{');
    return open != std::string_view::npos && text.find('}', open) != std::string_view::npos;
}

class Compiler {
public:
    Compiler(pugi::xpath_variable_set* variables, const SourceLines& lines,
             std::vector<MarkupProblem>& problems, MessageTemplate& result)
        : variables_(variables), lines_(lines), problems_(problems), result_(result) {}

    std::vector<MessagePart> children(pugi::xml_node parent, bool elseAllowed,
                                      std::vector<MessagePart>* otherwise) {
        std::vector<MessagePart> parts;
        bool seenElse = false;
        for (auto node : parent.children()) {
            unsigned line = lines_.lineOf(node);
            if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
                if (seenElse && !collapsed(node.value()).empty() && collapsed(node.value()) != " ")
                    fail(line, "text after <else>; <else> must be the last part of its <if>");
                if (looksLikeOldPlaceholder(node.value()))
                    fail(line, "'{…}' placeholders are gone: write <value of=\"xpath\"/> "
                               "(docs/writing-rules.md)");
                MessagePart text;
                text.text = collapsed(node.value());
                parts.push_back(std::move(text));
                continue;
            }
            if (node.type() != pugi::node_element)
                continue;
            std::string_view name = node.name();
            if (seenElse)
                fail(line, "<else> must be the last part of its <if>");
            if (name == "value") {
                MessagePart part;
                part.kind = MessagePart::Kind::Value;
                part.line = line;
                part.query = query(node, "of");
                part.expression = node.attribute("of").value();
                if (node.first_child())
                    fail(line, "<value> must be empty: the value is its of=\"xpath\" attribute");
                parts.push_back(std::move(part));
            } else if (name == "if") {
                MessagePart part;
                part.kind = MessagePart::Kind::If;
                part.line = line;
                part.query = query(node, "test");
                part.expression = node.attribute("test").value();
                part.ifIndex = result_.ifs.size();
                result_.ifs.push_back({line, node.attribute("test").value()});
                part.then = children(node, true, &part.otherwise);
                parts.push_back(std::move(part));
            } else if (name == "else" && elseAllowed) {
                seenElse = true;
                *otherwise = children(node, false, nullptr);
            } else {
                fail(line, "unexpected <" + std::string(name) +
                               "> in a message; use text, <value of>, <if test> and <else>");
            }
        }
        return parts;
    }

private:
    QueryPointer query(pugi::xml_node node, const char* attribute) {
        unsigned line = lines_.lineOf(node);
        std::string expression = node.attribute(attribute).value();
        // Built by appending: GCC 12 at -O3 warns (-Wrestrict, a false positive) on the
        // "<" + std::string(...) chains these messages were.
        std::string element = std::string("<").append(node.name());
        if (expression.empty()) {
            fail(line, element.append("> needs the attribute ").append(attribute));
            return nullptr;
        }
        std::string problem;
        auto compiled = compileXPath(expression, variables_, problem);
        if (!compiled)
            fail(line, element.append(" ")
                           .append(attribute)
                           .append("=\"")
                           .append(expression)
                           .append("\"> is not valid XPath: ")
                           .append(problem));
        return compiled;
    }
    void fail(unsigned line, std::string message) {
        problems_.push_back({line, std::move(message)});
    }

    pugi::xpath_variable_set* variables_;
    const SourceLines& lines_;
    std::vector<MarkupProblem>& problems_;
    MessageTemplate& result_;
};

// Collapses literal white space across parts: "a <if>b </if> c" never gives two spaces.
class MessageWriter {
public:
    MessageWriter() { out_.reserve(256); } // a message is a sentence or two: one allocation
    // Text arrives collapsed (single spaces, collapsed() at compile time), so only its ends can
    // meet a space of the part before or after: the words between go in as one run, with the
    // single spaces they have (word by word this was a third of making a finding).
    void literal(std::string_view text) {
        if (text.empty())
            return;
        const bool leadingSpace = text.front() == ' ';
        const bool trailingSpace = text.size() > 1 && text.back() == ' ';
        const auto words =
            text.substr(leadingSpace, text.size() - leadingSpace - (trailingSpace ? 1 : 0));
        if (leadingSpace)
            pendingSpace_ = !out_.empty();
        if (!words.empty()) {
            flush();
            out_.append(words);
        }
        if (trailingSpace)
            pendingSpace_ = !out_.empty();
    }
    void value(std::string_view text) {
        if (text.empty())
            return;
        flush();
        out_.append(text);
    }
    std::string take() { return std::move(out_); } // a pending trailing space is dropped

private:
    void flush() {
        if (pendingSpace_)
            out_.push_back(' ');
        pendingSpace_ = false;
    }
    std::string out_;
    bool pendingSpace_ = false;
};

void render(const std::vector<MessagePart>& parts, const pugi::xpath_node& context,
            MessageWriter& writer, std::vector<unsigned>* ifOutcomes) {
    for (const auto& part : parts) {
        switch (part.kind) {
        case MessagePart::Kind::Text:
            writer.literal(part.text);
            break;
        case MessagePart::Kind::Value:
            if (auto direct = part.query->directString(context))
                writer.value(*direct);
            else
                writer.value(part.query->evaluateString(context));
            break;
        case MessagePart::Kind::If: {
            bool holds = part.query->evaluateBoolean(context);
            if (ifOutcomes)
                (*ifOutcomes)[part.ifIndex] |= holds ? 1u : 2u;
            render(holds ? part.then : part.otherwise, context, writer, ifOutcomes);
            break;
        }
        }
    }
}

// A cause's <value of> lists every node of a node-set ("corp.example, child.corp.example"): a
// cause names all that must change, where a message's value names the first.
std::string joinedValue(const CompiledXPath& query, const pugi::xpath_node& context) {
    if (query.return_type() != pugi::xpath_type_node_set)
        return query.evaluateString(context);
    auto nodes = query.evaluate_node_set(context);
    nodes.sort();
    std::string out;
    for (const auto& node : nodes) {
        // An attribute's value, or an element's own text (snapshot values live in attributes).
        std::string text = node.attribute() ? node.attribute().value() : node.node().child_value();
        out += (out.empty() ? "" : ", ") + text;
    }
    return out;
}

} // namespace

MessageTemplate compileMessage(pugi::xml_node message, pugi::xpath_variable_set* variables,
                               const SourceLines& lines, std::vector<MarkupProblem>& problems) {
    MessageTemplate result;
    Compiler compiler(variables, lines, problems, result);
    result.parts = compiler.children(message, false, nullptr);
    return result;
}

std::string renderMessage(const MessageTemplate& message, const pugi::xpath_node& context,
                          std::vector<unsigned>* ifOutcomes) {
    if (ifOutcomes)
        ifOutcomes->resize(message.ifs.size(), 0);
    MessageWriter writer;
    render(message.parts, context, writer, ifOutcomes);
    return writer.take();
}

std::string renderCause(const MessageTemplate& cause, const pugi::xpath_node& context) {
    MessageWriter writer;
    for (const auto& part : cause.parts) {
        if (part.kind == MessagePart::Kind::Text)
            writer.literal(part.text);
        else if (part.kind == MessagePart::Kind::Value)
            writer.value(joinedValue(*part.query, context));
    }
    return writer.take();
}

} // namespace relayaudit
