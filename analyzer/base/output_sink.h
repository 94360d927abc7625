#pragma once
// Where a report goes while it is written: a file descriptor or a string, through a fixed buffer.
// Reports are written piece by piece into a sink, so a 10,000-finding document never exists in
// memory twice (no DOM, no serialise-then-copy) and a file output costs one buffer.
//
// A piece that fits in the buffer is one bounds check and a memcpy, inline: the XML report makes
// about 350,000 appends at 10,000 virtual servers, and through std::string::append, out of line,
// they were a sixth of writing it (issue 10).
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace relayaudit {

class OutputSink {
public:
    // Bytes collected before one write(2): large enough that a report costs a few hundred calls.
    static constexpr std::size_t kBufferSize = 64 * 1024;

    // Appends to target, through the buffer: target holds everything written only once the sink
    // is flushed or destroyed.
    explicit OutputSink(std::string& target);
    explicit OutputSink(int fd); // the caller owns and closes fd
    OutputSink(const OutputSink&) = delete;
    OutputSink& operator=(const OutputSink&) = delete;
    ~OutputSink(); // flushes; call flush() first to see an error

    void append(std::string_view text) {
        if (text.size() <= std::size_t(end_ - next_)) {
            if (!text.empty()) // memcpy's pointers must not be null, even for no bytes
                std::memcpy(next_, text.data(), text.size());
            next_ += text.size();
            return;
        }
        appendPastBuffer(text);
    }
    void push_back(char c) {
        if (next_ != end_) {
            *next_++ = c;
            return;
        }
        appendPastBuffer(std::string_view(&c, 1));
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
    void discard();

private:
    void appendPastBuffer(std::string_view text); // the buffer is too full for text
    void drain();
    void writeThrough(std::string_view text);
    void startWriteBack();

    std::unique_ptr<char[]> buffer_;
    char* next_ = nullptr; // where the next byte goes
    char* end_ = nullptr;  // the end of the buffer; next_ == end_ == null once discarded
    std::string* target_ = nullptr;
    int fd_ = -1;
    int error_ = 0;
    std::size_t written_ = 0;       // bytes written to fd_ by this sink
    std::size_t writeBackFrom_ = 0; // where the write-back not yet started begins
};

} // namespace relayaudit
