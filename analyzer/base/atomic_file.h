#pragma once
// Outputs are written to a temporary file beside the target and renamed over it, so a failed run
// never leaves a half-written report and never destroys the previous one.
#include "output_sink.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

// path "-" writes to standard output. Returns an error message on failure.
std::optional<std::string> writeFileAtomically(const std::string& path, std::string_view content);

// Several outputs of one run, all or nothing: every content is first written to a temporary file
// beside its target; only when all of them are written are they renamed into place, each old
// target kept aside (a hard link, or renamed) until the whole set is in place. If anything
// fails, even the last rename, the targets already replaced are put back, the temporaries are
// removed and every target is left as it was. A replaced file keeps its old mode only when it
// was a regular file of the running user (masked to 0666), else it gets 0666 & ~umask; a symlink
// target is replaced by a regular file.
class AtomicFileSet {
public:
    AtomicFileSet() = default;
    AtomicFileSet(const AtomicFileSet&) = delete;
    AtomicFileSet& operator=(const AtomicFileSet&) = delete;
    ~AtomicFileSet(); // removes temporaries not committed

    // "-" is standard output, written at commit. Returns an error message on failure.
    std::optional<std::string> stage(const std::string& path, std::string_view content);
    // The same, with the content written by `write` straight into the temporary file (buffered),
    // so a large report is never held in memory; for "-" it is collected until commit.
    using ContentWriter = std::function<void(OutputSink&)>;
    std::optional<std::string> stage(const std::string& path, const ContentWriter& write);
    std::optional<std::string> commit();

private:
    struct Staged {
        std::string path;
        std::string temporary;   // empty for standard output
        std::string content;     // standard output only
        std::string backup;      // the old target, kept aside during commit
        bool movedAside = false; // backup is the old target renamed, not a second link
        bool replaced = false;   // the new content is in place
    };
    std::optional<std::string> keepOldTarget(Staged& staged);
    std::string restoreReplaced();
    void discardBackups();
    std::vector<Staged> staged_;
};

// The same for content written piece by piece (a large snapshot never held as one string).
std::optional<std::string> writeFileAtomically(const std::string& path,
                                               const AtomicFileSet::ContentWriter& write);

} // namespace relayaudit
