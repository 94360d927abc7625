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

namespace relayaudit {

// One consumer takes the entries in the order they were added, so the document is the same as
// with SnapshotBuilder alone. The builder thread is the only one touching the document until
// finish(), which joins it first. Destroying it without finish() stops the thread (a failed
// collection), dropping what is still queued.
class SnapshotBuildThread {
public:
    SnapshotBuildThread(pugi::xml_document& snapshot, RawValues rawValues = RawValues::Kept,
                        std::size_t capacity = 512);
    ~SnapshotBuildThread();
    SnapshotBuildThread(const SnapshotBuildThread&) = delete;
    SnapshotBuildThread& operator=(const SnapshotBuildThread&) = delete;

    // Waits while the queue is full (memory stays bounded when the builder is the slower side).
    void add(DirectoryEntry&& entry);
    // Builds what is queued, then what needs every entry; rethrows what the builder thread threw.
    void finish(const CollectionContext& context);

private:
    void run();
    void stop();

    SnapshotBuilder builder_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<DirectoryEntry> queue_;
    bool closed_ = false;
    std::exception_ptr failure_;
    std::thread thread_;
};

} // namespace relayaudit
