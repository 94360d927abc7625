#pragma once
// Line numbers of the elements of a pack, for errors that name file:line. The pack is parsed with
// pugixml from this text, so a node's offset_debug() is its offset in it.
#include <algorithm>
#include <pugixml.hpp>
#include <string_view>
#include <vector>

namespace relayaudit {

class SourceLines {
public:
    explicit SourceLines(std::string_view text) {
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n')
                newlines_.push_back(i);
    }
    unsigned lineOfOffset(std::ptrdiff_t offset) const {
        if (offset < 0)
            return 0;
        auto before = std::lower_bound(newlines_.begin(), newlines_.end(), std::size_t(offset));
        return unsigned(before - newlines_.begin()) + 1;
    }
    // 0 when pugixml cannot tell (a node not from the parsed text).
    unsigned lineOf(pugi::xml_node node) const { return lineOfOffset(node.offset_debug()); }

private:
    std::vector<std::size_t> newlines_;
};

} // namespace relayaudit
