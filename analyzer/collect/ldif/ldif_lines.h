#pragma once
// The line layer of the LDIF reader (internal to ldif_reader.cpp): PhysicalLineReader reads the
// input in chunks and splits it into lines (LF or CRLF), LogicalLineReader unfolds continuation
// lines. Only the current line and one chunk of look-ahead are held, so memory follows the
// longest line, not the file; a line over LdifLimits::maxLineBytes is refused by number.
#include "ldif_reader.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relayaudit::ldif {

// Thrown inside the reader only; LdifReader turns it into LdifError and never lets it escape.
struct LdifFailure {
    std::size_t line;
    std::string message;
};

[[noreturn]] void fail(std::size_t line, std::string message);

// One line of the file without its terminator; the view is valid until the next read.
struct PhysicalLine {
    std::string_view content;
    std::size_t number = 0; // 1-based
};

class PhysicalLineReader {
public:
    PhysicalLineReader(LdifSource source, const LdifLimits& limits);

    bool next(PhysicalLine& line);
    // The first bytes of the input (fewer at its end), without consuming them: the byte order
    // mark check needs them before any line is read.
    std::string_view peek(std::size_t count);
    void skip(std::size_t count);

private:
    bool fill(); // reads one more chunk behind what is buffered; false at the end
    void checkLongLine(std::size_t length); // of the line being read

    LdifSource source_;
    LdifLimits limits_;
    std::string buffer_;
    std::size_t begin_ = 0; // first byte not yet handed out
    std::size_t end_ = 0;   // end of the bytes read
    bool atEnd_ = false;
    std::size_t lineNumber_ = 0;
    std::size_t binaryCheckedLine_ = 0;
};

// Where a piece of an unfolded line came from, to report columns in the file as the user sees
// it rather than in the unfolded text.
struct LineSegment {
    std::size_t logicalOffset; // offset of this piece in the unfolded content
    std::size_t lineNumber;
    std::size_t firstColumn; // 1-based column of the piece's first byte in its physical line
};

struct LogicalLine {
    std::string_view content; // unfolded; valid until the next call to LogicalLineReader::next
    std::size_t firstLine = 0;
    bool blank = false;
    std::vector<LineSegment> segments;

    // Physical line and 1-based column of a byte of the unfolded content.
    std::pair<std::size_t, std::size_t> locate(std::size_t offset) const;
};

class LogicalLineReader {
public:
    LogicalLineReader(PhysicalLineReader& physical, const LdifLimits& limits);
    bool next(LogicalLine& line);

private:
    PhysicalLineReader& physical_;
    LdifLimits limits_;
    PhysicalLine pending_;
    bool started_ = false;
    bool havePending_ = false;
    bool previousWasBlank_ = false;
    std::string unfolded_;
};

} // namespace relayaudit::ldif
