#include "text_set.h"

#include <algorithm>
#include <cstring>
#include <functional>

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
    if ((used_ + 1) * 2 > slots_.size())
        grow();
    const std::size_t hash = std::hash<std::string_view>{}(text);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        Slot& slot = slots_[at];
        if (!slot.used) {
            slot = {keep(text), hash, true};
            ++used_;
            return true;
        }
        if (slot.hash == hash && slot.text == text)
            return false;
    }
}

// Doubling keeps the cost of all insertions linear in their number.
void TextSet::grow() {
    std::vector<Slot> old(std::max<std::size_t>(64, slots_.size() * 2));
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
        if (!slot.used)
            continue;
        std::size_t at = slot.hash & mask;
        while (slots_[at].used)
            at = (at + 1) & mask;
        slots_[at] = slot;
    }
}

void TextSet::clear() {
    std::vector<Slot>().swap(slots_);
    used_ = 0;
    std::vector<std::unique_ptr<char[]>>().swap(blocks_);
    std::vector<std::unique_ptr<char[]>>().swap(large_);
    usedInLastBlock_ = kBlockSize;
}

} // namespace relayaudit
