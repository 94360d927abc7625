#pragma once
// Compiling one XPath expression of a rule pack, with the variables it may use, into a query or a
// readable problem. Internal to the engine.
#include <memory>
#include <pugixml.hpp>
#include <string>

namespace relayaudit {

// Null and `problem` set when the expression does not compile, e.g. "Unrecognized node test at
// character 14" or "Unknown variable $grants".
std::shared_ptr<pugi::xpath_query> compileXPath(const std::string& expression,
                                                pugi::xpath_variable_set* variables,
                                                std::string& problem);

// Sets a variable from the query's value on the context; the variable's type is the query's.
void bindVariable(pugi::xpath_variable_set& variables, const char* name,
                  const pugi::xpath_query& query, const pugi::xpath_node& context);

} // namespace relayaudit
