#pragma once
// RFC 2849 LDIF reader for exports made by ldapsearch and ldifde. Pure: text in, entries or a
// precise error out. Refuses what it does not support rather than guessing.
#include "directory.h"

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

struct LdifParseResult {
    std::vector<DirectoryEntry> entries; // origin = "file:line" of each record's dn line
    std::optional<LdifError> error;      // set: the file is refused as a whole
};

// Accepts: optional "version: 1", comments, folded lines, "::" base64 values (also for dn),
// CRLF or LF, any attribute name case, attribute options (dropped, e.g. ";binary"), and
// "changetype: add" records. Refuses: other change types, ":<" URL values (never fetched),
// malformed base64, lines without a colon, records without a dn.
LdifParseResult parseLdif(std::string_view text, std::string_view fileName);

} // namespace relayaudit
