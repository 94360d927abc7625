#pragma once
// Leaving the <raw> copies out of a saved snapshot's text before it is parsed, for a run in which
// nothing reads them (RawValues::LeftOut): the copies are about a third of the file and, as DOM
// nodes, a fifth of the memory of `analyze --snapshot` (docs/design.md, "Raw values only when
// read").
#include <cstddef>

namespace relayaudit {

// Removes, in place, <raw ...>text</raw> and <raw .../> elements from XML text and returns the
// new size. Only real markup counts: comments, CDATA sections and processing instructions are
// copied as they are, and a tag is read to its '>' outside quoted attribute values. A <raw> is
// removed only where removing it changes nothing else a parser (pugixml, parse_default) would
// give: inside the root element (a <raw> before it would otherwise make the next element the
// root), with a start tag XML allows, holding text only, and with nothing but white space
// between it and the markup on either side (text on both sides would join into one text node).
// At a "<!" that is not a comment or CDATA (a DOCTYPE) or at markup that does not end, the rest
// is copied unchanged.
std::size_t removeRawElements(char* text, std::size_t size);

} // namespace relayaudit
