// The <raw> filter of saved snapshots (snapshot/raw_elements.h): any text in.
//  - As loadSnapshot parses (parse_default): a filtered text that parses comes from a text that
//    parses, with the same root element, so a damaged snapshot is never loaded clean.
//  - As the oracle reads it (raw_element_oracle.h, comments and PIs as nodes): the filtered
//    document is the original without exactly the <raw> elements the oracle finds removable.
//    With a DOCTYPE, where the filter stops on purpose, the two are the same once all removable
//    <raw> elements are gone from both.
//  - The filter never grows the text.
#include "fuzz_check.h"
#include "raw_element_oracle.h"
#include "raw_elements.h"

#include <pugixml.hpp>
#include <string>

using namespace relayaudit;

namespace {

bool parses(pugi::xml_document& document, const std::string& text, unsigned flags) {
    return bool(document.load_buffer(text.data(), text.size(), flags, pugi::encoding_utf8));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(fuzzsupport::textOf(data, size));
    std::string filtered = text;
    const std::size_t kept = removeRawElements(filtered.data(), filtered.size());
    FUZZ_CHECK(kept <= text.size(), "the filter never grows the text");
    filtered.resize(kept);

    // When the filtered text does not parse, loadSnapshot reads the whole file again, and the
    // error is the file's own: only a filtered text that parses needs checking.
    pugi::xml_document original, fromFiltered;
    if (!parses(fromFiltered, filtered, pugi::parse_default))
        return 0;
    FUZZ_CHECK(parses(original, text, pugi::parse_default),
               "a text that does not parse does not parse once filtered");
    FUZZ_CHECK(std::string(original.document_element().name()) ==
                   fromFiltered.document_element().name(),
               "the root element is the same once filtered");

    const auto flags = testsupport::kRawOracleFlags;
    if (!parses(original, text, flags))
        return 0; // e.g. a PI parse_pi rejects: checked above as loadSnapshot parses
    FUZZ_CHECK(parses(fromFiltered, filtered, flags), "the filtered text parses as the original");
    if (text.find("<!DOCTYPE") == std::string::npos) {
        testsupport::removeRemovableRawElements(original);
    } else {
        while (testsupport::removeRemovableRawElements(original) > 0) {
        }
        while (testsupport::removeRemovableRawElements(fromFiltered) > 0) {
        }
    }
    FUZZ_CHECK(testsupport::serialised(fromFiltered) == testsupport::serialised(original),
               "the filter removes the removable <raw> elements and nothing else");
    return 0;
}
