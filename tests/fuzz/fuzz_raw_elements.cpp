// The <raw> filter of saved snapshots (snapshot/raw_elements.h): any text in. Where the filtered
// text parses as XML, the original parses too (a damaged snapshot is never loaded clean), and the
// filtered document is the original without exactly its text-only <raw> elements (compared
// without white space: text on both sides of a removed element joins). With a DOCTYPE, where the
// filter stops on purpose, the two are the same once all such elements are gone from both. The
// filter never grows the text.
#include "fuzz_check.h"
#include "raw_elements.h"

#include <pugixml.hpp>
#include <sstream>
#include <vector>

using namespace relayaudit;

namespace {

constexpr unsigned kFlags =
    pugi::parse_default | pugi::parse_comments | pugi::parse_cdata | pugi::parse_pi;

// Removes the text-only <raw> elements; returns how many there were.
std::size_t removeTextOnlyRaw(pugi::xml_document& document) {
    std::vector<pugi::xml_node> textOnly;
    for (auto found : document.select_nodes("//raw")) {
        bool onlyText = true;
        for (auto child : found.node().children())
            onlyText = onlyText && child.type() == pugi::node_pcdata;
        if (onlyText)
            textOnly.push_back(found.node());
    }
    for (auto node : textOnly)
        node.parent().remove_child(node);
    return textOnly.size();
}

std::string withoutWhiteSpace(const pugi::xml_document& document) {
    std::ostringstream out;
    document.save(out, "", pugi::format_raw);
    std::string text = out.str();
    std::erase_if(text, [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
    return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(fuzzsupport::textOf(data, size));
    std::string filtered = text;
    const std::size_t kept = removeRawElements(filtered.data(), filtered.size());
    FUZZ_CHECK(kept <= text.size(), "the filter never grows the text");
    filtered.resize(kept);
    pugi::xml_document original, fromFiltered;
    const bool originalParses =
        bool(original.load_buffer(text.data(), text.size(), kFlags, pugi::encoding_utf8));
    const bool filteredParses = bool(
        fromFiltered.load_buffer(filtered.data(), filtered.size(), kFlags, pugi::encoding_utf8));
    // When the filtered text does not parse, loadSnapshot reads the whole file again (the
    // error is then the file's own; e.g. a text whose only element was a <raw>), so only a
    // filtered text that parses needs an original that parses too, and the same document.
    if (!filteredParses)
        return 0;
    FUZZ_CHECK(originalParses, "a text that does not parse does not parse once filtered");
    if (text.find("<!DOCTYPE") == std::string::npos) {
        // Exactly the <raw> elements that are text only in the original go (an outer <raw> that
        // held one is kept, though only text is left in it once the inner one is gone).
        removeTextOnlyRaw(original);
        FUZZ_CHECK(withoutWhiteSpace(fromFiltered) == withoutWhiteSpace(original),
                   "the filter removes the text-only <raw> elements and nothing else");
    } else {
        // The filter stops at a DOCTYPE: what it removed before it is text-only <raw>
        // elements, so with all of them gone from both the documents are the same.
        while (removeTextOnlyRaw(fromFiltered) > 0) {
        }
        while (removeTextOnlyRaw(original) > 0) {
        }
        FUZZ_CHECK(withoutWhiteSpace(fromFiltered) == withoutWhiteSpace(original),
                   "before a DOCTYPE the filter removes text-only <raw> elements only");
    }
    return 0;
}
