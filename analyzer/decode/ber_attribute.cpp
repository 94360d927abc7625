#include "ber_attribute.h"

#include <cstdint>

namespace relayaudit {

namespace {

struct Element {
    std::string_view contents;
    std::size_t end = 0; // offset just past the element
};

// The element at `at`, read as liblber's ber_peek_element reads one: a tag of one byte, or of
// up to eight when its low five bits are all set (each further byte's top bit saying whether
// another follows); a length of one byte, or of 1-8 bytes after 0x81-0x88 (0x80, the indefinite
// form, is refused as LDAP refuses it); contents no longer than what is left. Tags are not
// checked, as libldap does not check them here either.
std::optional<DecodeError> readElement(std::string_view bytes, std::size_t at, const char* field,
                                       Element& element) {
    auto fail = [&](std::string reason) { return DecodeError{at, field, std::move(reason)}; };
    auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[i]); };
    std::size_t i = at;
    if (i >= bytes.size())
        return fail("the element is missing");
    if ((byte(i++) & 0x1F) == 0x1F) {
        // Long tag: at most seven more bytes (liblber's tag is eight bytes wide).
        std::size_t more = 0;
        for (;;) {
            if (i >= bytes.size())
                return fail("the data ends inside a tag");
            if (++more > 7)
                return fail("a tag longer than 8 bytes");
            if (!(byte(i++) & 0x80))
                break;
        }
    }
    if (i >= bytes.size())
        return fail("the data ends before the length");
    std::uint64_t length = byte(i++);
    if (length & 0x80) {
        const std::size_t lengthBytes = length & 0x7F;
        if (lengthBytes == 0)
            return fail("an indefinite length, which LDAP does not allow");
        if (lengthBytes > 8 || lengthBytes > bytes.size() - i)
            return fail("a length field of " + std::to_string(lengthBytes) +
                        " bytes that the data does not hold");
        length = 0;
        for (std::size_t k = 0; k < lengthBytes; ++k)
            length = (length << 8) | byte(i++);
    }
    if (length > bytes.size() - i)
        return fail("a length of " + std::to_string(length) + " bytes, but " +
                    std::to_string(bytes.size() - i) + " are left");
    element.contents = bytes.substr(i, std::size_t(length));
    element.end = i + std::size_t(length);
    return std::nullopt;
}

} // namespace

std::optional<DecodeError> readPartialAttribute(std::string_view contents, std::string_view& type,
                                                std::vector<std::string_view>& values) {
    values.clear();
    Element typeElement, set;
    if (auto problem = readElement(contents, 0, "attribute type", typeElement))
        return problem;
    if (auto problem = readElement(contents, typeElement.end, "attribute value set", set))
        return problem;
    if (set.end != contents.size())
        return DecodeError{set.end, "attribute", "bytes after the value set"};
    type = typeElement.contents;
    const std::size_t setStart = set.end - set.contents.size();
    for (std::size_t at = 0; at < set.contents.size();) {
        Element value;
        if (auto problem = readElement(set.contents, at, "attribute value", value)) {
            problem->offset += setStart;
            return problem;
        }
        values.push_back(value.contents);
        at = value.end;
    }
    return std::nullopt;
}

} // namespace relayaudit
