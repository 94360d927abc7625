#include "document_memory.h"

#include "page_pool.h"

#include <pugixml.hpp>

namespace relayaudit {

namespace {

// pugixml asks for its pages as 32 KiB of data after a header of a few pointers
// (PUGIXML_MEMORY_PAGE_SIZE, Debian's default); 256 bytes is room for any header.
constexpr std::size_t kPugixmlPageData = 32768;
constexpr std::size_t kPugixmlPageSlot = kPugixmlPageData + 256;

PagePool* pool = nullptr;

void* allocatePage(std::size_t size) {
    return pool->allocate(size);
}
void deallocatePage(void* memory) {
    pool->deallocate(memory);
}

} // namespace

void useDocumentPagePool() {
#if defined(__SANITIZE_ADDRESS__)
    return;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return;
#endif
#endif
    if (pool)
        return;
    // Address space, not memory: 64 GiB holds the snapshot of any directory; where a limit on
    // address space (ulimit -v) refuses it, smaller, else none.
    for (std::size_t gib : {64, 4, 1}) {
        auto* candidate = new PagePool(kPugixmlPageData, kPugixmlPageSlot, gib << 30);
        if (candidate->reserved()) {
            pool = candidate;
            pugi::set_memory_management_functions(allocatePage, deallocatePage);
            return;
        }
        delete candidate;
    }
}

bool documentPagePoolInUse() {
    return pool != nullptr;
}

} // namespace relayaudit
