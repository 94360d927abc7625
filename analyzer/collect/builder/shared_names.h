#pragma once
// Attribute names shared within one snapshot document instead of a copy per attribute.
//
// pugixml copies every attribute name it is given into the document: at 10,000 virtual servers
// the snapshot's 263,000 attributes held 6 MB of copies of a few dozen names, a tenth of the
// audit's peak memory. A copy of an attribute whose name pugixml parsed in place shares that name
// (pugixml's append_copy within one document; measured: 24 bytes less per attribute, and a name
// no longer allocated). SharedAttributeNames keeps one such prototype per name, parsed into a
// holder element of the document, and build::set()/setNumber() copy it while a Scope of it is
// active on their thread. Without a Scope they append attributes as before, so other documents
// (the tests', the IMS servers') are built the usual way.
#include "thread_scope.h"

#include <pugixml.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace relayaudit {

class SharedAttributeNames {
public:
    // `holder`: an element of the document the names are for. It holds the prototypes; its owner
    // removes it once the document is complete (the names stay in the document's memory).
    explicit SharedAttributeNames(pugi::xml_node holder) : holder_(holder) {}

    // A new last attribute of `node` named `name`, its value empty.
    pugi::xml_attribute append(pugi::xml_node node, const char* name);

    // An element of the holder named `name` with empty attributes named `names`, in order, to
    // be copied whole (element_builder.h); null when XML cannot parse one of the names. The
    // names are string literals: found by their addresses, without comparing their text.
    pugi::xml_node elementPrototype(const char* name, const std::vector<const char*>& names);

    // While one lives, set() and setNumber() on this thread go through its names.
    using Scope = ThreadScope<SharedAttributeNames>;
    static SharedAttributeNames* active() { return Scope::active(); }

private:
    pugi::xml_attribute prototypeOf(const char* name);

    pugi::xml_node holder_;
    // By the name's address (the builders pass literals), checked by content on each use. Open
    // addressing, as std::unordered_map's lookup cost more than the copy saves; a name whose
    // address now holds other text gets a new prototype in its slot.
    struct Slot {
        const char* name = nullptr; // null: free
        pugi::xml_attribute prototype;
        std::string text; // the name's text when it was parsed (it may have failed to)
    };
    Slot& slotOf(const char* name);
    std::vector<Slot> slots_ = std::vector<Slot>(64); // a power of two, at most half used
    std::size_t used_ = 0;

    // By the addresses of the element's name and its attribute names (a few dozen shapes).
    struct AddressesHash {
        std::size_t operator()(const std::vector<const char*>& addresses) const;
    };
    std::unordered_map<std::vector<const char*>, pugi::xml_node, AddressesHash> prototypes_;
    std::vector<const char*> key_; // reused for each lookup
};

} // namespace relayaudit
