// The document page pool (base/page_pool.h): pages of the served sizes come from the reserved
// range and are reused, other sizes and an exhausted range go to malloc, a chunk whose pages are
// all freed goes back to the system, and threads allocating at once never share a page.
#include "page_pool.h"

#include <QtTest>
#include <atomic>
#include <cstring>
#include <set>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>
#include <vector>

using relayaudit::PagePool;

namespace {

constexpr std::size_t kPage = 32768;
constexpr std::size_t kSlot = kPage + 256;

// Resident 4 KiB pages of [start, start + size), by mincore.
std::size_t residentPages(const void* start, std::size_t size) {
    const auto pageSize = std::size_t(::sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> states((size + pageSize - 1) / pageSize);
    if (::mincore(const_cast<void*>(start), size, states.data()) != 0)
        return std::size_t(-1);
    std::size_t resident = 0;
    for (auto state : states)
        resident += state & 1;
    return resident;
}

} // namespace

class TestPagePool : public QObject {
    Q_OBJECT
private slots:
    void servesPagesFromItsRangeAndOtherSizesFromMalloc() {
        PagePool pool(kPage, kSlot, 64 * PagePool::kChunkSize);
        QVERIFY(pool.reserved());
        void* page = pool.allocate(kPage + 40);
        void* smallest = pool.allocate(kPage);
        void* small = pool.allocate(4096);
        void* large = pool.allocate(kSlot + 1);
        QVERIFY(pool.owns(page));
        QVERIFY(pool.owns(smallest));
        QVERIFY(!pool.owns(small));
        QVERIFY(!pool.owns(large));
        QCOMPARE(reinterpret_cast<std::uintptr_t>(page) % PagePool::kChunkSize, 0u);
        // Every byte of a slot is usable, and slots do not overlap.
        std::memset(page, 0xAB, kSlot);
        std::memset(smallest, 0xCD, kSlot);
        QCOMPARE(static_cast<unsigned char*>(page)[kSlot - 1], 0xAB);
        QCOMPARE(pool.chunksInUse(), 1u);
        for (void* memory : {page, smallest, small, large})
            pool.deallocate(memory);
        QCOMPARE(pool.chunksInUse(), 0u);
    }

    void reusesAFreedPage() {
        PagePool pool(kPage, kSlot, 64 * PagePool::kChunkSize);
        void* first = pool.allocate(kPage + 40);
        void* second = pool.allocate(kPage + 40);
        pool.deallocate(first);
        QCOMPARE(pool.allocate(kPage + 40), first);
        pool.deallocate(first);
        pool.deallocate(second);
    }

    // The point of the pool for the peak memory: the snapshot's chunks go back as it is freed.
    void givesAChunkBackWhenItsLastPageIsFreed() {
        PagePool pool(kPage, kSlot, 64 * PagePool::kChunkSize);
        const std::size_t perChunk = PagePool::kChunkSize / kSlot;
        std::vector<void*> pages;
        for (std::size_t i = 0; i < perChunk + 1; ++i) { // the first chunk full, one in the next
            pages.push_back(pool.allocate(kPage + 40));
            std::memset(pages.back(), 1, kPage);
        }
        QCOMPARE(pool.chunksInUse(), 2u);
        void* firstChunk = pages.front();
        QVERIFY(residentPages(firstChunk, PagePool::kChunkSize) >= perChunk * kPage / 4096);
        for (std::size_t i = 0; i + 1 < pages.size(); ++i)
            pool.deallocate(pages[i]);
        QCOMPARE(pool.chunksInUse(), 1u);
        QCOMPARE(residentPages(firstChunk, PagePool::kChunkSize), 0u);
        // The last chunk keeps its page, and the freed slots serve again.
        QVERIFY(residentPages(pages.back(), kPage) > 0);
        void* again = pool.allocate(kPage + 40);
        QVERIFY(pool.owns(again));
        std::memset(again, 2, kPage);
        pool.deallocate(again);
        pool.deallocate(pages.back());
        QCOMPARE(pool.chunksInUse(), 0u);
    }

    void fallsBackToMallocWhenTheRangeIsUsedUp() {
        PagePool pool(kPage, kSlot, PagePool::kChunkSize); // one chunk
        const std::size_t perChunk = PagePool::kChunkSize / kSlot;
        std::vector<void*> pages;
        for (std::size_t i = 0; i < perChunk + 5; ++i) {
            pages.push_back(pool.allocate(kPage + 40));
            std::memset(pages.back(), 3, kPage + 40);
        }
        QCOMPARE(std::size_t(std::count_if(pages.begin(), pages.end(),
                                           [&](void* p) { return pool.owns(p); })),
                 perChunk);
        for (void* page : pages)
            pool.deallocate(page);
        QCOMPARE(pool.chunksInUse(), 0u);
    }

    void nothingFitsMeansMallocForAll() {
        PagePool pool(kPage, 3 * PagePool::kChunkSize, 64 * PagePool::kChunkSize); // no slot fits
        void* page = pool.allocate(kPage);
        QVERIFY(page);
        QVERIFY(!pool.owns(page));
        pool.deallocate(page);
    }

    // Pages are taken and given back on several threads at once (the builder thread, the rule
    // workers, the main thread): no page is ever handed to two owners.
    void threadsNeverShareAPage() {
        PagePool pool(kPage, kSlot, 64 * PagePool::kChunkSize);
        std::atomic<bool> clash = false;
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&pool, &clash, t] {
                std::vector<unsigned char*> held;
                for (int round = 0; round < 3000; ++round) {
                    auto* page = static_cast<unsigned char*>(pool.allocate(kPage + 40));
                    std::memset(page, t + 1, 64);
                    held.push_back(page);
                    if (held.size() > 20) {
                        for (auto* mine : held)
                            if (mine[0] != t + 1 || mine[63] != t + 1)
                                clash = true;
                        for (auto* mine : held)
                            pool.deallocate(mine);
                        held.clear();
                    }
                }
                for (auto* mine : held)
                    pool.deallocate(mine);
            });
        for (auto& thread : threads)
            thread.join();
        QVERIFY(!clash);
        QCOMPARE(pool.chunksInUse(), 0u);
    }
};

QTEST_APPLESS_MAIN(TestPagePool)
#include "tst_page_pool.moc"
