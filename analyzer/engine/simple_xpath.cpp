#include "simple_xpath.h"

#include <cstdlib>
#include <cstring>
#include <limits>

namespace relayaudit {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isNameChar(char c) {
    return isNameStart(c) || isDigit(c) || c == '-' || c == '.';
}

// pugixml leaves attributes named xmlns or xmlns:... off the attribute axis; such names in an
// expression are left to it.
bool isNamespaceDeclaration(std::string_view name) {
    return name.substr(0, 5) == "xmlns";
}

// The first byte inline: most names of a node differ there, and the call is what costs.
bool sameName(const char* candidate, const std::string& name) {
    return candidate[0] == name[0] && std::strcmp(candidate, name.c_str()) == 0;
}

} // namespace

double xpathNumber(const char* text) {
    const char* p = text;
    while (isSpace(*p))
        ++p;
    const char* start = p;
    const bool negative = *p == '-';
    if (negative)
        ++p;
    if (!isDigit(*p) && !(*p == '.' && isDigit(p[1])))
        return std::numeric_limits<double>::quiet_NaN();
    const char* digits = p;
    while (isDigit(*p))
        ++p;
    const bool whole = *p != '.';
    if (*p == '.') {
        ++p;
        while (isDigit(*p))
            ++p;
    }
    const char* end = p;
    while (isSpace(*p))
        ++p;
    if (*p != '\0')
        return std::numeric_limits<double>::quiet_NaN();
    // A whole number of up to 15 digits is exact in a double: strtod would give the same value.
    if (whole && end - digits <= 15) {
        double value = 0;
        for (const char* d = digits; d < end; ++d)
            value = value * 10 + (*d - '0');
        return negative ? -value : value;
    }
    return std::strtod(start, nullptr);
}

void ObjectAttributes::clear() {
    nodes_.clear();
    names_.clear();
    values_.clear();
}

std::optional<ObjectAttributes::Range> ObjectAttributes::of(const pugi::xml_node& node) {
    const auto* key = node.internal_object();
    auto range = [this](const Read& read) {
        return Range{names_.data() + read.begin, values_.data() + read.begin,
                     read.end - read.begin};
    };
    for (const Read& read : nodes_)
        if (read.node == key)
            return range(read);
    if (nodes_.size() >= kCachedNodes)
        return std::nullopt;
    const std::size_t begin = names_.size();
    for (auto attribute = node.first_attribute(); attribute;
         attribute = attribute.next_attribute()) {
        names_.push_back(attribute.name());
        values_.push_back(attribute.value());
    }
    nodes_.push_back({key, begin, names_.size()});
    return range(nodes_.back());
}

std::optional<const char*> ObjectAttributes::valueOf(const pugi::xml_node& node, const char* name) {
    auto read = of(node);
    if (!read)
        return std::nullopt;
    for (std::size_t i = 0; i < read->size; ++i)
        if (read->names[i][0] == name[0] && std::strcmp(read->names[i], name) == 0)
            return read->values[i];
    return static_cast<const char*>(nullptr);
}

// Recursive descent over the subset's grammar (simple_xpath.h). Every failure means "outside the
// subset": the expression then goes to pugixml, which evaluates it or has already said what is
// wrong with it.
class SimpleXPathParser {
public:
    explicit SimpleXPathParser(std::string_view text) : text_(text) {}

    std::optional<SimpleXPath> parse() {
        auto root = orExpression();
        skipSpace();
        // An expression is added after its operands, so the root is the last one.
        if (!root || at_ != text_.size() || *root != result_.expressions_.size() - 1)
            return std::nullopt;
        return std::move(result_);
    }

private:
    using Expression = SimpleXPath::Expression;
    using Kind = SimpleXPath::Kind;
    using Operator = SimpleXPath::Operator;

