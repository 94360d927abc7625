#pragma once
// RFC 2849 LDIF reader for exports made by ldapsearch and ldifde. Pure: bytes in, entries or a
// precise error out. Refuses what it does not support rather than guessing. Reads its input in
// chunks and hands out one entry at a time, so memory follows the largest entry, not the file.
#include "directory.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

struct LdifError {
    std::string file;
    std::size_t line = 0; // 1-based line of the offending (unfolded) line
    std::string message;  // what is wrong and what to do
    std::string describe() const { return file + ":" + std::to_string(line) + ": " + message; }
};

// What one line and one record may hold (docs/design.md, "Inputs are streamed and bounded"): the
// largest Exchange values (relay lists, security descriptors) are a few MiB of base64.
struct LdifLimits {
    std::size_t maxLineBytes = std::size_t(64) << 20; // one logical line, folds joined
    // One record as held in memory: each value's bytes plus sizeof(std::string).
    std::size_t maxRecordBytes = std::size_t(256) << 20;
};

// Fills `buffer` with up to `capacity` bytes of input; returns 0 at the end. May throw: what it
// throws passes through LdifReader unchanged (e.g. the input size limit of the caller).
using LdifSource = std::function<std::size_t(char* buffer, std::size_t capacity)>;

// Accepts: optional "version: 1", comments, folded lines, "::" base64 values (also for dn),
// CRLF or LF, any attribute name case, attribute options (dropped, e.g. ";binary"), and
// "changetype: add" records. Refuses: other change types, ":<" URL values (never fetched),
// malformed base64, lines without a colon, records without a dn, lines and records over the
// limits, and binary data.
class LdifReader {
public:
    LdifReader(LdifSource source, std::string fileName, LdifLimits limits = {});
    ~LdifReader();
    LdifReader(const LdifReader&) = delete;
    LdifReader& operator=(const LdifReader&) = delete;

    // The next entry (origin = "file:line" of its dn line). False at the end of the input or on
    // an error (then error() is set, and the entries handed out before it are not to be used:
    // the file is refused as a whole).
    bool next(DirectoryEntry& entry);
    const std::optional<LdifError>& error() const;

private:
    class Parser;
    std::unique_ptr<Parser> parser_;
};

struct LdifParseResult {
    std::vector<DirectoryEntry> entries; // origin = "file:line" of each record's dn line
    std::optional<LdifError> error;      // set: the file is refused as a whole
};

// The whole text at once, through LdifReader (tests, fuzzing, the benchmark).
LdifParseResult parseLdif(std::string_view text, std::string_view fileName,
                          const LdifLimits& limits = {});

} // namespace relayaudit
