#include "tcp_connect.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace relayaudit::ldapcollect {
namespace {

struct AddressInfoFree {
    void operator()(addrinfo* info) const noexcept { freeaddrinfo(info); }
};

} // namespace

TcpResult connectTcp(const std::string& host, int port, int seconds) {
    TcpResult result;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    std::string service = std::to_string(port);
    int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &raw);
    std::unique_ptr<addrinfo, AddressInfoFree> addresses(raw);
    if (rc != 0) {
        result.problem = std::string("cannot resolve the host name: ") + gai_strerror(rc);
        return result;
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (auto* address = raw; address; address = address->ai_next) {
        int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                          address->ai_protocol);
        if (fd < 0) {
            result.problem = std::strerror(errno);
            continue;
        }
        int error = 0;
        if (::connect(fd, address->ai_addr, address->ai_addrlen) != 0) {
            error = errno;
            if (error == EINPROGRESS) {
                auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now());
                pollfd waiting{fd, POLLOUT, 0};
                int ready = left.count() > 0 ? ::poll(&waiting, 1, int(left.count())) : 0;
                if (ready == 0) {
                    ::close(fd);
                    result.timedOut = true;
                    result.problem = "no answer";
                    return result;
                }
                socklen_t length = sizeof error;
                error = 0;
                if (ready < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
                    error = errno;
            }
        }
        if (error != 0) {
            ::close(fd);
            result.problem = std::strerror(error);
            continue;
        }
        // libldap expects a blocking socket (it switches modes itself where it needs to).
        int flags = ::fcntl(fd, F_GETFL);
        if (flags >= 0)
            ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        // LDAP is request/answer in small messages: without TCP_NODELAY the bind's second TLS
        // record waits on the server's delayed ACK (~40 ms, issue 10). Best effort: a socket
        // that refuses it still works, only slower.
        int noDelay = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &noDelay, sizeof noDelay);
        result.fd = fd;
        return result;
    }
    if (result.problem.empty())
        result.problem = "no address";
    return result;
}

} // namespace relayaudit::ldapcollect
