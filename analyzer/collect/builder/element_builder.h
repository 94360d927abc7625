#pragma once
// Elements appended whole: their attributes collected first, then one copy of a prototype element
// of the same name and attribute names, then a value per attribute.
//
// Attribute by attribute (build::set), a virtual server cost about 500 instructions per attribute
// on the builder thread, the thread that paces a live collection (issue 10): pugixml's
// append_copy for the shared name, the lookup of that name, set_value. Copying a prototype makes
// all the attributes inside pugixml in one call, their names shared as before; only the values
// are set one by one. The document is the same either way (tst_element_builder compares them).
#include <cstddef>
#include <cstdint>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit::build {

// A name the builders write: a string literal, so that its address stands for its text for as
// long as the program runs (element prototypes are found by the addresses of their names).
struct LiteralName {
    consteval LiteralName(const char* literal) : text(literal) {}
    const char* text;
};

// The attributes of one element, in order. Values are copied in, made XML-safe as build::set()
// makes them (xmlSafeText). One list is reused for element after element: clear() keeps its
// buffers.
class AttributeList {
public:
    void clear();
    void set(LiteralName name, std::string_view value);
    void setBool(LiteralName name, bool value) { setSafe(name, value ? "true" : "false"); }
    void setInteger(LiteralName name, std::int64_t value);
    void setNumber(LiteralName name, double value); // as build::setNumber writes it

    std::size_t size() const { return names_.size(); }
    const std::vector<const char*>& names() const { return names_; }
    std::string_view value(std::size_t i) const {
        const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
        return std::string_view(text_).substr(begin, ends_[i] - begin);
    }

private:
    void setSafe(LiteralName name, std::string_view value); // value known XML-safe

    std::vector<const char*> names_;
    std::vector<std::size_t> ends_; // value i is text_[ends_[i - 1], ends_[i])
    std::string text_;
};

// A new last child `name` of `parent` with the attributes of `list`, in its order. Through a
// prototype while SharedAttributeNames is active on this thread (the snapshot builder), else
// attribute by attribute.
pugi::xml_node appendElement(pugi::xml_node parent, LiteralName name, const AttributeList& list);

} // namespace relayaudit::build
