#include "snapshot_build_thread.h"

#include "phase_timings.h"

#include <algorithm>
#include <utility>

namespace relayaudit {

namespace {

// 64 entries are about 100 KB at 10,000 virtual servers: few hand-overs, little held back.
constexpr std::size_t kBatchSize = 64;
// Spent batches kept for the producer: all of them, in effect. A batch is made only when none
// is spent, so no more exist than the queue holds plus the one being filled and the one being
// built (capacity / batch size + 2: 10 at the defaults, about 1 MB at 10,000 virtual servers).
// Keeping only 4 dropped the rest on the builder thread and made the producer decode into new
// entries, 60,000 allocations at 10,000 virtual servers (30,000 now; 19M of 831M instructions).
constexpr std::size_t kSpentBatches = 16;

} // namespace

SnapshotBuildThread::SnapshotBuildThread(pugi::xml_document& snapshot, RawValues rawValues,
                                         std::size_t capacity,
                                         SnapshotBuilder::ObjectBuilt objectBuilt)
    : builder_(snapshot, rawValues, std::move(objectBuilt)),
      capacity_(capacity == 0 ? 1 : capacity), batchSize_(std::min(kBatchSize, capacity_)),
      thread_([this] { run(); }) {}

SnapshotBuildThread::~SnapshotBuildThread() {
    {
        std::lock_guard lock(mutex_);
        queue_.clear(); // a failed collection: nothing more is built
        queued_ = 0;
    }
    stop();
}

void SnapshotBuildThread::add(DirectoryEntry&& entry) {
    if (pendingUsed_ < pending_.size())
        std::swap(pending_[pendingUsed_], entry);
    else
        pending_.push_back(std::move(entry));
    if (++pendingUsed_ >= batchSize_)
        handOver();
}

void SnapshotBuildThread::handOver() {
    pending_.resize(pendingUsed_); // spent entries not needed this time go
    pendingUsed_ = 0;
    if (pending_.empty())
        return;
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return queued_ + pending_.size() <= capacity_ || failure_; });
    if (failure_) {
        pending_.clear();
        return; // reported by finish()
    }
    queued_ += pending_.size();
    queue_.push_back(std::move(pending_));
    pending_ = {};
    if (!spent_.empty()) {
        pending_ = std::move(spent_.back());
        spent_.pop_back();
    } else {
        pending_.reserve(batchSize_);
    }
    changed_.notify_all();
}

void SnapshotBuildThread::run() {
    for (;;) {
        std::vector<DirectoryEntry> batch;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [this] { return !queue_.empty() || closed_; });
            if (queue_.empty())
                return; // closed and drained
            batch = std::move(queue_.front());
            queue_.pop_front();
            queued_ -= batch.size();
            changed_.notify_all();
        }
        try {
            PhaseSpan building(Phase::SnapshotBuild);
            for (auto& entry : batch)
                builder_.add(std::move(entry));
            std::lock_guard lock(mutex_);
            if (spent_.size() < kSpentBatches)
                spent_.push_back(std::move(batch));
        } catch (...) {
            std::lock_guard lock(mutex_);
            failure_ = std::current_exception();
            queue_.clear();
            queued_ = 0;
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
    handOver();
    stop();
    if (failure_)
        std::rethrow_exception(failure_);
    PhaseSpan building(Phase::SnapshotBuild);
    builder_.finish(context);
}

} // namespace relayaudit
