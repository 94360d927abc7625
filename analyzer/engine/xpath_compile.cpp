#include "xpath_compile.h"

#include <mutex>
#include <unordered_map>

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

namespace {
bool isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}
// An XML name without a prefix; a leading digit, '-' or '.' is not a name start.
bool isPlainName(std::string_view text) {
    if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') ||
                          (text[0] >= 'A' && text[0] <= 'Z') || text[0] == '_'))
        return false;
    for (char c : text)
        if (!isNameChar(c))
            return false;
    return true;
}
} // namespace

std::optional<AttributePath> attributePathOf(std::string_view expression) {
    auto at = expression.find('@');
    if (at == std::string_view::npos)
        return std::nullopt;
    std::string_view child = expression.substr(0, at);
    std::string_view attribute = expression.substr(at + 1);
    // XPath's attribute axis never holds namespace declarations: pugixml skips "xmlns".
    if (!isPlainName(attribute) || attribute == "xmlns")
        return std::nullopt;
    if (child.empty())
        return AttributePath{"", std::string(attribute)};
    if (child.back() != '/' || !isPlainName(child.substr(0, child.size() - 1)))
        return std::nullopt;
    return AttributePath{std::string(child.substr(0, child.size() - 1)), std::string(attribute)};
}

std::optional<std::string_view> CompiledXPath::directString(const pugi::xpath_node& context) const {
    if (!direct_)
        return std::nullopt;
    // An attribute node has no attributes or children (xpath_node::node() would be its parent).
    if (context.attribute())
        return std::string_view();
    pugi::xml_node node = context.node();
    const char* name = direct_->attribute.c_str();
    // The first attribute of the name, read through the arrays of the object being evaluated
    // early when there are some (ObjectAttributes::Scope).
    ObjectAttributes* read = ObjectAttributes::active();
    auto valueOf = [read, name](const pugi::xml_node& of) -> const char* {
        if (read)
            if (auto value = read->valueOf(of, name))
                return *value;
        auto attribute = of.attribute(name);
        return attribute ? attribute.value() : nullptr;
    };
    if (direct_->child.empty()) {
        const char* value = valueOf(node);
        return std::string_view(value ? value : "");
    }
    // string() of a node-set is its first node in document order: the first such child that has
    // the attribute.
    for (auto child : node.children(direct_->child.c_str()))
        if (const char* value = valueOf(child))
            return std::string_view(value);
    return std::string_view();
}

std::string CompiledXPath::evaluateString(const pugi::xpath_node& context) const {
    if (auto value = directString(context))
        return std::string(*value);
    return evaluate_string(context);
}

namespace {

// A query without variables does not depend on the variable set it was compiled with, and the
// packs use many expressions again and again ("@dn", "@authFlags", "relayList/@summary"): each
// compiled query holds at least one 4 KB block of pugixml's, so one compiled copy per expression
// is shared. Weak pointers: the cache never keeps a catalogue's queries alive.
std::mutex sharedQueriesLock;
std::unordered_map<std::string, std::weak_ptr<CompiledXPath>> sharedQueries;
std::size_t sharedQueriesAdded = 0;

} // namespace

QueryPointer compileXPath(const std::string& expression, pugi::xpath_variable_set* variables,
                          std::string& problem) {
    // "$" anywhere, even inside a string literal, counts as a variable: the cache only has to
    // be right, not complete.
    if (expression.find('$') != std::string::npos)
        return compileWithVariables(expression, variables, problem);
    std::lock_guard lock(sharedQueriesLock);
    auto& shared = sharedQueries[expression];
    if (auto query = shared.lock())
        return query;
    auto query = compileWithVariables(expression, nullptr, problem);
    shared = query;
    // Entries of catalogues already gone are dropped now and then, so a process that loads
    // many packs (the tests) keeps one entry per expression in use, not one per expression seen.
    if (++sharedQueriesAdded % 256 == 0)
        std::erase_if(sharedQueries, [](const auto& entry) { return entry.second.expired(); });
    return query;
}

QueryPointer compileWithVariables(const std::string& expression,
                                  pugi::xpath_variable_set* variables, std::string& problem) {
    // pugixml reports syntax errors through an exception or the query's result, depending on how
    // it was built; both become a message here.
    try {
        auto query = std::make_shared<CompiledXPath>(expression, variables);
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
