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
} // namespace

std::optional<std::string> writeFileAtomically(const std::string& path, std::string_view content) {
    if (path == "-") {
        std::cout.write(content.data(), std::streamsize(content.size()));
        std::cout.flush();
        if (!std::cout)
            return std::string("cannot write to standard output");
        return std::nullopt;
    }
    std::string temporary = path + ".tmp.XXXXXX";
    int fd = mkstemp(temporary.data());
    if (fd < 0)
        return systemError("cannot create a temporary file beside", path) +
               " (check that the directory exists and is writable)";
    // mkstemp creates 0600; a report is meant to be read by the people it is mailed to.
    fchmod(fd, 0644);
    const char* cursor = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        ssize_t written = ::write(fd, cursor, left);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            auto message = systemError("cannot write", temporary);
            ::close(fd);
            ::unlink(temporary.c_str());
            return message + "; " + path + " was left as it was";
        }
        cursor += written;
        left -= std::size_t(written);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        auto message = systemError("cannot write", temporary);
        ::unlink(temporary.c_str());
        return message + "; " + path + " was left as it was";
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        auto message = systemError("cannot replace", path);
        ::unlink(temporary.c_str());
        return message;
    }
    return std::nullopt;
}

std::optional<std::string> readWholeFile(const std::string& path, std::string& content) {
    if (path == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        content = buffer.str();
        return std::nullopt;
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        return systemError("cannot read", path);
    if (S_ISDIR(info.st_mode))
        return "cannot read " + path + ": it is a directory, give a file";
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return systemError("cannot read", path);
    content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad())
        return systemError("cannot read", path);
    return std::nullopt;
}

} // namespace relayaudit
