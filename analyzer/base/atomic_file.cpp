#include "atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace relayaudit {

namespace {

std::string systemError(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

// The process umask without changing it: umask() can only be read by setting it, which would
// race with threads creating files meanwhile, so Linux's /proc/self/status is asked first.
mode_t currentUmask() {
    if (std::ifstream status("/proc/self/status"); status) {
        std::string line;
        while (std::getline(status, line))
            if (line.rfind("Umask:", 0) == 0)
                return mode_t(std::stoul(line.substr(6), nullptr, 8)) & 0777;
    }
    mode_t mask = ::umask(0);
    ::umask(mask);
    return mask;
}

// The mode a new output gets. The old mode is kept (a snapshot kept 0600 stays 0600) only when
// the old file is a regular file of the running user: a mode someone else chose, or one read
// through a symlink, is not ours to copy. setuid, setgid, sticky and execute bits are never
// carried over (& 0666). Anything else gets what a plain open() would give under the umask.
mode_t outputMode(const std::string& path) {
    struct stat existing {};
    if (::lstat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode) &&
        existing.st_uid == ::geteuid())
        return existing.st_mode & 0666;
    return 0666 & ~currentUmask();
}

// Writes the content to a new temporary file beside path; returns its name, or an error.
std::optional<std::string> writeTemporary(const std::string& path,
                                          const AtomicFileSet::ContentWriter& write,
                                          std::string& temporary) {
    temporary = path + ".tmp.XXXXXX";
    int fd = mkstemp(temporary.data());
    if (fd < 0) {
        auto message = systemError("cannot create a temporary file beside", path) +
                       " (check that the directory exists and is writable)";
        temporary.clear();
        return message;
    }
    ::fchmod(fd, outputMode(path));
    {
        OutputSink sink(fd);
        try {
            write(sink);
        } catch (...) { // e.g. out of memory while rendering: leave no temporary behind
            sink.discard();
            ::close(fd);
            ::unlink(temporary.c_str());
            temporary.clear();
            throw;
        }
        if (int error = sink.flush(); error != 0) {
            errno = error;
            auto message = systemError("cannot write", temporary);
            ::close(fd);
            ::unlink(temporary.c_str());
            temporary.clear();
            return message + "; " + path + " was left as it was";
        }
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        auto message = systemError("cannot write", temporary);
        ::unlink(temporary.c_str());
        temporary.clear();
        return message + "; " + path + " was left as it was";
    }
    return std::nullopt;
}

std::optional<std::string> writeStandardOutput(std::string_view content) {
    std::cout.write(content.data(), std::streamsize(content.size()));
    std::cout.flush();
    if (!std::cout)
        return std::string("cannot write to standard output");
    return std::nullopt;
}

} // namespace

std::optional<std::string> writeFileAtomically(const std::string& path, std::string_view content) {
    return writeFileAtomically(path, [content](OutputSink& out) { out.append(content); });
}

std::optional<std::string> writeFileAtomically(const std::string& path,
                                               const AtomicFileSet::ContentWriter& write) {
    AtomicFileSet outputs;
    if (auto problem = outputs.stage(path, write))
        return problem;
    return outputs.commit();
}

AtomicFileSet::~AtomicFileSet() {
    for (const auto& staged : staged_)
        if (!staged.temporary.empty())
            ::unlink(staged.temporary.c_str());
}

std::optional<std::string> AtomicFileSet::stage(const std::string& path, std::string_view content) {
    return stage(path, [content](OutputSink& out) { out.append(content); });
}

std::optional<std::string> AtomicFileSet::stage(const std::string& path,
                                                const ContentWriter& write) {
    Staged staged;
    staged.path = path;
    if (path == "-") {
        OutputSink out(staged.content);
        write(out);
    } else if (auto problem = writeTemporary(path, write, staged.temporary)) {
        return problem;
    }
    staged_.push_back(std::move(staged));
    return std::nullopt;
}

