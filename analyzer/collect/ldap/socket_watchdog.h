#pragma once
// Bounds a blocking libldap call that has no working timeout of its own. Found by testing
// against a SIGSTOPped slapd: with libldap 2.5.13 (GnuTLS) the TLS handshake spins forever despite
// LDAP_OPT_NETWORK_TIMEOUT, and ldap_start_tls_s waits forever despite LDAP_OPT_TIMEOUT. When the
// time is up the watchdog shuts the socket down (it does not close it: libldap still owns the
// descriptor), so the stuck call fails and we report a timeout.
#include <condition_variable>
#include <mutex>
#include <thread>

namespace relayaudit::ldapcollect {

class SocketWatchdog {
public:
    SocketWatchdog(int fd, int seconds);
    ~SocketWatchdog();
    SocketWatchdog(const SocketWatchdog&) = delete;
    SocketWatchdog& operator=(const SocketWatchdog&) = delete;

    // True once the time ran out and the socket was shut down.
    bool fired();

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool done_ = false;
    bool fired_ = false;
    std::thread thread_; // last: starts after the members it uses exist
};

} // namespace relayaudit::ldapcollect
