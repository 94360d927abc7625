#pragma once
// A set of texts that keeps them in large blocks, not a string each: the builder's set of the DNs
// seen (10,000 virtual servers are 2 MB of DNs). A string each was a small allocation per DN,
// spread among the snapshot's own memory, that stayed resident after the set was cleared, at the
// audit's peak of memory; the blocks are large enough to be handed back to the system whole.
#include <cstddef>
#include <memory>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace relayaudit {

class TextSet {
public:
    // True when the text was not in the set (it is now).
    bool insert(std::string_view text);
    // Empties the set and frees its memory.
    void clear();

private:
    // Large enough that malloc maps each block on its own (its threshold is 128 KiB).
    static constexpr std::size_t kBlockSize = 256 * 1024;
    std::string_view keep(std::string_view text);

    std::vector<std::unique_ptr<char[]>> blocks_; // filled in turn
    std::vector<std::unique_ptr<char[]>> large_;  // a text longer than a block each
    std::size_t usedInLastBlock_ = kBlockSize;    // no block yet
    std::unordered_set<std::string_view> texts_;
};

} // namespace relayaudit
