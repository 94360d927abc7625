// SimpleXPath (engine/simple_xpath.h), the rule tests' subset evaluated directly: any text in,
// the first line an expression, the rest a document.
//  - An expression SimpleXPath takes is one pugixml compiles too.
//  - On every element of the document (and the document itself), SimpleXPath's boolean, with
//    and without the attributes kept across the expressions of an object, is pugixml's.
#include "fuzz_check.h"
#include "simple_xpath.h"

#include <pugixml.hpp>
#include <string>
#include <vector>

using namespace relayaudit;

namespace {

void elementsOf(const pugi::xml_node& node, std::vector<pugi::xml_node>& out) {
    for (auto child = node.first_child(); child; child = child.next_sibling())
        if (child.type() == pugi::node_element) {
            out.push_back(child);
            elementsOf(child, out);
        }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(fuzzsupport::textOf(data, size));
    const auto newline = text.find('\n');
    if (newline == std::string::npos)
        return 0;
    const std::string expression = text.substr(0, newline);
    auto simple = SimpleXPath::parse(expression);
    if (!simple)
        return 0;
    pugi::xpath_query query(expression.c_str());
    FUZZ_CHECK(bool(query), "an expression SimpleXPath takes compiles in pugixml");

    pugi::xml_document document;
    const std::string body = text.substr(newline + 1);
    if (!document.load_buffer(body.data(), body.size(),
                              pugi::parse_default | pugi::parse_pi | pugi::parse_comments))
        return 0;
    std::vector<pugi::xml_node> contexts = {document};
    elementsOf(document, contexts);
    ObjectAttributes kept;
    for (const auto& context : contexts) {
        const bool expected = query.evaluate_boolean(pugi::xpath_node(context));
        FUZZ_CHECK(simple->evaluate(context) == expected, "SimpleXPath gives pugixml's answer");
        FUZZ_CHECK(simple->evaluate(context, &kept) == expected,
                   "SimpleXPath gives pugixml's answer with the attributes kept");
    }
    return 0;
}
