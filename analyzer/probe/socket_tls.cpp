// STARTTLS for the probe's socket transport, with GnuTLS: the server certificate must chain to
// --ca-file (or the system's trust store) and carry the endpoint's host name, as for LDAP. The
// handshake and every record run against the same deadline as the rest of the dialogue.
#include "socket_transport.h"

#include <cerrno>
#include <gnutls/gnutls.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace relayaudit::probe {

struct SocketTransport::Tls {
    gnutls_session_t session = nullptr;
    gnutls_certificate_credentials_t credentials = nullptr;
    ~Tls() {
        if (session) {
            gnutls_deinit(session);
        }
        if (credentials)
            gnutls_certificate_free_credentials(credentials);
    }
};

SocketTransport::SocketTransport(Clock::time_point deadline, std::string tlsHost,
                                 std::string caFile)
    : deadline_(deadline), tlsHost_(std::move(tlsHost)), caFile_(std::move(caFile)) {}

SocketTransport::~SocketTransport() {
    tls_.reset();
    if (fd_ >= 0)
        ::close(fd_);
}

bool SocketTransport::hasPendingTls() const {
    return tls_ && gnutls_record_check_pending(tls_->session) > 0;
}

long SocketTransport::receive(char* into, std::size_t size) {
    if (!tls_) {
        ssize_t got = ::recv(fd_, into, size, 0);
        if (got >= 0)
            return got;
        if (errno == EINTR || errno == EAGAIN)
            return -1;
        return errno == ECONNRESET ? 0 : -2;
    }
    ssize_t got = gnutls_record_recv(tls_->session, into, size);
    if (got >= 0)
        return got;
    if (got == GNUTLS_E_AGAIN || got == GNUTLS_E_INTERRUPTED)
        return -1;
    return got == GNUTLS_E_PREMATURE_TERMINATION ? 0 : -2;
}

long SocketTransport::transmit(const char* from, std::size_t size) {
    if (!tls_) {
        ssize_t wrote = ::send(fd_, from, size, MSG_NOSIGNAL);
        if (wrote >= 0)
            return wrote;
        return errno == EINTR || errno == EAGAIN ? -1 : -2;
    }
    ssize_t wrote = gnutls_record_send(tls_->session, from, size);
    if (wrote >= 0)
        return wrote;
    return wrote == GNUTLS_E_AGAIN || wrote == GNUTLS_E_INTERRUPTED ? -1 : -2;
}

bool SocketTransport::startTls(std::string& error) {
    if (fd_ < 0 || tls_) {
        error = "no connection to upgrade";
        return false;
    }
    if (!buffer_.empty()) {
        // Bytes after the 220 to STARTTLS would be read as if protected (CVE-2011-0411 style
        // command injection): refuse to go on.
        error = "the server sent data after its STARTTLS reply";
        return false;
    }
    auto tls = std::make_unique<Tls>();
    int rc = gnutls_certificate_allocate_credentials(&tls->credentials);
    if (rc >= 0)
        rc = caFile_.empty() ? gnutls_certificate_set_x509_system_trust(tls->credentials)
                             : gnutls_certificate_set_x509_trust_file(
                                   tls->credentials, caFile_.c_str(), GNUTLS_X509_FMT_PEM);
    if (rc < 0 || (!caFile_.empty() && rc == 0)) {
        error = "cannot load the trust anchors" +
                (caFile_.empty() ? std::string() : " from " + caFile_) +
                (rc < 0 ? std::string(": ") + gnutls_strerror(rc) : std::string(": none found"));
        return false;
    }
    rc = gnutls_init(&tls->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
    if (rc >= 0)
        rc = gnutls_set_default_priority(tls->session);
    if (rc >= 0)
        rc = gnutls_credentials_set(tls->session, GNUTLS_CRD_CERTIFICATE, tls->credentials);
    if (rc >= 0 && !tlsHost_.empty())
        rc =
            gnutls_server_name_set(tls->session, GNUTLS_NAME_DNS, tlsHost_.data(), tlsHost_.size());
    if (rc < 0) {
        error = std::string("TLS setup failed: ") + gnutls_strerror(rc);
        return false;
    }
    gnutls_session_set_verify_cert(tls->session, tlsHost_.empty() ? nullptr : tlsHost_.c_str(), 0);
    gnutls_transport_set_int(tls->session, fd_);
    for (;;) {
        rc = gnutls_handshake(tls->session);
        if (rc == GNUTLS_E_SUCCESS)
            break;
        if (rc != GNUTLS_E_AGAIN && rc != GNUTLS_E_INTERRUPTED) {
            error = std::string("TLS handshake failed: ") + gnutls_strerror(rc);
            if (rc == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
                gnutls_datum_t text{};
                auto status = gnutls_session_get_verify_cert_status(tls->session);
                if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text,
                                                                 0) == 0) {
                    error +=
                        " (" + std::string(reinterpret_cast<char*>(text.data), text.size) + ")";
                    gnutls_free(text.data);
                }
            }
            fd_ >= 0 ? void(::close(fd_)) : void();
            fd_ = -1;
            return false;
        }
        if (!waitFor(gnutls_record_get_direction(tls->session) ? POLLOUT : POLLIN)) {
            error = "TLS handshake did not finish before the deadline";
            ::close(fd_);
            fd_ = -1;
            return false;
        }
    }
    tls_ = std::move(tls);
    return true;
}

} // namespace relayaudit::probe
