#include "ldif_lines.h"

#include "input_file.h"

#include <cstring>

namespace relayaudit::ldif {

namespace {

// Bytes asked of the source at a time: few system calls, and what a line costs beyond its
// length.
constexpr std::size_t kChunkBytes = 64 * 1024;
// A line longer than this that is not a comment or a continuation is checked for NUL bytes in
// its first bytes before it is read to its end: binary data (a disk image, /dev/zero, a sparse
// file) is refused at its first line instead of after the line limit. No LDIF writer puts a NUL
// in a line (RFC 2849: such values are base64).
constexpr std::size_t kBinaryCheckBytes = 64 * 1024;

bool isBlankChar(char c) {
    return c == ' ' || c == '\t';
}

bool isBlankLine(std::string_view content) {
    for (char c : content)
        if (!isBlankChar(c))
            return false;
    return true;
}

bool isContinuation(std::string_view content) {
    return !content.empty() && content.front() == ' ' && !isBlankLine(content);
}

std::string tooLong(std::size_t line, const LdifLimits& limits, const char* which) {
    return "line " + std::to_string(line) + which + " is longer than " +
           describeByteSize(limits.maxLineBytes) +
           ", the limit of one LDIF line; no Exchange setting is that large: check that the "
           "file is the LDIF export you meant";
}

} // namespace

void fail(std::size_t line, std::string message) {
    throw LdifFailure{line, std::move(message)};
}

PhysicalLineReader::PhysicalLineReader(LdifSource source, const LdifLimits& limits)
    : source_(std::move(source)), limits_(limits) {}

bool PhysicalLineReader::fill() {
    if (atEnd_)
        return false;
    // What was handed out is dropped; the unfinished line moves to the front. While one line
    // spans many chunks, begin_ stays 0 and nothing moves again, so reading stays linear.
    if (begin_ > 0) {
        buffer_.erase(0, begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (buffer_.size() < end_ + kChunkBytes)
        buffer_.resize(end_ + kChunkBytes);
    const std::size_t got = source_(buffer_.data() + end_, kChunkBytes);
    if (got == 0) {
        atEnd_ = true;
        return false;
    }
    end_ += got;
    return true;
}

void PhysicalLineReader::checkLongLine(std::size_t length) {
    const std::size_t number = lineNumber_ + 1;
    if (length > limits_.maxLineBytes)
        fail(number, tooLong(number, limits_, ""));
    if (length <= kBinaryCheckBytes || binaryCheckedLine_ == number)
        return;
    binaryCheckedLine_ = number;
    const char first = buffer_[begin_];
    if (first == '#' || first == ' ')
        return; // a comment, or the continuation of a line checked by its own rules
    const void* nul = std::memchr(buffer_.data() + begin_, '\0', kBinaryCheckBytes);
    if (!nul)
        return;
    const std::size_t column =
        std::size_t(static_cast<const char*>(nul) - buffer_.data()) - begin_ + 1;
    fail(number, "line " + std::to_string(number) + " holds a NUL byte at column " +
                     std::to_string(column) + " and is longer than " +
                     describeByteSize(kBinaryCheckBytes) +
                     ": this is binary data, not LDIF text; give the export written by "
                     "ldapsearch or ldifde -f");
}

bool PhysicalLineReader::next(PhysicalLine& line) {
    std::size_t scanned = 0; // bytes of the current line searched for its end
    const char* newline = nullptr;
    for (;;) {
        newline = static_cast<const char*>(
            std::memchr(buffer_.data() + begin_ + scanned, '\n', end_ - begin_ - scanned));
        if (newline)
            break;
        scanned = end_ - begin_;
        checkLongLine(scanned);
        if (!fill())
            break;
    }
    if (!newline && begin_ == end_)
        return false;
    const char* start = buffer_.data() + begin_;
    std::size_t length = newline ? std::size_t(newline - start) : end_ - begin_;
    checkLongLine(length);
    begin_ += newline ? length + 1 : length;
    // RFC 2849: SEP = CR LF / LF. Files may mix both; a CR right before the end of the file is a
    // CRLF cut short and is dropped too.
    if (length > 0 && start[length - 1] == '\r')
        --length;
    line.content = std::string_view(start, length);
    line.number = ++lineNumber_;
    return true;
}

std::string_view PhysicalLineReader::peek(std::size_t count) {
    while (end_ - begin_ < count && fill()) {
    }
    return std::string_view(buffer_.data() + begin_, std::min(count, end_ - begin_));
}

void PhysicalLineReader::skip(std::size_t count) {
    begin_ += std::min(count, end_ - begin_);
}

std::pair<std::size_t, std::size_t> LogicalLine::locate(std::size_t offset) const {
    const LineSegment* found = &segments.front();
    for (const auto& segment : segments)
        if (segment.logicalOffset <= offset)
            found = &segment;
    return {found->lineNumber, offset - found->logicalOffset + found->firstColumn};
}

LogicalLineReader::LogicalLineReader(PhysicalLineReader& physical, const LdifLimits& limits)
    : physical_(physical), limits_(limits) {}

bool LogicalLineReader::next(LogicalLine& line) {
    if (!started_) {
        havePending_ = physical_.next(pending_);
        started_ = true;
    }
    if (!havePending_)
        return false;
    // Copied: reading the next physical line may move the reader's buffer.
    unfolded_.assign(pending_.content);
    const std::size_t firstNumber = pending_.number;
    line.firstLine = firstNumber;
    line.segments.clear();
    line.segments.push_back({0, firstNumber, 1});

    // A line of only spaces/tabs separates records like an empty line: ldapsearch never writes
    // one, but hand-edited files do, and a stray space must not glue two records together. (A
    // fold that leaves only spaces on a line is thereby not supported; writers base64-encode
    // values with trailing spaces, RFC 2849 note 8.)
    if (isBlankLine(unfolded_)) {
        havePending_ = physical_.next(pending_);
        line.blank = true;
        line.content = {};
        previousWasBlank_ = true;
        return true;
    }
    // RFC 2849: "Any line that begins with a single space is a continuation of the previous
    // (non-empty) line." With nothing to continue the line has no meaning.
    if (unfolded_.front() == ' ') {
        fail(firstNumber,
             "line starts with a space, which marks the continuation of a folded line, but "
             "there is no line to continue (it follows " +
                 std::string(previousWasBlank_ ? "a blank line" : "the start of the file") +
                 "); remove the leading space or the blank line above it");
    }
    previousWasBlank_ = false;
    line.blank = false;
    havePending_ = physical_.next(pending_);
    // Folded: only the space that marks a continuation is removed (RFC 2849 note 2); a second
    // space belongs to the value.
    while (havePending_ && isContinuation(pending_.content)) {
        if (unfolded_.size() + pending_.content.size() - 1 > limits_.maxLineBytes)
            fail(firstNumber, tooLong(firstNumber, limits_, " (with its continuation lines)"));
        line.segments.push_back({unfolded_.size(), pending_.number, 2});
        unfolded_.append(pending_.content.substr(1));
        havePending_ = physical_.next(pending_);
    }
    line.content = unfolded_;
    return true;
}

} // namespace relayaudit::ldif
