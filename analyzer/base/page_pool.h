#pragma once
// Memory for the pages of the XML documents (the snapshot above all), apart from malloc's heap.
//
// pugixml takes its nodes and strings from pages of 32 KiB it asks its allocation function for.
// At 10,000 virtual servers the snapshot is about 30 MB of such pages, built on the builder
// thread: a third of the audit's 15,000 page faults were theirs, and handing the document's memory
// back once it was read (malloc_trim: about 700 madvise calls, each a TLB shoot-down across the
// cores) ran while the reports were written. Here the pages come from 2 MiB chunks of one
// reserved address range, advised for transparent huge pages (one fault per chunk where the
// kernel has them), and a chunk whose pages are all freed goes back to the system in one call.
// Measured at 10,000 virtual servers: 14,900 page faults down to 9,900, the audit 14 ms faster
// in the median of 21 alternating runs, peak RSS 52.7 → 53.9 MB without malloc_trim
// (docs/design.md, "Eighth round").
//
// Requests of another size (pugixml's large strings, its XPath scratch blocks) go to malloc, and
// so do all requests once the reserved range is used up: the pool only ever makes a page cheaper.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace relayaudit {

class PagePool {
public:
    static constexpr std::size_t kChunkSize = std::size_t(2) << 20; // a transparent huge page

    // Serves requests of smallestPage to largestPage bytes (each in a slot of largestPage) from
    // a reservation of `reservation` bytes of address space, taken up chunk by chunk as needed.
    PagePool(std::size_t smallestPage, std::size_t largestPage, std::size_t reservation);
    ~PagePool();
    PagePool(const PagePool&) = delete;
    PagePool& operator=(const PagePool&) = delete;

    void* allocate(std::size_t size);
    // Memory from allocate(), whichever of the pool or malloc it came from.
    void deallocate(void* memory);

    // Whether the address range could be reserved (else every request goes to malloc).
    bool reserved() const { return start_ != 0; }
    bool owns(const void* memory) const {
        const auto address = reinterpret_cast<std::uintptr_t>(memory);
        return address >= start_ && address < end_;
    }
    // Chunks with at least one page in use (for the tests).
    std::size_t chunksInUse() const;

private:
    void* allocateSlot();
    bool openChunk(); // the next chunk of the reservation, made writable

    void* mapping_ = nullptr;
    std::size_t mappingSize_ = 0;
    std::uintptr_t start_ = 0; // the chunk-aligned reservation
    std::uintptr_t end_ = 0;
    std::size_t smallestPage_;
    std::size_t slotSize_;
    std::size_t slotsPerChunk_;

    mutable std::mutex mutex_; // pages are few (a thousand per 30 MB): one lock is cheap
    std::vector<void*> freeSlots_;
    std::vector<std::uint32_t> pagesInChunk_; // per opened chunk, in order
    std::size_t nextSlotInNewestChunk_ = 0;
};

} // namespace relayaudit
