#pragma once
// Leaving the <raw> copies out of a saved snapshot's text before it is parsed, for a run in which
// nothing reads them (RawValues::LeftOut): the copies are about a third of the file and, as DOM
// nodes, a fifth of the memory of `analyze --snapshot` (docs/design.md, "Raw values only when
// read").
#include <cstddef>

namespace relayaudit {

// Removes, in place, every <raw ...>text</raw> and <raw .../> element from XML text and returns
// the new size. Only real markup counts: comments, CDATA sections and processing instructions
// are copied as they are, a tag is read to its '>' outside quoted attribute values, and a <raw>
// element holding anything but text (a '<' before its </raw>) is kept. At a "<!" that is not a
// comment or CDATA (a DOCTYPE) or at markup that does not end, the rest is copied unchanged.
// So the text is filtered where the XML is plain and left alone where it is not; what a
// well-formed document means besides its <raw> elements does not change.
std::size_t removeRawElements(char* text, std::size_t size);

} // namespace relayaudit
