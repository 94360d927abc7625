#pragma once
// A rule's message as markup: text, <value of="xpath"/> and <if test="xpath">…<else>…</else></if>
// (nesting allowed), compiled once and rendered per offending node.
#include "source_lines.h"
#include "xpath_compile.h"

#include <memory>
#include <pugixml.hpp>
#include <string>
#include <vector>

namespace relayaudit {

struct MessagePart {
    enum class Kind { Text, Value, If };
    Kind kind = Kind::Text;
    std::string text;       // Text: white space already collapsed to single spaces
    QueryPointer query;     // Value: of; If: test
    std::string expression; // the query as written
    std::vector<MessagePart> then;
    std::vector<MessagePart> otherwise;
    std::size_t ifIndex = 0; // If: its number in the message, for coverage traces
    unsigned line = 0;
};

struct IfSite {
    unsigned line = 0;
    std::string test;
};

struct MessageTemplate {
    std::vector<MessagePart> parts;
    std::vector<IfSite> ifs; // every <if>, by ifIndex
};

struct MarkupProblem {
    unsigned line = 0;
    std::string message;
};

// Compiles the children of <message>; problems name the line of the offending element.
MessageTemplate compileMessage(pugi::xml_node message, pugi::xpath_variable_set* variables,
                               const SourceLines& lines, std::vector<MarkupProblem>& problems);

// Renders on the node. Literal white space is collapsed across parts and trimmed at both ends;
// values are kept as they are. ifOutcomes (may be null) gets bit 1 / bit 2 for each <if> seen
// true / false.
std::string renderMessage(const MessageTemplate& message, const pugi::xpath_node& context,
                          std::vector<unsigned>* ifOutcomes);

// Renders a rule's <cause> (text and <value of> only) on the node; a <value of> a node-set lists
// every node's string value, joined by ", ", in document order.
std::string renderCause(const MessageTemplate& cause, const pugi::xpath_node& context);

} // namespace relayaudit
