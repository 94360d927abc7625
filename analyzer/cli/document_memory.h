#pragma once
// Where the XML documents' pages come from (base/page_pool.h): set once for the process, by
// main, before any document exists.

namespace relayaudit {

// pugixml's pages from a PagePool from now on. Not under AddressSanitizer, which watches
// malloc and would no longer see them.
void useDocumentPagePool();
// Whether it is in use: the snapshot's memory then goes back to the system as the document is
// released, without malloc_trim.
bool documentPagePoolInUse();

} // namespace relayaudit