    void skipSpace() {
        while (at_ < text_.size() && isSpace(text_[at_]))
            ++at_;
    }
    bool take(std::string_view token) {
        skipSpace();
        if (text_.substr(at_, token.size()) != token)
            return false;
        at_ += token.size();
        return true;
    }
    char peek() {
        skipSpace();
        return at_ < text_.size() ? text_[at_] : '\0';
    }
    std::optional<std::string> name() {
        skipSpace();
        if (at_ >= text_.size() || !isNameStart(text_[at_]))
            return std::nullopt;
        const std::size_t start = at_;
        while (at_ < text_.size() && isNameChar(text_[at_]))
            ++at_;
        // A prefix (a:b), an axis (a::b), a function or a node type (a(...)) is outside.
        const std::size_t after = at_;
        skipSpace();
        if (at_ < text_.size() && (text_[at_] == ':' || text_[at_] == '('))
            return std::nullopt;
        at_ = after;
        std::string found(text_.substr(start, after - start));
        // Names that XPath also reads as operators, depending on what precedes them: left to
        // pugixml rather than matched against its reading.
        if (found == "and" || found == "or" || found == "not" || found == "div" || found == "mod")
            return std::nullopt;
        return found;
    }
    // "and", "or" or "not" as a whole name, not the start of a longer one.
    bool takeWord(std::string_view word) {
        skipSpace();
        if (text_.substr(at_, word.size()) != word)
            return false;
        const std::size_t after = at_ + word.size();
        if (after < text_.size() && isNameChar(text_[after]))
            return false;
        at_ = after;
        return true;
    }

    std::size_t add(Expression expression) {
        result_.expressions_.push_back(std::move(expression));
        return result_.expressions_.size() - 1;
    }

    std::optional<std::size_t> joined(Kind kind, std::string_view word,
                                      std::optional<std::size_t> (SimpleXPathParser::*operand)()) {
        auto first = (this->*operand)();
        if (!first)
            return std::nullopt;
        Expression join;
        join.kind = kind;
        join.operands.push_back(*first);
        while (takeWord(word)) {
            auto next = (this->*operand)();
            if (!next)
                return std::nullopt;
            join.operands.push_back(*next);
        }
        if (join.operands.size() == 1)
            return first;
        return add(std::move(join));
    }
    std::optional<std::size_t> orExpression() {
        if (++depth_ > kMaxDepth)
            return std::nullopt;
        auto result = joined(Kind::Or, "or", &SimpleXPathParser::andExpression);
        --depth_;
        return result;
    }
    std::optional<std::size_t> andExpression() {
        return joined(Kind::And, "and", &SimpleXPathParser::unary);
    }

    std::optional<std::size_t> unary() {
        skipSpace();
        const std::size_t start = at_;
        if (takeWord("not") && take("(")) {
            auto operand = orExpression();
            if (!operand || !take(")"))
                return std::nullopt;
            Expression negation;
            negation.kind = Kind::Not;
            negation.operands.push_back(*operand);
            return add(std::move(negation));
        }
        at_ = start;
        if (take("(")) {
            auto inner = orExpression();
            if (!inner || !take(")"))
                return std::nullopt;
            // "(a)/b", "(a)[1]" or "(a) = 'x'" are outside.
            const char next = peek();
            if (next == '/' || next == '[' || next == '=' || next == '!' || next == '<' ||
                next == '>')
                return std::nullopt;
            return inner;
        }
        return pathOrComparison();
    }

    std::optional<std::size_t> pathOrComparison() {
        Expression path;
        path.kind = Kind::Path;
        for (;;) {
            if (take("@")) {
                auto attribute = name();
                if (!attribute || isNamespaceDeclaration(*attribute))
                    return std::nullopt;
                path.attribute = std::move(*attribute);
                break;
            }
            auto element = name();
            if (!element)
                return std::nullopt;
            SimpleXPath::Step step;
            step.element = std::move(*element);
            while (take("[")) {
                auto filter = orExpression();
                if (!filter || !take("]"))
                    return std::nullopt;
                step.filters.push_back(*filter);
            }
            path.steps.push_back(std::move(step));
            if (peek() == '/' && text_.substr(at_, 2) != "//") {
                ++at_;
                continue;
            }
            break;
        }
        auto op = comparison();
        if (!op)
            return add(std::move(path));
        if (path.attribute.empty())
            return std::nullopt; // an element's string value (its text) is outside
        path.kind = Kind::Compare;
        path.op = *op;
        if (!literal(path))
            return std::nullopt;
        return add(std::move(path));
    }

    std::optional<Operator> comparison() {
        if (take("!="))
            return Operator::NotEqual;
        if (take("<="))
            return Operator::LessOrEqual;
        if (take(">="))
            return Operator::GreaterOrEqual;
        if (take("="))
            return Operator::Equal;
        if (take("<"))
            return Operator::Less;
        if (take(">"))
            return Operator::Greater;
        return std::nullopt;
    }

