#pragma once
// Every file input of a run (LDIF exports, snapshots, rule packs, waivers, reports to compare
// with, IMS registry exports, password files) is read through here: in chunks, from a file, a
// pipe or standard input, and never more than the input size limit (--max-input-size). Endless
// or huge input is refused with a message instead of filling memory (docs/design.md, "Inputs
// are streamed and bounded").
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace relayaudit {

inline constexpr std::uint64_t kDefaultMaxInputBytes = std::uint64_t(1) << 30; // 1 GiB

// The limit of every input of this run. Set once by the command line, before any input is read;
// process-wide so that every reader in every layer obeys the one --max-input-size.
void setMaxInputBytes(std::uint64_t bytes);
std::uint64_t maxInputBytes();

// "512M" -> 512 MiB: a number with an optional suffix K, M, G or T (powers of 1024, also written
// KiB/KB, any case). Nothing when malformed, zero or too large.
std::optional<std::uint64_t> parseByteSize(std::string_view text);
// 1073741824 -> "1 GiB", 1536 -> "1.5 KiB", 100 -> "100 bytes": for messages.
std::string describeByteSize(std::uint64_t bytes);

// One input opened for bounded reading.
class InputFile {
public:
    InputFile() = default;
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    ~InputFile();

    // path "-" is standard input. Refuses a missing file, a directory, a device named by path
    // (a device would be read forever), and a regular file already larger than `limit`.
    // Returns the message on failure.
    std::optional<std::string> open(const std::string& path, std::uint64_t limit = maxInputBytes());

    // Up to `capacity` bytes into `buffer`; 0 at the end of the input. Nothing on a read error or
    // once the input goes past the limit: then error() says what and what to do.
    std::optional<std::size_t> read(char* buffer, std::size_t capacity);

    const std::string& error() const { return error_; }
    const std::string& name() const { return name_; } // the path, or "(standard input)"
    std::uint64_t bytesRead() const { return bytesRead_; }
    // The size of a regular file when it was opened (0 for a pipe or standard input): room to
    // read it into at once, never a limit (the file may still grow or shrink).
    std::uint64_t sizeHint() const { return sizeHint_; }
    // Whether it is a regular file, which can be opened and read again (a pipe cannot).
    bool isRegularFile() const { return regularFile_; }

private:
    int fd_ = -1;
    bool ownsFd_ = false;
    std::string name_;
    std::string error_;
    std::uint64_t limit_ = 0;
    std::uint64_t bytesRead_ = 0;
    std::uint64_t sizeHint_ = 0;
    bool regularFile_ = false;
};

// Reads a whole input (binary) within `limit`; "-" reads standard input. Returns the message on
// failure.
std::optional<std::string> readWholeFile(const std::string& path, std::string& content,
                                         std::uint64_t limit = maxInputBytes());

} // namespace relayaudit
