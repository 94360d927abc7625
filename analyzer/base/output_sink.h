#pragma once
// Where a report goes while it is written: a file descriptor through a fixed buffer, or a string.
// Reports are written piece by piece into a sink, so a 10,000-finding document never exists in
// memory twice (no DOM, no serialise-then-copy) and a file output costs one buffer.
#include <cstddef>
#include <string>
#include <string_view>

namespace relayaudit {

class OutputSink {
public:
    // Bytes collected before one write(2): large enough that a report costs a few hundred calls.
    static constexpr std::size_t kBufferSize = 64 * 1024;

    explicit OutputSink(std::string& target); // appends to target, unbuffered
    explicit OutputSink(int fd);              // buffered; the caller owns and closes fd
    OutputSink(const OutputSink&) = delete;
    OutputSink& operator=(const OutputSink&) = delete;
    ~OutputSink(); // flushes; call flush() first to see an error

    void append(std::string_view text) {
        if (target_) {
            target_->append(text);
            return;
        }
        if (buffer_.size() + text.size() > kBufferSize)
            drain();
        if (text.size() >= kBufferSize)
            writeThrough(text);
        else
            buffer_.append(text);
    }
    void push_back(char c) {
        if (target_) {
            target_->push_back(c);
            return;
        }
        if (buffer_.size() == kBufferSize)
            drain();
        buffer_.push_back(c);
    }
    OutputSink& operator+=(std::string_view text) {
        append(text);
        return *this;
    }
    OutputSink& operator+=(char c) {
        push_back(c);
        return *this;
    }
    OutputSink& operator+=(const std::string& text) { return *this += std::string_view(text); }
    OutputSink& operator+=(const char* text) { return *this += std::string_view(text); }

    // Writes what is buffered. 0 on success, else the errno of the first failed write (later
    // writes are dropped once one failed, so the error names the first cause).
    int flush();
    int error() const { return error_; }
    // Drops what is buffered and writes nothing more (the output is being abandoned).
    void discard() {
        buffer_.clear();
        target_ = nullptr;
        fd_ = -1;
        error_ = error_ ? error_ : -1;
    }

private:
    void drain();
    void writeThrough(std::string_view text);
    void startWriteBack();

    std::string* target_ = nullptr;
    int fd_ = -1;
    int error_ = 0;
    std::string buffer_;
    std::size_t written_ = 0;       // bytes written to fd_ by this sink
    std::size_t writeBackFrom_ = 0; // where the write-back not yet started begins
};

} // namespace relayaudit
