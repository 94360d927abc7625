#pragma once
// One attribute of an LDAP search result entry as it comes on the wire (RFC 4511 section 4.5.2):
//   PartialAttribute ::= SEQUENCE { type AttributeDescription, vals SET OF value }
// read in place from the bytes inside its SEQUENCE, with the element rules liblber applies
// (ber_peek_element: definite lengths only, a length no longer than the bytes left, tags of any
// class and number). libldap's ldap_get_attribute_ber reads the same through ber_scanf("{mM}"),
// which parses its format string and allocates the array of values for every attribute: that
// was more than half of decoding an entry at 10,000 virtual servers (docs/design.md, issue 10).
#include "decode_error.h"

#include <optional>
#include <string_view>
#include <vector>

namespace relayaudit {

// The type and the values of one attribute, pointing into `contents`. `values` is cleared and
// refilled (its capacity is kept, so one vector serves every attribute of a search). Nullopt
// error when the bytes are not exactly one element (the type) followed by one constructed element
// (the set) whose contents are exactly a run of elements (the values), offset in `contents`.
std::optional<DecodeError> readPartialAttribute(std::string_view contents, std::string_view& type,
                                                std::vector<std::string_view>& values);

} // namespace relayaudit
