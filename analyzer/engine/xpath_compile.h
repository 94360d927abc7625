#pragma once
// Compiling one XPath expression of a rule pack, with the variables it may use, into a query or a
// readable problem. Internal to the engine.
#include "simple_xpath.h"

#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace relayaudit {

// An expression of the form "@name" or "child/@name", the most common value in messages, objects
// and evidence: read straight from the node, without pugixml's evaluation machinery (which costs
// a few microseconds a call; at 10,000 findings with six values each that was most of the time
// spent making findings). Same result as string() of the expression.
struct AttributePath {
    std::string child; // empty: the attribute of the context node itself
    std::string attribute;
};
std::optional<AttributePath> attributePathOf(std::string_view expression);

// A compiled query that evaluates the simple attribute paths and the simple tests directly.
class CompiledXPath : public pugi::xpath_query {
public:
    CompiledXPath(const std::string& expression, pugi::xpath_variable_set* variables)
        : pugi::xpath_query(expression.c_str(), variables), direct_(attributePathOf(expression)),
          simple_(*this ? SimpleXPath::parse(expression) : std::nullopt) {}
    std::string evaluateString(const pugi::xpath_node& context) const;
    // boolean() of the expression, as evaluate_boolean gives it: through SimpleXPath when the
    // expression is in its subset and the context is a node, not an attribute. `attributes`,
    // when given, keeps what was read for the next tests of the same object.
    bool evaluateBoolean(const pugi::xpath_node& context,
                         ObjectAttributes* attributes = nullptr) const {
        if (simple_ && !context.attribute())
            return simple_->evaluate(context.node(),
                                     attributes ? attributes : ObjectAttributes::active());
        return evaluate_boolean(context);
    }
    bool isSimple() const { return simple_.has_value(); }
    // The same value without a copy, for the simple attribute paths (the text lives in the
    // document); nullopt for any other expression.
    std::optional<std::string_view> directString(const pugi::xpath_node& context) const;

private:
    std::optional<AttributePath> direct_;
    std::optional<SimpleXPath> simple_;
};

using QueryPointer = std::shared_ptr<CompiledXPath>;

// Null and `problem` set when the expression does not compile, e.g. "Unrecognized node test at
// character 14" or "Unknown variable $grants".
QueryPointer compileXPath(const std::string& expression, pugi::xpath_variable_set* variables,
                          std::string& problem);
// The same, always compiled anew: compileXPath shares one compiled query per expression
// among all expressions without variables.
QueryPointer compileWithVariables(const std::string& expression,
                                  pugi::xpath_variable_set* variables, std::string& problem);

// Sets a variable from the query's value on the context; the variable's type is the query's.
void bindVariable(pugi::xpath_variable_set& variables, const char* name,
                  const pugi::xpath_query& query, const pugi::xpath_node& context);

} // namespace relayaudit
