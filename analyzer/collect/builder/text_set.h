#pragma once
// A set of texts that keeps them in large blocks, not a string each: the builder's set of the DNs
// seen (10,000 virtual servers are 2 MB of DNs). A string each was a small allocation per DN,
// spread among the snapshot's own memory, that stayed resident after the set was cleared, at the
// audit's peak of memory; the blocks are large enough to be handed back to the system whole.
// The set itself is one table of slots (open addressing), not a node per text: clearing a node
// per DN at the end of the collection was 2.5 ms at 10,000 virtual servers, on the thread the
// audit waits for, and each text was hashed twice (a lookup, then the insertion).
#include <cstddef>
#include <memory>
#include <string_view>
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
    void grow();

    struct Slot {
        std::string_view text;
        std::size_t hash = 0;
        bool used = false;
    };
    std::vector<Slot> slots_; // a power of two in size, at most half used
    std::size_t used_ = 0;
};

} // namespace relayaudit
