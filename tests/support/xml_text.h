#pragma once
// A node as raw XML text, for tests that compare documents built two ways.
#include <pugixml.hpp>
#include <sstream>
#include <string>

namespace testsupport {

inline std::string xmlTextOf(const pugi::xml_node& node) {
    std::ostringstream out;
    node.print(out, "", pugi::format_raw);
    return out.str();
}

} // namespace testsupport
