#pragma once
// SnapshotBuilder::add on a second thread, fed through a bounded queue, so that a live collection
// builds the snapshot while the main thread waits for the directory's next entries (issue 10).
#include "snapshot_builder.h"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace relayaudit {

// One consumer takes the entries in the order they were added, so the document is the same as
// with SnapshotBuilder alone. The builder thread is the only one touching the document until
// finish(), which joins it first. Destroying it without finish() stops the thread (a failed
// collection), dropping what is still queued.
class SnapshotBuildThread {
public:
    // `objectBuilt` is called on the builder thread (SnapshotBuilder::ObjectBuilt).
    SnapshotBuildThread(pugi::xml_document& snapshot, RawValues rawValues = RawValues::Kept,
                        std::size_t capacity = 512, SnapshotBuilder::ObjectBuilt objectBuilt = {});
    ~SnapshotBuildThread();
    SnapshotBuildThread(const SnapshotBuildThread&) = delete;
    SnapshotBuildThread& operator=(const SnapshotBuildThread&) = delete;

    // Entries are handed over in batches (a hand-over wakes the other thread; one per entry cost a
    // context switch per entry). Waits while the queue is full (memory stays bounded when the
    // builder is the slower side). The entry is swapped with a spent one the builder thread is
    // done with, when there is one: the caller gets its buffers back to decode the next entry
    // into (or may simply drop it), so entries are not allocated on one thread and freed on
    // the other, one string at a time.
    void add(DirectoryEntry&& entry);
    // Builds what is queued, then what needs every entry; rethrows what the builder thread threw.
    void finish(const CollectionContext& context);

private:
    void run();
    void handOver(); // the pending batch into the queue
    void stop();

    SnapshotBuilder builder_;
    std::size_t capacity_;  // entries queued at most, pending batch included
    std::size_t batchSize_; // entries per hand-over
    // The producer's batch, not yet handed over: its first pendingUsed_ entries; the ones after
    // them are spent entries back from the builder thread, to be swapped out by add().
    std::vector<DirectoryEntry> pending_;
    std::size_t pendingUsed_ = 0;
    // Batches the builder thread is done with, a few at most, for the producer to refill.
    std::vector<std::vector<DirectoryEntry>> spent_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::vector<DirectoryEntry>> queue_;
    std::size_t queued_ = 0; // entries in queue_
    bool closed_ = false;
    std::exception_ptr failure_;
    std::thread thread_;
};

} // namespace relayaudit
