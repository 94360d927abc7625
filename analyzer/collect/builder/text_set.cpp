#include "text_set.h"

#include <cstring>

namespace relayaudit {

std::string_view TextSet::keep(std::string_view text) {
    if (text.size() > kBlockSize) { // a block of its own, kept apart from the one being filled
        auto& own = large_.emplace_back(new char[text.size()]);
        std::memcpy(own.get(), text.data(), text.size());
        return {own.get(), text.size()};
    }
    if (kBlockSize - usedInLastBlock_ < text.size()) {
        blocks_.emplace_back(new char[kBlockSize]);
        usedInLastBlock_ = 0;
    }
    char* at = blocks_.back().get() + usedInLastBlock_;
    std::memcpy(at, text.data(), text.size());
    usedInLastBlock_ += text.size();
    return {at, text.size()};
}

bool TextSet::insert(std::string_view text) {
    if (texts_.count(text) != 0)
        return false;
    texts_.insert(keep(text));
    return true;
}

void TextSet::clear() {
    std::unordered_set<std::string_view>().swap(texts_);
    std::vector<std::unique_ptr<char[]>>().swap(blocks_);
    std::vector<std::unique_ptr<char[]>>().swap(large_);
    usedInLastBlock_ = kBlockSize;
}

} // namespace relayaudit