std::optional<std::string> AtomicFileSet::commit() {
    // 1. Keep every old target aside, so that a failure later can put it back. Nothing is
    //    replaced yet: a failure here leaves every target as it was.
    for (auto& staged : staged_)
        if (!staged.temporary.empty())
            if (auto problem = keepOldTarget(staged))
                return *problem + restoreReplaced();
    // 2. Replace the targets; on a failure, put back those already replaced.
    for (std::size_t i = 0; i < staged_.size(); ++i) {
        Staged& staged = staged_[i];
        if (staged.temporary.empty())
            continue;
        if (std::rename(staged.temporary.c_str(), staged.path.c_str()) != 0) {
            auto problem = systemError("cannot replace", staged.path);
            return problem + restoreReplaced();
        }
        staged.temporary.clear();
        staged.replaced = true;
    }
    // 3. Standard output last: it cannot be taken back, the files can.
    for (auto& staged : staged_)
        if (staged.path == "-")
            if (auto problem = writeStandardOutput(staged.content))
                return *problem + restoreReplaced();
    discardBackups();
    staged_.clear();
    return std::nullopt;
}

// The old target stays reachable under a name beside it: a second hard link where the file
// system allows one (the target never disappears, not even for an instant), else the target
// itself is renamed aside (fs.protected_hardlinks refuses links to another user's file; the
// target is then missing for the moment until its replacement is renamed in). A symlink is linked
// as the symlink itself (link() does not follow it), so putting it back restores the symlink, not a
// copy of what it pointed to.
std::optional<std::string> AtomicFileSet::keepOldTarget(Staged& staged) {
    struct stat existing {};
    if (::lstat(staged.path.c_str(), &existing) != 0) {
        if (errno == ENOENT)
            return std::nullopt; // a new file: rolling back removes it
        return systemError("cannot inspect", staged.path);
    }
    if (S_ISDIR(existing.st_mode))
        return "cannot replace " + staged.path + ": it is a directory, give a file name";
    staged.backup = staged.temporary + ".old";
    if (::link(staged.path.c_str(), staged.backup.c_str()) == 0)
        return std::nullopt;
    if (errno != EPERM && errno != EMLINK && errno != EOPNOTSUPP && errno != EACCES) {
        auto problem = systemError("cannot keep the old version of", staged.path);
        staged.backup.clear();
        return problem;
    }
    if (std::rename(staged.path.c_str(), staged.backup.c_str()) != 0) {
        auto problem = systemError("cannot keep the old version of", staged.path);
        staged.backup.clear();
        return problem;
    }
    staged.movedAside = true;
    return std::nullopt;
}

// Puts every target back as it was before commit: a replaced one from its backup (or removed,
// when it did not exist before), one moved aside but not yet replaced by renaming it back.
// Returns what to add to the error message.
std::string AtomicFileSet::restoreReplaced() {
    std::string lost;
    for (auto& staged : staged_) {
        if (!staged.replaced && !staged.movedAside)
            continue;
        const bool ok = staged.backup.empty()
                            ? ::unlink(staged.path.c_str()) == 0 // it did not exist before
                            : std::rename(staged.backup.c_str(), staged.path.c_str()) == 0;
        if (ok)
            staged.backup.clear();
        else
            lost += (lost.empty() ? "" : ", ") + staged.path;
        staged.replaced = staged.movedAside = false;
    }
    discardBackups();
    if (!lost.empty())
        return "; could not put back the previous " + lost;
    return "; every output was left as it was";
}

// Drops the backups that are no longer needed: second links, and old targets moved aside whose
// replacement is in place. A target moved aside and not replaced is never dropped.
void AtomicFileSet::discardBackups() {
    for (auto& staged : staged_) {
        if (staged.backup.empty() || (staged.movedAside && !staged.replaced))
            continue;
        ::unlink(staged.backup.c_str());
        staged.backup.clear();
    }
}

} // namespace relayaudit
