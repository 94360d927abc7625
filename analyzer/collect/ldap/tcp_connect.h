#pragma once
// Our own TCP connect, bounded by the timeout, so that the descriptor is ours to guard with a
// SocketWatchdog during the TLS handshake (libldap's ldap_connect would do the handshake inside).
#include <string>

namespace relayaudit::ldapcollect {

struct TcpResult {
    int fd = -1; // a connected, blocking socket; the caller owns it
    bool timedOut = false;
    std::string problem; // when fd < 0
};

// Tries every address of host in turn until one connects; the whole attempt takes at most
// seconds.
TcpResult connectTcp(const std::string& host, int port, int seconds);

} // namespace relayaudit::ldapcollect