    bool literal(Expression& comparison) {
        const char quote = peek();
        if (quote == '\'' || quote == '"') {
            const auto end = text_.find(quote, at_ + 1);
            if (end == std::string_view::npos)
                return false;
            comparison.text = std::string(text_.substr(at_ + 1, end - at_ - 1));
            at_ = end + 1;
            // = and != compare strings; <, <=, > and >= compare numbers, the literal's too.
            const bool relational =
                comparison.op != Operator::Equal && comparison.op != Operator::NotEqual;
            comparison.numeric = relational;
            if (relational)
                comparison.number = xpathNumber(comparison.text.c_str());
            return true;
        }
        const std::size_t start = at_;
        while (at_ < text_.size() && isDigit(text_[at_]))
            ++at_;
        if (at_ < text_.size() && text_[at_] == '.') {
            ++at_;
            while (at_ < text_.size() && isDigit(text_[at_]))
                ++at_;
        }
        const std::string number(text_.substr(start, at_ - start));
        if (number.empty() || number == ".")
            return false;
        comparison.numeric = true;
        comparison.number = xpathNumber(number.c_str());
        return true;
    }

    // Nesting is bounded so that a hostile pack cannot run the parser off the stack.
    static constexpr int kMaxDepth = 64;
    std::string_view text_;
    std::size_t at_ = 0;
    int depth_ = 0;
    SimpleXPath result_;
};

std::optional<SimpleXPath> SimpleXPath::parse(std::string_view expression) {
    if (expression.find('\0') != std::string_view::npos)
        return std::nullopt;
    return SimpleXPathParser(expression).parse();
}

bool SimpleXPath::evaluate(const pugi::xml_node& context, ObjectAttributes* attributes) const {
    return holds(expressions_.size() - 1, context, Evaluation{attributes});
}

bool SimpleXPath::holds(std::size_t index, const pugi::xml_node& node,
                        const Evaluation& how) const {
    const Expression& expression = expressions_[index];
    switch (expression.kind) {
    case Kind::Or:
        for (std::size_t operand : expression.operands)
            if (holds(operand, node, how))
                return true;
        return false;
    case Kind::And:
        for (std::size_t operand : expression.operands)
            if (!holds(operand, node, how))
                return false;
        return true;
    case Kind::Not:
        return !holds(expression.operands.front(), node, how);
    case Kind::Path:
    case Kind::Compare:
        return pathHolds(expression, 0, node, how);
    }
    return false;
}

bool SimpleXPath::pathHolds(const Expression& expression, std::size_t step,
                            const pugi::xml_node& node, const Evaluation& how) const {
    if (step == expression.steps.size())
        return expression.attribute.empty() || attributeHolds(expression, node, how);
    const Step& wanted = expression.steps[step];
    for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
        // The child axis' name test selects elements only (not a processing instruction of
        // that name).
        if (child.type() != pugi::node_element || !sameName(child.name(), wanted.element))
            continue;
        bool passes = true;
        for (std::size_t filter : wanted.filters)
            if (!holds(filter, child, how)) {
                passes = false;
                break;
            }
        if (passes && pathHolds(expression, step + 1, child, how))
            return true;
    }
    return false;
}

// The first attribute of the name only, as pugixml reads the attribute axis with a name test: XML
// forbids the same name twice on an element, and a snapshot read from a file that repeats one
// gets the answers pugixml would give (tst_simple_xpath checks both).
bool SimpleXPath::attributeHolds(const Expression& expression, const pugi::xml_node& node,
                                 const Evaluation& how) const {
    const char* value = nullptr;
    if (auto read = how.attributes ? how.attributes->of(node) : std::nullopt) {
        for (std::size_t i = 0; i < read->size && !value; ++i)
            if (sameName(read->names[i], expression.attribute))
                value = read->values[i];
    } else {
        for (auto attribute = node.first_attribute(); attribute && !value;
             attribute = attribute.next_attribute())
            if (sameName(attribute.name(), expression.attribute))
                value = attribute.value();
    }
    if (!value)
        return false;
    return expression.kind == Kind::Path || compares(expression, value);
}

bool SimpleXPath::compares(const Expression& expression, const char* value) {
    if (!expression.numeric) {
        const bool equal = std::strcmp(value, expression.text.c_str()) == 0;
        return equal == (expression.op == Operator::Equal);
    }
    const double number = xpathNumber(value);
    const double literal = expression.number;
    switch (expression.op) {
    case Operator::Equal:
        return number == literal;
    case Operator::NotEqual:
        return number != literal;
    case Operator::Less:
        return number < literal;
    case Operator::LessOrEqual:
        return number <= literal;
    case Operator::Greater:
        return number > literal;
    case Operator::GreaterOrEqual:
        return number >= literal;
    }
    return false;
}

} // namespace relayaudit
