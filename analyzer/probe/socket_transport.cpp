#include "socket_transport.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace relayaudit::probe {

namespace {

std::string addressText(const sockaddr* address) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text,
                  sizeof text);
    else if (address->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
                  sizeof text);
    return text;
}

} // namespace

int SocketTransport::millisecondsLeft() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

bool SocketTransport::waitFor(short events) {
    for (;;) {
        int left = millisecondsLeft();
        if (left <= 0)
            return false;
        pollfd entry{fd_, events, 0};
        int ready = ::poll(&entry, 1, left);
        if (ready < 0 && errno == EINTR)
            continue;
        return ready > 0;
    }
}

ConnectStatus SocketTransport::connect(const std::string& host, std::uint16_t port,
                                       std::string& detail) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    // Name resolution blocks outside the deadline; --probe-map with an address avoids it.
    int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    if (rc != 0) {
        detail = std::string("cannot resolve the name: ") + gai_strerror(rc);
        return ConnectStatus::Unresolved;
    }
    ConnectStatus status = ConnectStatus::Failed;
    for (auto* candidate = found; candidate; candidate = candidate->ai_next) {
        int fd =
            ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                     candidate->ai_protocol);
        if (fd < 0) {
            detail = std::strerror(errno);
            continue;
        }
        fd_ = fd;
        std::string address = addressText(candidate->ai_addr);
        int error = 0;
        if (::connect(fd, candidate->ai_addr, candidate->ai_addrlen) != 0) {
            error = errno;
            if (error == EINPROGRESS) {
                if (!waitFor(POLLOUT)) {
                    detail = "no TCP connection to " + address + " before the deadline";
                    status = ConnectStatus::Timeout;
                    ::close(fd);
                    fd_ = -1;
                    break; // the deadline is shared: no time left for other addresses
                }
                socklen_t length = sizeof error;
                ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
            }
        }
        if (error == 0) {
            detail = address;
            status = ConnectStatus::Connected;
            break;
        }
        detail = address + ": " + std::strerror(error);
        status = error == ECONNREFUSED ? ConnectStatus::Refused : ConnectStatus::Failed;
        ::close(fd);
        fd_ = -1;
    }
    ::freeaddrinfo(found);
    return status;
}

LineStatus SocketTransport::readLine(std::string& line) {
    for (;;) {
        auto newline = buffer_.find('\n');
        if (newline != std::string::npos) {
            line = buffer_.substr(0, newline);
            buffer_.erase(0, newline + 1);
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (line.size() > kMaxLineLength)
                return LineStatus::TooLong;
            return LineStatus::Line;
        }
        if (buffer_.size() > kMaxLineLength + 1)
            return LineStatus::TooLong; // stop reading: never buffer more than one line
        if (closed_ || fd_ < 0)
            return LineStatus::Closed;
        if (!hasPendingTls() && !waitFor(POLLIN))
            return millisecondsLeft() <= 0 ? LineStatus::Timeout : LineStatus::Failed;
        char chunk[1024];
        std::size_t room = kMaxLineLength + 2 - buffer_.size();
        long got = receive(chunk, std::min(sizeof chunk, room));
        if (got == -1)
            continue;
        if (got == -2)
            return LineStatus::Failed;
        if (got == 0)
            closed_ = true;
        buffer_.append(chunk, static_cast<std::size_t>(got));
    }
}

bool SocketTransport::writeLine(std::string_view line) {
    if (fd_ < 0)
        return false;
    std::string data(line);
    data += "\r\n";
    std::size_t sent = 0;
    while (sent < data.size()) {
        long wrote = transmit(data.data() + sent, data.size() - sent);
        if (wrote == -1 && waitFor(POLLOUT))
            continue;
        if (wrote < 0)
            return false;
        sent += static_cast<std::size_t>(wrote);
    }
    return true;
}

} // namespace relayaudit::probe
