#include "input_file.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace relayaudit {

namespace {

std::atomic<std::uint64_t> processLimit{kDefaultMaxInputBytes};

constexpr std::string_view kStandardInput = "(standard input)";

std::string systemError(const std::string& path) {
    return "cannot read " + path + ": " + std::strerror(errno);
}

std::string whatToDo(const std::string& name) {
    return "raise --max-input-size (e.g. --max-input-size 4G) if the input is right, or check "
           "that " +
           name + " is the file you meant";
}

} // namespace

void setMaxInputBytes(std::uint64_t bytes) {
    processLimit.store(bytes);
}

std::uint64_t maxInputBytes() {
    return processLimit.load();
}

std::optional<std::uint64_t> parseByteSize(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
        ++digits;
    if (digits == 0 || digits > 15)
        return std::nullopt;
    std::uint64_t number = 0;
    for (std::size_t i = 0; i < digits; ++i)
        number = number * 10 + std::uint64_t(text[i] - '0');
    std::string suffix;
    for (char c : text.substr(digits))
        suffix += (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
    unsigned shift = 0;
    if (!suffix.empty() && suffix != "B") {
        const std::string_view units = "KMGT";
        const auto unit = units.find(suffix.front());
        const std::string_view rest = std::string_view(suffix).substr(1);
        if (unit == std::string_view::npos || !(rest.empty() || rest == "B" || rest == "IB"))
            return std::nullopt;
        shift = 10 * unsigned(unit + 1);
    }
    if (number == 0 || number > (std::uint64_t(1) << (60 - shift)))
        return std::nullopt;
    return number << shift;
}

std::string describeByteSize(std::uint64_t bytes) {
    const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024)
        return std::to_string(bytes) + " bytes";
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024 && unit < 3) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    if (value == double(std::uint64_t(value)))
        std::snprintf(text, sizeof text, "%llu %s", static_cast<unsigned long long>(value),
                      units[unit]);
    else
        std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

InputFile::~InputFile() {
    if (ownsFd_)
        ::close(fd_);
}

std::optional<std::string> InputFile::open(const std::string& path, std::uint64_t limit) {
    limit_ = limit;
    bytesRead_ = 0;
    error_.clear();
    const bool standardInput = path == "-";
    name_ = standardInput ? std::string(kStandardInput) : path;
    struct stat info {};
    if (standardInput) {
        fd_ = STDIN_FILENO;
        ownsFd_ = false;
        if (::fstat(fd_, &info) != 0)
            return systemError(name_);
    } else {
        if (::stat(path.c_str(), &info) != 0)
            return systemError(path);
        if (S_ISDIR(info.st_mode))
            return "cannot read " + path + ": it is a directory, give a file";
        // Regular files, and pipes for `--ldif <(ldapsearch ...)`; a device such as /dev/zero
        // would be read forever.
        if (!S_ISREG(info.st_mode) && !S_ISFIFO(info.st_mode))
            return "cannot read " + path + ": it is a device or socket, give a file";
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0)
            return systemError(path);
        ownsFd_ = true;
        if (::fstat(fd_, &info) != 0)
            return systemError(path);
    }
    regularFile_ = S_ISREG(info.st_mode);
    if (regularFile_)
        sizeHint_ = std::uint64_t(info.st_size);
    // A regular file says its size: one over the limit is refused before a byte is read.
    if (S_ISREG(info.st_mode) && std::uint64_t(info.st_size) > limit_)
        return name_ + " is " + std::to_string(info.st_size) + " bytes (" +
               describeByteSize(std::uint64_t(info.st_size)) +
               "), larger than the input size limit of " + describeByteSize(limit_) +
               "; nothing was read: " + whatToDo(name_);
    return std::nullopt;
}

std::optional<std::size_t> InputFile::read(char* buffer, std::size_t capacity) {
    if (!error_.empty())
        return std::nullopt;
    // One byte beyond the limit is asked for, to tell "exactly the limit" from "more".
    const std::uint64_t allowed = limit_ - std::min(limit_, bytesRead_) + 1;
    const std::size_t wanted = std::size_t(std::min<std::uint64_t>(capacity, allowed));
    ssize_t got = 0;
    do
        got = ::read(fd_, buffer, wanted);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        error_ = systemError(name_);
        return std::nullopt;
    }
    bytesRead_ += std::uint64_t(got);
    if (bytesRead_ > limit_) {
        error_ = name_ + " is larger than the input size limit of " + describeByteSize(limit_) +
                 " (stopped after reading " + std::to_string(bytesRead_) + " bytes); " +
                 whatToDo(name_);
        return std::nullopt;
    }
    return std::size_t(got);
}

std::optional<std::string> readWholeFile(const std::string& path, std::string& content,
                                         std::uint64_t limit) {
    content.clear();
    InputFile input;
    if (auto problem = input.open(path, limit))
        return problem;
    // Room for the whole of a regular file at once (one byte more to see its end): growing in
    // chunks copied a 200 MB snapshot several times over.
    content.reserve(std::size_t(input.sizeHint()) + 1);
    constexpr std::size_t kChunk = 64 * 1024;
    for (;;) {
        const std::size_t used = content.size();
        content.resize(used + kChunk);
        const auto got = input.read(content.data() + used, kChunk);
        if (!got) {
            content.clear();
            return input.error();
        }
        content.resize(used + *got);
        if (*got == 0)
            return std::nullopt;
    }
}

} // namespace relayaudit
