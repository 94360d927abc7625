#include "ldap_connection.h"

#include "ldap_diagnostics.h"
#include "phase_timings.h"
#include "socket_watchdog.h"
#include "string_helpers.h"
#include "tcp_connect.h"

#include <algorithm>
#include <openldap.h> // ldap_init_fd
#include <unistd.h>
#include <utility>

namespace relayaudit::ldapcollect {

Connection::Connection(const ConnectionOptions& options, std::string uri)
    : options_(options), uri_(std::move(uri)) {}

void Connection::open() {
    parseUri();
    if (options_.startTls && tlsFromStart_)
        fail("--starttls cannot be used with " + uri_ +
             ": ldaps:// is already encrypted; leave out --starttls, or use ldap:// with it");
    bool simpleBind = !options_.saslGssapi && !options_.bindIdentity.empty();
    bool protectedTransport = tlsFromStart_ || options_.startTls || scheme_ == "ldapi";
    if (simpleBind && !protectedTransport && !options_.allowPlaintextBind)
        fail("refusing to send the password for " + options_.bindIdentity + " unencrypted over " +
             uri_ +
             ": use ldaps://, --starttls or --sasl gssapi (or --allow-plaintext-bind on a "
             "network you trust)");
    if (simpleBind && options_.password.empty())
        fail("the password for " + options_.bindIdentity +
             " is empty: a simple bind with an empty password is an unauthenticated bind that "
             "many servers accept as anonymous; check the password file");

    PhaseSpan connecting(Phase::ConnectBind);
    establish();
    bind();
}

Message Connection::next(int msgid, const std::string& what, std::size_t receivedSoFar) {
    timeval wait{options_.timeoutSeconds, 0};
    LDAPMessage* raw = nullptr;
    int type = 0;
    {
        PhaseSpan waiting(Phase::SearchWait);
        type = ldap_result(ld_.get(), msgid, LDAP_MSG_ONE, &wait, &raw);
    }
    Message message(raw);
    if (type == 0) {
        ldap_abandon_ext(ld_.get(), msgid, nullptr, nullptr);
        fail(timeoutMessage(what));
    }
    if (type == -1)
        failLost(lastErrorOf(ld_.get()), what,
                 std::to_string(receivedSoFar) + " entries received so far");
    answered_ = true;
    return message;
}

std::string Connection::timeoutMessage(const std::string& what) const {
    std::string message = "timed out after " + std::to_string(options_.timeoutSeconds) +
                          " s waiting for the answer to " + what + " from " + endpoint();
    if (!answered_)
        // Over ldap:// the TCP connect may still be pending: we cannot tell a black hole
        // from a server that accepted and went silent.
        return message + "; the server did not answer at all: check the host and port in "
                         "--uri and firewalls, then the domain controller's load, or raise "
                         "--timeout";
    return message + "; the server accepted the connection but did not answer: check the "
                     "domain controller's load, or raise --timeout";
}

void Connection::failLost(int code, const std::string& what, const std::string& soFar) const {
    if (code == LDAP_TIMEOUT)
        fail(timeoutMessage(what));
    if (!answered_ && (code == LDAP_SERVER_DOWN || code == LDAP_CONNECT_ERROR))
        // libldap connects ldap:// in the background, so a refused or unreachable server
        // shows up only at the first request: it is a connection failure, not a lost one.
        failConnect(Stage::Connect, code, std::chrono::seconds(0));
    std::string message = "the connection to " + endpoint() + " was lost during " + what;
    if (!soFar.empty() && message.ends_with(')')) // "... (page 2)" -> "(page 2, 500 ...)"
        message.insert(message.size() - 1, ", " + soFar);
    else if (!soFar.empty())
        message += " (" + soFar + ")";
    message += ": " + withDiagnostic(code, diagnosticOf(ld_.get())) +
               "; the collection is incomplete; nothing was written";
    fail(message);
}

void Connection::parseUri() {
    LDAPURLDesc* raw = nullptr;
    // A list of URIs is not supported: we connect to the first one ourselves.
    std::string first = uri_.substr(0, uri_.find_first_of(" ,"));
    firstUri_ = first;
    if (ldap_url_parse(first.c_str(), &raw) != LDAP_URL_SUCCESS || !raw)
        fail("--uri '" + printable(uri_) +
             "' is not an LDAP URI; write ldaps://dc1.corp.example or ldap://host:389");
    Url url(raw);
    scheme_ = toLowerAscii(raw->lud_scheme ? raw->lud_scheme : "ldap");
    if (scheme_ != "ldap" && scheme_ != "ldaps" && scheme_ != "ldapi")
        fail("--uri " + uri_ + ": the scheme must be ldap://, ldaps:// or ldapi://");
    tlsFromStart_ = scheme_ == "ldaps";
    host_ = raw->lud_host && *raw->lud_host ? raw->lud_host : "localhost";
    port_ = raw->lud_port ? raw->lud_port : (tlsFromStart_ ? LDAPS_PORT : LDAP_PORT);
}

void Connection::setOption(int option, const void* value, const char* name) {
    if (ldap_set_option(ld_.get(), option, value) != LDAP_OPT_SUCCESS)
        fail(std::string("libldap refused the option ") + name + " (" +
             printable(diagnosticOf(ld_.get())) + ")");
}

void Connection::setOptions() {
    int version = LDAP_VERSION3;
    setOption(LDAP_OPT_PROTOCOL_VERSION, &version, "LDAP_OPT_PROTOCOL_VERSION");
    // AD and Samba answer configuration-NC searches with referrals (CN=Schema, other
    // domains): chasing them would rebind elsewhere, possibly without TLS. We record them.
    setOption(LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "LDAP_OPT_REFERRALS");
    timeval limit{options_.timeoutSeconds, 0};
    // Network timeout bounds connect() and the TLS handshake; LDAP_OPT_TIMEOUT bounds the
    // synchronous calls (StartTLS, SASL bind) that have no timeout parameter of their own.
    setOption(LDAP_OPT_NETWORK_TIMEOUT, &limit, "LDAP_OPT_NETWORK_TIMEOUT");
    setOption(LDAP_OPT_TIMEOUT, &limit, "LDAP_OPT_TIMEOUT");
    // Detect a silently vanished peer on long runs; failure to set is harmless.
    int idle = std::max(10, options_.timeoutSeconds), probes = 3, interval = 5;
    ldap_set_option(ld_.get(), LDAP_OPT_X_KEEPALIVE_IDLE, &idle);
    ldap_set_option(ld_.get(), LDAP_OPT_X_KEEPALIVE_PROBES, &probes);
    ldap_set_option(ld_.get(), LDAP_OPT_X_KEEPALIVE_INTERVAL, &interval);
    if (options_.saslGssapi) {
        // Kerberos needs the host name exactly as in --uri (the ldap/<host> SPN); reverse-DNS
        // canonicalisation would ask for a ticket of another name (test-servers.md §4.6).
        setOption(LDAP_OPT_X_SASL_NOCANON, LDAP_OPT_ON, "LDAP_OPT_X_SASL_NOCANON");
        // AD and Samba refuse a GSSAPI sign/seal layer inside TLS ("Sign or Seal are not
        // allowed if TLS is used"): over TLS, no SASL layer. Without TLS, insist on at least
        // integrity so nobody on the path can edit what the audit reads.
        const char* properties =
            (tlsFromStart_ || options_.startTls) ? "minssf=0,maxssf=0" : "minssf=1";
        setOption(LDAP_OPT_X_SASL_SECPROPS, properties, "LDAP_OPT_X_SASL_SECPROPS");
        // Over TLS, bind the Kerberos exchange to this TLS channel (RFC 5929 tls-server-end-
        // point): what a DC with LdapEnforceChannelBinding (ADV190023) demands, and harmless
        // for one that does not check it.
        if (tlsFromStart_ || options_.startTls) {
            int binding = LDAP_OPT_X_SASL_CBINDING_TLS_ENDPOINT;
            setOption(LDAP_OPT_X_SASL_CBINDING, &binding, "LDAP_OPT_X_SASL_CBINDING");
        }
    }
    if (tlsFromStart_ || options_.startTls) {
        int check =
            (options_.tlsInsecure || probing_) ? LDAP_OPT_X_TLS_NEVER : LDAP_OPT_X_TLS_DEMAND;
        setOption(LDAP_OPT_X_TLS_REQUIRE_CERT, &check, "LDAP_OPT_X_TLS_REQUIRE_CERT");
        if (!options_.caFile.empty())
            setOption(LDAP_OPT_X_TLS_CACERTFILE, options_.caFile.c_str(),
                      "LDAP_OPT_X_TLS_CACERTFILE");
        // Per-handle TLS options take effect only in a new TLS context.
        int isServer = 0;
        if (ldap_set_option(ld_.get(), LDAP_OPT_X_TLS_NEWCTX, &isServer) != LDAP_OPT_SUCCESS) {
            std::string detail = printable(diagnosticOf(ld_.get()));
            fail("cannot set up TLS" +
                 (options_.caFile.empty() ? std::string() : " with --ca-file " + options_.caFile) +
                 (detail.empty() ? std::string() : " (" + detail + ")") +
                 ": check that the file exists, is readable and holds PEM certificates");
        }
    }
}

// Certificate advice only where TLS was being negotiated: a refused TCP connection or a plain
// ldap:// failure has nothing to do with --ca-file, and the hint would send the reader astray.
std::string Connection::connectAdvice(Stage stage) const {
    if (stage == Stage::TlsConnect || stage == Stage::StartTls)
        return "check the host and port, --ca-file, and that the certificate's name matches the "
               "host in --uri (use the name or IP the certificate was issued for)";
    return "check the host and port in --uri, that the domain controller is running, and "
           "firewalls";
}

void Connection::failConnect(Stage stage, int code,
                             std::chrono::steady_clock::duration took) const {
    using namespace std::chrono;
    if (probing_)
        fail("probe failed");
    if (code == LDAP_TIMEOUT || took >= seconds(options_.timeoutSeconds)) {
        if (stage == Stage::Connect)
            fail("timed out after " + std::to_string(options_.timeoutSeconds) +
                 " s connecting to " + endpoint() +
                 ": nothing answered; check the host and port in --uri and firewalls");
        fail("timed out after " + std::to_string(options_.timeoutSeconds) + " s waiting for " +
             (stage == Stage::StartTls   ? "the answer to StartTLS from "
              : stage == Stage::Kerberos ? "the answer to the Kerberos bind from "
                                         : "the TLS handshake with ") +
             endpoint() +
             "; the server accepted the connection but did not answer: check the domain "
             "controller's load, or raise --timeout");
    }
    std::string detail = printable(diagnosticOf(ld_.get()));
    // GnuTLS-built libldap leaves this placeholder instead of the handshake error.
    if (detail == "(unknown error code)")
        detail.clear();
    std::string message;
    bool tls = stage == Stage::TlsConnect || stage == Stage::StartTls;
    if (tls && !probing_ && handshakeWorksWithoutChecks()) {
        // The same handshake without certificate checks succeeded, so it was the check.
        message = "the TLS certificate of " + endpoint() + " was rejected: it is not signed by " +
                  (options_.caFile.empty()
                       ? std::string("a CA this machine trusts (give the issuing CA with "
                                     "--ca-file)")
                       : "the CA in --ca-file " + options_.caFile) +
                  ", or it was issued for another name than '" + host_ +
                  "' (libldap: " + describeCode(code) + (detail.empty() ? "" : ", " + detail) + ")";
    } else {
        message = "cannot connect to " + endpoint() +
                  (stage == Stage::TlsConnect ? " with TLS"
                   : stage == Stage::StartTls ? " (StartTLS)"
                                              : "") +
                  ": " + describeCode(code) + (detail.empty() ? "" : ", " + detail);
    }
    fail(message + ": " + connectAdvice(stage));
}

// Diagnosis only: repeats the connection on a separate handle with certificate checks off,
// binds nothing, sends nothing else and closes at once. Success means the certificate check
// is what failed, which deserves a more precise message than libldap's "Can't contact".
bool Connection::handshakeWorksWithoutChecks() const {
    Connection probe(options_, uri_);
    probe.probing_ = true;
    try {
        probe.parseUri();
        probe.establish();
        return true;
    } catch (const CollectFailure&) {
        return false;
    }
}

// Transport and TLS, no bind: TCP (ours, bounded), libldap on top, then the ldaps://
// handshake or StartTLS, each bounded by the timeout.
void Connection::establish() {
    auto start = std::chrono::steady_clock::now();
    if (scheme_ == "ldapi") {
        LDAP* raw = nullptr;
        int rc = ldap_initialize(&raw, firstUri_.c_str());
        ld_.reset(raw);
        if (rc != LDAP_SUCCESS || !raw)
            fail("cannot use --uri " + uri_ + ": " + describeCode(rc));
        setOptions();
        rc = ldap_connect(ld_.get());
        if (rc != LDAP_SUCCESS)
            failConnect(Stage::Connect, rc, std::chrono::steady_clock::now() - start);
    } else {
        auto tcp = connectTcp(host_, port_, options_.timeoutSeconds);
        if (tcp.fd < 0) {
            if (probing_)
                fail("probe failed");
            if (tcp.timedOut)
                failConnect(Stage::Connect, LDAP_TIMEOUT, std::chrono::seconds(0));
            fail("cannot connect to " + endpoint() + ": " + tcp.problem + ": " +
                 connectAdvice(Stage::Connect));
        }
        LDAP* raw = nullptr;
        int rc = ldap_init_fd(tcp.fd, LDAP_PROTO_TCP, firstUri_.c_str(), &raw);
        if (rc != LDAP_SUCCESS || !raw) {
            ::close(tcp.fd);
            fail("cannot use --uri " + uri_ + ": " + describeCode(rc));
        }
        ld_.reset(raw); // from here on libldap owns (and closes) the descriptor
        fd_ = tcp.fd;
        answered_ = true; // the TCP connection is established: silence now means a hang
        setOptions();
        readAhead();
        if (tlsFromStart_)
            handshake(Stage::TlsConnect);
    }
    if (options_.startTls)
        startTls();
}

// Without it, libldap asks poll() and then reads each TLS record in two reads, its header and then
// its body: three system calls for every entry (30,000 of them at 10,000 virtual servers, a third
// of this thread's system time, measured with strace). liblber's read-ahead layer, put under TLS
// on the TCP layer, reads whatever the socket holds, up to 64 KiB, and answers from that buffer;
// libldap asks it whether data is buffered before it polls, so the timeouts still hold.
void Connection::readAhead() {
    Sockbuf* socketBuffer = nullptr;
    if (ldap_get_option(ld_.get(), LDAP_OPT_SOCKBUF, &socketBuffer) != LDAP_OPT_SUCCESS ||
        !socketBuffer)
        fail("libldap gave no socket buffer for " + endpoint());
    int size = 64 * 1024;
    if (ber_sockbuf_add_io(socketBuffer, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER,
                           &size) != 0)
        fail("liblber could not add its read-ahead layer for " + endpoint());
}

void Connection::handshake(Stage stage) {
    auto start = std::chrono::steady_clock::now();
    int rc = LDAP_OTHER;
    bool timedOut = false;
    {
        SocketWatchdog watchdog(fd_, options_.timeoutSeconds);
        rc = ldap_install_tls(ld_.get());
        timedOut = watchdog.fired();
    }
    if (rc == LDAP_SUCCESS)
        return;
    failConnect(stage, timedOut ? LDAP_TIMEOUT : rc, std::chrono::steady_clock::now() - start);
}

void Connection::startTls() {
    // Asynchronous request so that the wait is ours (ldap_start_tls_s waits without limit).
    int msgid = -1;
    int rc = ldap_start_tls(ld_.get(), nullptr, nullptr, &msgid);
    if (rc != LDAP_SUCCESS)
        failLost(rc, "the StartTLS request", {});
    Message answer = next(msgid, "the StartTLS request", {});
    int code = LDAP_OTHER;
    char* rawDiagnostic = nullptr;
    rc = ldap_parse_result(ld_.get(), answer.get(), &code, nullptr, &rawDiagnostic, nullptr,
                           nullptr, 0);
    LdapText diagnostic(rawDiagnostic);
    if (rc != LDAP_SUCCESS)
        failLost(rc, "the StartTLS request", {});
    if (code != LDAP_SUCCESS)
        fail("the server " + endpoint() +
             " refused StartTLS: " + withDiagnostic(code, trimmedDiagnostic(rawDiagnostic)) +
             ": enable TLS on the domain controller, or use ldaps://");
    handshake(Stage::StartTls);
}

} // namespace relayaudit::ldapcollect
