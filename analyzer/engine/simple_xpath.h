#pragma once
// The rule tests' common XPath shapes, evaluated as boolean() straight on pugixml's nodes, with
// each node's attributes read once for all the tests of an object.
//
// Why: at 10,000 virtual servers the early rule tests (early_evaluation.h) ran 80,000 times on the
// builder thread, the thread that paces the collection, at about 1,400 instructions each through
// pugixml's evaluate_boolean. Most of that is walking each node's attributes through pugixml's
// out-of-line accessors, once per test and attribute (a subset evaluator that walked the same way
// saved only 6%). Here the tests of one object share one walk per node: ObjectAttributes copies a
// node's attribute names and values (pointers) into arrays once, and each test scans them.
// Anything outside the subset is left to pugixml (parse() says nullopt), so the
// subset only has to be exact, not complete; tst_simple_xpath compares it with pugixml on random
// expressions and documents.
//
// The subset (XPath 1.0 semantics throughout):
//   Or         := And ('or' And)*
//   And        := Unary ('and' Unary)*
//   Unary      := 'not' '(' Or ')' | '(' Or ')' | Path [Operator Literal]
//   Path       := Step ('/' Step)* ['/' '@' Name] | '@' Name
//   Step       := Name ('[' Or ']')*          (the child axis, an element name)
//   Operator   := '=' | '!=' | '<' | '<=' | '>' | '>='
//   Literal    := a string in '' or "", or a number such as 8 or 0.5
// A comparison needs a path that ends in an attribute; it holds when one of the attributes the
// path selects compares true (strings for = and != with a string, numbers otherwise). A path on
// its own holds when it selects something. No variables, functions other than not(), absolute
// paths, other axes, wildcards, positions or arithmetic.
#include "thread_scope.h"

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

// The attributes of the nodes one object's tests read, each node's read once: names and values
// point into the document. The first kCachedNodes nodes asked for are kept (the object, its
// relay list and addresses, its permissions); past them a node's attributes are walked each
// time, so that a node with a hundred thousand children costs no more per child.
class ObjectAttributes {
public:
    // Forgets what was read (the arrays keep their capacity for the next object).
    void clear();
    struct Range {
        const char* const* names;
        const char* const* values;
        std::size_t size;
    };
    // nullopt past kCachedNodes.
    std::optional<Range> of(const pugi::xml_node& node);
    // The value of the node's first attribute of that name (null: none), from what was read;
    // nullopt past kCachedNodes.
    std::optional<const char*> valueOf(const pugi::xml_node& node, const char* name);

    // While a Scope of it lives, the tests and the simple attribute paths evaluated on this
    // thread read attributes through it (the early evaluation of one object sets it, so that the
    // findings it makes there read the object's attributes from the same arrays as its tests).
    // The document must not change meanwhile.
    using Scope = ThreadScope<ObjectAttributes>;
    static ObjectAttributes* active() { return Scope::active(); }

private:
    static constexpr std::size_t kCachedNodes = 32;
    struct Read {
        const pugi::xml_node_struct* node;
        std::size_t begin, end;
    };
    std::vector<Read> nodes_;
    std::vector<const char*> names_, values_;
};

class SimpleXPath {
public:
    // nullopt when the expression is outside the subset (or not XPath at all: pugixml says why).
    static std::optional<SimpleXPath> parse(std::string_view expression);
    // boolean() of the expression with `context` as the context node. `attributes`, when given,
    // keeps the attributes read, for the next tests of the same object.
    bool evaluate(const pugi::xml_node& context, ObjectAttributes* attributes = nullptr) const;

    enum class Kind { Or, And, Not, Path, Compare };
    enum class Operator { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual };
    struct Step {
        std::string element;              // a child element's name
        std::vector<std::size_t> filters; // predicates: expressions of this step's element
    };
    struct Expression {
        Kind kind = Kind::Path;
        std::vector<std::size_t> operands; // Or, And: two or more; Not: one
        std::vector<Step> steps;           // Path, Compare
        std::string attribute;             // Path, Compare: empty when the path ends in a step
        Operator op = Operator::Equal;     // Compare
        bool numeric = false;              // Compare: numbers (else strings, = and != only)
        std::string text;                  // Compare: the literal, when a string
        double number = 0;                 // Compare: the literal as a number
    };

private:
    friend class SimpleXPathParser;
    struct Evaluation {
        ObjectAttributes* attributes;
    };
    bool holds(std::size_t expression, const pugi::xml_node& node, const Evaluation& how) const;
    bool pathHolds(const Expression& expression, std::size_t step, const pugi::xml_node& node,
                   const Evaluation& how) const;
    bool attributeHolds(const Expression& expression, const pugi::xml_node& node,
                        const Evaluation& how) const;
    static bool compares(const Expression& expression, const char* value);

    std::vector<Expression> expressions_; // the root is the last
};

// XPath's number() of a text: optional spaces, an optional '-', digits with an optional decimal
// part, optional spaces; anything else is NaN (the rule pugixml follows too).
double xpathNumber(const char* text);

} // namespace relayaudit
