#pragma once
// Outputs are written to a temporary file beside the target and renamed over it, so a failed run
// never leaves a half-written report and never destroys the previous one.
#include <optional>
#include <string>
#include <string_view>

namespace relayaudit {

// path "-" writes to standard output. Returns an error message on failure.
std::optional<std::string> writeFileAtomically(const std::string& path, std::string_view content);

// Reads a whole file (binary); "-" reads standard input. Returns an error message on failure.
std::optional<std::string> readWholeFile(const std::string& path, std::string& content);

} // namespace relayaudit
