#pragma once
// A TCP connection with plain POSIX sockets: non-blocking connect and poll() against one
// deadline for the whole dialogue, so neither a silent server nor a trickling one can hold the
// probe past --probe-timeout. Lines are cut at kMaxLineLength.
#include "smtp_reply.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace relayaudit::probe {

using Clock = std::chrono::steady_clock;

enum class ConnectStatus { Connected, Refused, Timeout, Unresolved, Failed };

class SocketTransport final : public SmtpTransport {
public:
    // tlsHost: the name the server certificate must carry; caFile: trust anchors (PEM), empty =
    // the system's.
    SocketTransport(Clock::time_point deadline, std::string tlsHost = {}, std::string caFile = {});
    ~SocketTransport() override;
    SocketTransport(const SocketTransport&) = delete;
    SocketTransport& operator=(const SocketTransport&) = delete;

    // Tries each address host resolves to until one connects. detail says what failed, or the
    // address connected to.
    ConnectStatus connect(const std::string& host, std::uint16_t port, std::string& detail);

    LineStatus readLine(std::string& line) override;
    bool writeLine(std::string_view line) override;
    bool startTls(std::string& error) override;

private:
    int millisecondsLeft() const;
    bool waitFor(short events);                 // false on deadline or error
    long receive(char* into, std::size_t size); // >0 bytes, 0 closed, -1 again, -2 error
    long transmit(const char* from, std::size_t size);
    bool hasPendingTls() const; // decrypted bytes waiting inside GnuTLS

    Clock::time_point deadline_;
    int fd_ = -1;
    std::string buffer_; // bytes received and not yet returned as lines (< kMaxLineLength + 1)
    bool closed_ = false;
    std::string tlsHost_;
    std::string caFile_;
    struct Tls;
    std::unique_ptr<Tls> tls_; // after STARTTLS
};

} // namespace relayaudit::probe
