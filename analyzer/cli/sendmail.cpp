#include "sendmail.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace relayaudit {

namespace {

// A sendmail that exits early must give an error, not kill relayaudit with SIGPIPE.
class IgnoredSigpipe {
public:
    IgnoredSigpipe() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &ignore, &previous_);
    }
    ~IgnoredSigpipe() { sigaction(SIGPIPE, &previous_, nullptr); }
    IgnoredSigpipe(const IgnoredSigpipe&) = delete;
    IgnoredSigpipe& operator=(const IgnoredSigpipe&) = delete;

private:
    struct sigaction previous_ {};
};

bool writeAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

std::string sendmailProgram(const std::string& fromOption) {
    if (!fromOption.empty())
        return fromOption;
    if (const char* fromEnvironment = std::getenv("RELAYAUDIT_SENDMAIL");
        fromEnvironment && *fromEnvironment)
        return fromEnvironment;
    return "/usr/sbin/sendmail";
}

std::optional<std::string> runSendmail(const std::string& program, const std::string& message,
                                       const std::string& envelopeFrom) {
    IgnoredSigpipe sigpipe;
    int input[2];
    if (::pipe2(input, O_CLOEXEC) != 0)
        return std::string("cannot create a pipe: ") + std::strerror(errno);
    pid_t child = ::fork();
    if (child < 0) {
        int error = errno;
        ::close(input[0]);
        ::close(input[1]);
        return std::string("cannot start ") + program + ": " + std::strerror(error);
    }
    if (child == 0) {
        ::dup2(input[0], STDIN_FILENO);
        // Bounces go to --mail-from, not to the service account.
        const char* arguments[] = {
            program.c_str(),      "-t",   "-oi", envelopeFrom.empty() ? nullptr : "-f",
            envelopeFrom.c_str(), nullptr};
        ::execv(program.c_str(), const_cast<char* const*>(arguments));
        _exit(127);
    }
    ::close(input[0]);
    bool written = writeAll(input[1], message);
    ::close(input[1]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return program + " could not be run (missing or not executable; install an MTA, or "
                         "give --sendmail PROGRAM)";
    if (WIFSIGNALED(status))
        return program + " was killed by signal " + std::to_string(WTERMSIG(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        return program + " exited with status " + std::to_string(WEXITSTATUS(status));
    if (!written)
        return program + " did not read the whole message";
    return std::nullopt;
}

} // namespace relayaudit
