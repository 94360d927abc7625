#include "output_sink.h"

#include <cerrno>
#include <fcntl.h> // sync_file_range
#include <unistd.h>

namespace relayaudit {

OutputSink::OutputSink(std::string& target)
    : buffer_(new char[kBufferSize]), next_(buffer_.get()), end_(next_ + kBufferSize),
      target_(&target) {}

OutputSink::OutputSink(int fd)
    : buffer_(new char[kBufferSize]), next_(buffer_.get()), end_(next_ + kBufferSize), fd_(fd) {}

OutputSink::~OutputSink() {
    flush();
}

int OutputSink::flush() {
    drain();
    return error_;
}

void OutputSink::discard() {
    next_ = end_ = nullptr; // every later append goes to appendPastBuffer, which drops it
    target_ = nullptr;
    fd_ = -1;
    error_ = error_ ? error_ : -1;
}

void OutputSink::drain() {
    if (!next_ || next_ == buffer_.get())
        return;
    const std::string_view buffered(buffer_.get(), std::size_t(next_ - buffer_.get()));
    next_ = buffer_.get();
    writeThrough(buffered);
}

void OutputSink::appendPastBuffer(std::string_view text) {
    if (!next_)
        return; // discarded
    drain();
    if (text.size() >= kBufferSize) {
        writeThrough(text);
        return;
    }
    std::memcpy(next_, text.data(), text.size());
    next_ += text.size();
}

void OutputSink::writeThrough(std::string_view text) {
    if (target_) {
        target_->append(text);
        return;
    }
    while (!text.empty() && error_ == 0) {
        ssize_t written = ::write(fd_, text.data(), text.size());
        if (written < 0) {
            if (errno != EINTR)
                error_ = errno;
            continue;
        }
        text.remove_prefix(std::size_t(written));
        written_ += std::size_t(written);
    }
    startWriteBack();
}

// The outputs are fsync'ed before they are renamed into place; the write-back of what is
// already written is started every megabyte, so that the fsync at the end waits for the last
// part only (at 10,000 virtual servers the XML report's fsync took 5 ms, all of it after the
// report was rendered). Only a hint: a pipe or a terminal refuses it, and errors are for the
// fsync to report.
void OutputSink::startWriteBack() {
#ifdef __linux__
    constexpr std::size_t kWriteBackStep = 1024 * 1024;
    if (written_ - writeBackFrom_ < kWriteBackStep)
        return;
    ::sync_file_range(fd_, off64_t(writeBackFrom_), off64_t(written_ - writeBackFrom_),
                      SYNC_FILE_RANGE_WRITE);
    writeBackFrom_ = written_;
#endif
}

} // namespace relayaudit
