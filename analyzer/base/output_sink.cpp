#include "output_sink.h"

#include <cerrno>
#include <unistd.h>

namespace relayaudit {

OutputSink::OutputSink(std::string& target) : target_(&target) {}

OutputSink::OutputSink(int fd) : fd_(fd) {
    buffer_.reserve(kBufferSize);
}

OutputSink::~OutputSink() {
    flush();
}

int OutputSink::flush() {
    drain();
    return error_;
}

void OutputSink::drain() {
    if (target_ || buffer_.empty())
        return;
    writeThrough(buffer_);
    buffer_.clear();
}

void OutputSink::writeThrough(std::string_view text) {
    while (!text.empty() && error_ == 0) {
        ssize_t written = ::write(fd_, text.data(), text.size());
        if (written < 0) {
            if (errno != EINTR)
                error_ = errno;
            continue;
        }
        text.remove_prefix(std::size_t(written));
    }
}

} // namespace relayaudit
