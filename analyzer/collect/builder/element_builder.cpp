#include "element_builder.h"

#include "build_common.h"
#include "shared_names.h"
#include "text_encoding.h"

#include <charconv>

namespace relayaudit::build {

void AttributeList::clear() {
    names_.clear();
    ends_.clear();
    text_.clear();
}

void AttributeList::setSafe(LiteralName name, std::string_view value) {
    names_.push_back(name.text);
    text_.append(value);
    ends_.push_back(text_.size());
}

void AttributeList::set(LiteralName name, std::string_view value) {
    if (isXmlSafe(value))
        setSafe(name, value);
    else
        setSafe(name, xmlSafeText(value));
}

void AttributeList::setInteger(LiteralName name, std::int64_t value) {
    char text[24];
    auto written = std::to_chars(text, text + sizeof text, value);
    setSafe(name, std::string_view(text, std::size_t(written.ptr - text)));
}

void AttributeList::setNumber(LiteralName name, double value) {
    char text[32];
    setSafe(name, numberText(text, value));
}

pugi::xml_node appendElement(pugi::xml_node parent, LiteralName name, const AttributeList& list) {
    pugi::xml_node prototype;
    if (auto* shared = SharedAttributeNames::active())
        prototype = shared->elementPrototype(name.text, list.names());
    if (!prototype) { // outside the snapshot builder: as build::set() would
        auto node = parent.append_child(name.text);
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto value = list.value(i);
            node.append_attribute(list.names()[i]).set_value(value.data(), value.size());
        }
        return node;
    }
    auto node = parent.append_copy(prototype);
    auto attribute = node.first_attribute();
    for (std::size_t i = 0; i < list.size(); ++i, attribute = attribute.next_attribute()) {
        auto value = list.value(i);
        if (!value.empty()) // the prototype's value is already the empty text
            attribute.set_value(value.data(), value.size());
    }
    return node;
}

} // namespace relayaudit::build
