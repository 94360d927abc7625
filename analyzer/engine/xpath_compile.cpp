#include "xpath_compile.h"

namespace relayaudit {

namespace {
std::string describe(const pugi::xpath_parse_result& result, const std::string& expression) {
    std::string problem =
        std::string(result.description()) + " at character " + std::to_string(result.offset);
    // pugixml says "Unknown variable: variable set does not contain the given name"; name it.
    if (result.offset >= 0 && std::size_t(result.offset) < expression.size() &&
        expression[std::size_t(result.offset)] == '$') {
        auto end = expression.find_first_of(" )]=!<>,|+*/", std::size_t(result.offset) + 1);
        problem += " (" + expression.substr(std::size_t(result.offset), end - result.offset) + ")";
    }
    return problem;
}
} // namespace

std::shared_ptr<pugi::xpath_query> compileXPath(const std::string& expression,
                                                pugi::xpath_variable_set* variables,
                                                std::string& problem) {
    // pugixml reports syntax errors through an exception or the query's result, depending on how
    // it was built; both become a message here.
    try {
        auto query = std::make_shared<pugi::xpath_query>(expression.c_str(), variables);
        if (!query->result()) {
            problem = describe(query->result(), expression);
            return nullptr;
        }
        return query;
    } catch (const pugi::xpath_exception& error) {
        problem = describe(error.result(), expression);
        return nullptr;
    }
}

void bindVariable(pugi::xpath_variable_set& variables, const char* name,
                  const pugi::xpath_query& query, const pugi::xpath_node& context) {
    switch (query.return_type()) {
    case pugi::xpath_type_node_set:
        variables.set(name, query.evaluate_node_set(context));
        break;
    case pugi::xpath_type_number:
        variables.set(name, query.evaluate_number(context));
        break;
    case pugi::xpath_type_boolean:
        variables.set(name, query.evaluate_boolean(context));
        break;
    default:
        variables.set(name, query.evaluate_string(context).c_str());
        break;
    }
}

} // namespace relayaudit
