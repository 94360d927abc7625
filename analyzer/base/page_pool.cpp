#include "page_pool.h"

#include <cstdlib>
#include <sys/mman.h>

namespace relayaudit {

PagePool::PagePool(std::size_t smallestPage, std::size_t largestPage, std::size_t reservation)
    : smallestPage_(smallestPage), slotSize_(largestPage),
      slotsPerChunk_(largestPage == 0 ? 0 : kChunkSize / largestPage) {
    if (slotsPerChunk_ == 0 || reservation < kChunkSize)
        return; // nothing fits: every request goes to malloc
    // Address space only: PROT_NONE counts against no commit limit; chunks become writable as
    // they are opened. One chunk more than asked, to align the start to a chunk.
    mappingSize_ = reservation / kChunkSize * kChunkSize + kChunkSize;
    void* mapping = ::mmap(nullptr, mappingSize_, PROT_NONE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) {
        mappingSize_ = 0;
        return;
    }
    mapping_ = mapping;
    const auto address = reinterpret_cast<std::uintptr_t>(mapping);
    start_ = (address + kChunkSize - 1) & ~(std::uintptr_t(kChunkSize) - 1);
    end_ = start_ + reservation / kChunkSize * kChunkSize;
    nextSlotInNewestChunk_ = slotsPerChunk_; // no chunk open yet
}

PagePool::~PagePool() {
    if (mapping_)
        ::munmap(mapping_, mappingSize_);
}

bool PagePool::openChunk() {
    const std::uintptr_t chunk = start_ + pagesInChunk_.size() * kChunkSize;
    if (chunk >= end_)
        return false;
    auto* memory = reinterpret_cast<void*>(chunk);
    if (::mprotect(memory, kChunkSize, PROT_READ | PROT_WRITE) != 0)
        return false; // e.g. a strict commit limit: malloc serves, and reports it as it would
#ifdef MADV_HUGEPAGE
    ::madvise(memory, kChunkSize, MADV_HUGEPAGE); // a hint: without it, small pages
#endif
    pagesInChunk_.push_back(0);
    nextSlotInNewestChunk_ = 0;
    return true;
}

void* PagePool::allocateSlot() {
    std::lock_guard lock(mutex_);
    void* slot = nullptr;
    if (!freeSlots_.empty()) {
        slot = freeSlots_.back();
        freeSlots_.pop_back();
    } else {
        if (nextSlotInNewestChunk_ == slotsPerChunk_ && !openChunk())
            return nullptr;
        const std::size_t newest = pagesInChunk_.size() - 1;
        slot = reinterpret_cast<void*>(start_ + newest * kChunkSize +
                                       nextSlotInNewestChunk_++ * slotSize_);
    }
    ++pagesInChunk_[(reinterpret_cast<std::uintptr_t>(slot) - start_) / kChunkSize];
    return slot;
}

void* PagePool::allocate(std::size_t size) {
    if (size >= smallestPage_ && size <= slotSize_ && start_ != 0)
        if (void* slot = allocateSlot())
            return slot;
    return std::malloc(size);
}

void PagePool::deallocate(void* memory) {
    if (!owns(memory)) {
        std::free(memory);
        return;
    }
    std::lock_guard lock(mutex_);
    const auto address = reinterpret_cast<std::uintptr_t>(memory);
    const std::size_t chunk = (address - start_) / kChunkSize;
    freeSlots_.push_back(memory);
    // The chunk's last page: its memory goes back to the system at once (a document that is
    // released frees its pages one after another, so each chunk goes in one call).
    if (--pagesInChunk_[chunk] == 0)
        ::madvise(reinterpret_cast<void*>(start_ + chunk * kChunkSize), kChunkSize, MADV_DONTNEED);
}

std::size_t PagePool::chunksInUse() const {
    std::lock_guard lock(mutex_);
    std::size_t inUse = 0;
    for (auto pages : pagesInChunk_)
        inUse += pages > 0 ? 1 : 0;
    return inUse;
}

} // namespace relayaudit
