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

// The mode a new output gets: the existing target's mode when it is replaced (a snapshot kept
// 0600 stays 0600), else what a plain open() would give under the caller's umask.
mode_t outputMode(const std::string& path) {
    struct stat existing {};
    if (::stat(path.c_str(), &existing) == 0)
        return existing.st_mode & 07777;
    mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
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
    AtomicFileSet outputs;
    if (auto problem = outputs.stage(path, content))
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
    Staged staged{path, {}, {}};
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
    for (auto& staged : staged_) {
        if (staged.path == "-") {
            if (auto problem = writeStandardOutput(staged.content))
                return problem;
            continue;
        }
        if (std::rename(staged.temporary.c_str(), staged.path.c_str()) != 0)
            return systemError("cannot replace", staged.path);
        staged.temporary.clear();
    }
    staged_.clear();
    return std::nullopt;
}

} // namespace relayaudit
