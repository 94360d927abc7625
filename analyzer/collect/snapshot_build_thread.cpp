#include "snapshot_build_thread.h"

#include "phase_timings.h"

#include <utility>

namespace relayaudit {

SnapshotBuildThread::SnapshotBuildThread(pugi::xml_document& snapshot, RawValues rawValues,
                                         std::size_t capacity)
    : builder_(snapshot, rawValues), capacity_(capacity == 0 ? 1 : capacity),
      thread_([this] { run(); }) {}

SnapshotBuildThread::~SnapshotBuildThread() {
    {
        std::lock_guard lock(mutex_);
        queue_.clear(); // a failed collection: nothing more is built
    }
    stop();
}

void SnapshotBuildThread::add(DirectoryEntry&& entry) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return queue_.size() < capacity_ || failure_; });
    if (failure_)
        return; // reported by finish()
    queue_.push_back(std::move(entry));
    changed_.notify_all();
}

void SnapshotBuildThread::run() {
    for (;;) {
        DirectoryEntry entry;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [this] { return !queue_.empty() || closed_; });
            if (queue_.empty())
                return; // closed and drained
            entry = std::move(queue_.front());
            queue_.pop_front();
            changed_.notify_all();
        }
        try {
            PhaseSpan building(Phase::SnapshotBuild);
            builder_.add(std::move(entry));
        } catch (...) {
            std::lock_guard lock(mutex_);
            failure_ = std::current_exception();
            queue_.clear();
            changed_.notify_all();
            return;
        }
    }
}

void SnapshotBuildThread::stop() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        changed_.notify_all();
    }
    if (thread_.joinable())
        thread_.join();
}

void SnapshotBuildThread::finish(const CollectionContext& context) {
    stop();
    if (failure_)
        std::rethrow_exception(failure_);
    PhaseSpan building(Phase::SnapshotBuild);
    builder_.finish(context);
}

} // namespace relayaudit
