#pragma once
// A document built the way the snapshot builder builds one: `build` fills <snapshot> while
// SharedAttributeNames is active with its holder inside, and the holder of prototypes is
// removed afterwards (the names stay in the document's memory). For the suites that compare it
// with the same document built without shared names.
#include "builder/shared_names.h"
#include "xml_text.h"

#include <iterator>
#include <pugixml.hpp>
#include <string>

namespace testsupport {

struct SharedNamesDocument {
    std::string text;              // <snapshot> as raw XML text
    std::ptrdiff_t prototypes = 0; // elements the holder held: fragments parsed for names/shapes
};

template <typename Build> SharedNamesDocument buildWithSharedNames(Build&& build) {
    pugi::xml_document document;
    auto root = document.append_child("snapshot");
    auto holder = root.append_child("pending");
    relayaudit::SharedAttributeNames names(holder);
    {
        relayaudit::SharedAttributeNames::Scope scope(names);
        build(root);
    }
    SharedNamesDocument built;
    built.prototypes = std::distance(holder.begin(), holder.end());
    root.remove_child(holder);
    built.text = xmlTextOf(root);
    return built;
}

} // namespace testsupport
