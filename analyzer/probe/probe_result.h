#pragma once
// What one SMTP probe found at one endpoint: the class of the outcome, the phase that decided it,
// what the server offered, and the whole dialogue. Plain data, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit::probe {

// The phase of the dialogue a reply (or its absence) belongs to.
enum class ProbePhase { Connect, Banner, Ehlo, Mail, Rcpt };

enum class ProbeClass {
    OpenRelay,        // 2xx at RCPT to the outside address: accepted at RCPT, delivery not verified
    Refused,          // 5xx at RCPT (or a 5xx banner: no service)
    TemporaryRefusal, // 4xx
    TlsRequired,      // 530 ... STARTTLS before MAIL/RCPT
    AuthRequired,     // 530 / "authentication required"
    ConnectionRefused, // ECONNREFUSED
    Dropped,           // the server closed without a reply
    Timeout,           // no complete reply before the per-endpoint deadline
    Inconclusive       // relay could not be tested (sender refused, out of protocol, unresolvable)
};

std::string_view toString(ProbePhase phase);
std::string_view toString(ProbeClass probeClass);

// Where to probe. name is what the configuration calls it (server or connector), host what the
// socket connects to after --probe-map.
struct ProbeEndpoint {
    std::string host;
    std::uint16_t port = 25;
    std::string key() const; // "host:port" ([v6]:port), the identity of one dialogue
};

// What EHLO advertised.
struct SmtpCapabilities {
    bool esmtp = false; // false: EHLO refused, HELO used
    bool startTls = false;
    std::vector<std::string> authMechanisms; // upper-case, as offered
    std::optional<std::uint64_t> sizeLimit;  // SIZE n (0 = no limit announced)
};

struct TranscriptLine {
    enum class Direction { Client, Server, Note };
    Direction direction;
    std::string text; // credentials already masked; the server's text as received
};

// --probe-guest: AUTH with a random user name and password that cannot exist.
struct GuestAttempt {
    bool attempted = false; // AUTH PLAIN or LOGIN was offered and tried
    bool accepted = false;  // the server answered 2xx to the random credentials
    int authCode = 0;
    std::optional<ProbeClass> relayClass; // of the authenticated MAIL/RCPT, when accepted
    std::string reason;
};

// --probe-starttls: the upgrade and what the server offered after it.
struct TlsUpgrade {
    std::string state = "not-tried"; // not-tried, not-offered, refused, failed, established
    std::string error;               // why it failed
    SmtpCapabilities capabilitiesAfter;
};

// --probe-forms all: one classic relay-bypass recipient form (percent hack, quoted local part,
// bang path, source route) and what RCPT answered.
struct FormAttempt {
    std::string name;
    std::string address;
    ProbeClass probeClass = ProbeClass::Inconclusive;
    int replyCode = 0;
};

struct ProbeResult {
    ProbeEndpoint endpoint;
    std::string address; // the address actually connected to (empty: none)
    ProbeClass probeClass = ProbeClass::Inconclusive;
    ProbePhase phase = ProbePhase::Connect;
    int replyCode = 0;    // of the deciding reply; 0 when there was none
    std::string reason;   // one sentence: why this class
    bool reached = false; // a TCP connection was established
    SmtpCapabilities capabilities;
    std::vector<TranscriptLine> transcript;
    GuestAttempt guest;
    TlsUpgrade tls;
    std::vector<FormAttempt> forms;
    std::vector<std::string> commandsSent; // verbs only (EHLO, MAIL, RCPT, RSET, QUIT), in order
    long elapsedMilliseconds = 0;
};

} // namespace relayaudit::probe
