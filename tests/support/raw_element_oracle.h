#pragma once
// What removeRawElements (snapshot/raw_elements.h) may remove, read from the parsed document
// instead of the text: the reference the unit tests and the raw_elements fuzz target compare the
// filter with. Parse with kRawOracleFlags, so that comments and processing instructions are
// nodes and "text next to the element" is exactly a text sibling.
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace testsupport {

// parse_declaration too: without it pugixml skips an "<?xml ...?>" where it stands, so a <raw>
// holding one looked empty, hence removable, to the oracle while the filter (rightly) keeps it
// (found by fuzz_raw_elements: "<ver><raw><?xml?></raw></ver>"). With it, such a declaration
// inside an element does not parse, as the text is not a snapshot.
inline constexpr unsigned kRawOracleFlags =
    pugi::parse_default | pugi::parse_comments | pugi::parse_pi | pugi::parse_declaration;

// Removes every <raw> inside the root that holds text only and has no text sibling right before
// or after it, all chosen before any is removed; returns how many.
inline std::size_t removeRemovableRawElements(pugi::xml_document& document) {
    std::vector<pugi::xml_node> removable;
    for (auto found : document.select_nodes("//raw")) {
        auto node = found.node();
        if (node.parent().type() != pugi::node_element)
            continue;
        bool onlyText = true;
        for (auto child : node.children())
            onlyText = onlyText && child.type() == pugi::node_pcdata;
        if (onlyText && node.previous_sibling().type() != pugi::node_pcdata &&
            node.next_sibling().type() != pugi::node_pcdata)
            removable.push_back(node);
    }
    for (auto node : removable)
        node.parent().remove_child(node);
    return removable.size();
}

inline std::string serialised(const pugi::xml_document& document) {
    std::ostringstream out;
    document.save(out, "", pugi::format_raw);
    return out.str();
}

} // namespace testsupport
