#include "ldap_collector.h"

#include "directory_facts.h"
#include "strings.h"
#include "text_encoding.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <ldap.h>
#include <memory>
#include <mutex>
#include <netdb.h>
#include <openldap.h> // ldap_init_fd
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <utility>

// Live collection over LDAP with OpenLDAP's libldap 2.5 (non-deprecated API only).
//
// Shape of a run: connect (TLS checks on by default), bind, read the rootDSE, then a fixed set of
// searches: the crossRefs, ONE paged search for every Exchange object, and per domain one base
// search of the domain head plus one search for the Guest by SID. The number of searches grows
// with the number of domains only, never with the number of Exchange servers.
//
// Failure policy: anything that would make the snapshot silently incomplete (timeout, dropped
// connection, size limit hit without paging, unreadable configuration NC) fails the whole run
// with one line that says what to do. A domain whose Guest cannot be read does not fail the run:
// it is recorded as an UnreadableDomain with the precise reason, so the report says "cannot
// judge" for it instead of passing it.

namespace relayaudit {
namespace {

constexpr const char* kPagedResultsOid = LDAP_CONTROL_PAGEDRESULTS; // 1.2.840.113556.1.4.319
constexpr const char* kSdFlagsOid = "1.2.840.113556.1.4.801";
// Range retrieval: AD's MaxValRange is 1500, so a few rounds at most; the cap only stops a
// server that never says "-*" from looping us forever.
constexpr int kMaxRangeRounds = 100000;

// Thrown inside the collector only; collectFromLdap turns it into CollectResult::error.
struct CollectFailure {
    std::string message;
};

[[noreturn]] void fail(std::string message) {
    throw CollectFailure{std::move(message)};
}

// ---- RAII for the libldap types -------------------------------------------------------------

struct LdapUnbind {
    void operator()(LDAP* ld) const noexcept { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
using LdapHandle = std::unique_ptr<LDAP, LdapUnbind>;

struct MessageFree {
    void operator()(LDAPMessage* message) const noexcept { ldap_msgfree(message); }
};
using Message = std::unique_ptr<LDAPMessage, MessageFree>;

struct ControlFree {
    void operator()(LDAPControl* control) const noexcept { ldap_control_free(control); }
};
using Control = std::unique_ptr<LDAPControl, ControlFree>;

struct ControlsFree {
    void operator()(LDAPControl** controls) const noexcept { ldap_controls_free(controls); }
};
using Controls = std::unique_ptr<LDAPControl*, ControlsFree>;

struct BervalFree {
    void operator()(berval* value) const noexcept { ber_bvfree(value); }
};
using Berval = std::unique_ptr<berval, BervalFree>;

struct ValuesFree {
    void operator()(berval** values) const noexcept { ldap_value_free_len(values); }
};
using Values = std::unique_ptr<berval*, ValuesFree>;

struct MemFree {
    void operator()(char* text) const noexcept { ldap_memfree(text); }
};
using LdapText = std::unique_ptr<char, MemFree>;

struct MemvFree {
    void operator()(char** texts) const noexcept { ldap_memvfree(reinterpret_cast<void**>(texts)); }
};
using LdapTexts = std::unique_ptr<char*, MemvFree>;

struct BerElementFree {
    void operator()(BerElement* element) const noexcept { ber_free(element, 0); }
};
using BerElementPtr = std::unique_ptr<BerElement, BerElementFree>;

struct UrlFree {
    void operator()(LDAPURLDesc* url) const noexcept { ldap_free_urldesc(url); }
};
using Url = std::unique_ptr<LDAPURLDesc, UrlFree>;

// The process must not die of SIGPIPE when the server closes the socket under a pending write
// (slapd killed between two pages): libldap then reports LDAP_SERVER_DOWN, which we explain.
// Restored on exit so the caller's disposition is left as it was.
class IgnoreSigpipe {
public:
    IgnoreSigpipe() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        active_ = sigaction(SIGPIPE, &ignore, &saved_) == 0;
    }
    ~IgnoreSigpipe() {
        if (active_)
            sigaction(SIGPIPE, &saved_, nullptr);
    }
    IgnoreSigpipe(const IgnoreSigpipe&) = delete;
    IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

private:
    struct sigaction saved_ {};
    bool active_ = false;
};

// Cyrus SASL's sasl_interact_t (sasl/sasl.h, layout unchanged since SASL 2.0). Mirrored here so
// the build does not need libsasl2-dev only for this one struct; libldap passes an array of them
// to the interaction callback, terminated by id SASL_CB_LIST_END (0).
struct SaslInteract {
    unsigned long id;
    const char* challenge;
    const char* prompt;
    const char* defresult;
    const void* result;
    unsigned len;
};

// GSSAPI needs no answers from a user: the ticket cache is the credential. Every question gets
// the library's default (or an empty string), so a missing ticket fails instead of prompting.
int answerSaslQuestions(LDAP*, unsigned, void*, void* interactions) {
    for (auto* question = static_cast<SaslInteract*>(interactions); question->id != 0; ++question) {
        const char* answer = question->defresult ? question->defresult : "";
        question->result = answer;
        question->len = static_cast<unsigned>(std::strlen(answer));
    }
    return LDAP_SUCCESS;
}

// ---- small helpers --------------------------------------------------------------------------

// DNs from the rootDSE and from crossRef values come from the same server, but slapd lowercases
// attribute types ("dc=corp") while the rootDSE file says "DC=corp"; spaces after separators are
// legal too. Good enough to compare DNs that name the same naming context.
std::string dnKey(std::string_view dn) {
    std::string out;
    out.reserve(dn.size());
    bool afterSeparator = true;
    for (std::size_t i = 0; i < dn.size(); ++i) {
        char c = dn[i];
        if (c == '\\' && i + 1 < dn.size()) {
            out += c;
            out += dn[++i];
            afterSeparator = false;
            continue;
        }
        if (c == ' ' && afterSeparator)
            continue;
        out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
        afterSeparator = (c == ',' || c == '=' || c == '+');
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

// True when dn is base itself or lies below it.
bool dnIsUnder(std::string_view dn, std::string_view base) {
    std::string child = dnKey(dn);
    std::string parent = dnKey(base);
    if (parent.empty())
        return false;
    if (child == parent)
        return true;
    return child.size() > parent.size() + 1 && child.ends_with(parent) &&
           child[child.size() - parent.size() - 1] == ',';
}

// RFC 4515: every byte of a binary assertion value escaped as \xx.
std::string escapeFilterBytes(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 3);
    for (char c : bytes) {
        auto byte = static_cast<unsigned char>(c);
        out += '\\';
        out += kHex[byte >> 4];
        out += kHex[byte & 0xF];
    }
    return out;
}

// The binary SID of <domain SID>-<rid>: one more sub-authority, appended little-endian.
std::optional<std::string> sidWithRelativeId(const std::string& domainSid, std::uint32_t rid) {
    // revision(1) count(1) authority(6) then count x 4 bytes
    if (domainSid.size() < 8 || static_cast<unsigned char>(domainSid[0]) != 1)
        return std::nullopt;
    auto count = static_cast<unsigned char>(domainSid[1]);
    if (count >= 15 || domainSid.size() != 8 + 4 * std::size_t(count))
        return std::nullopt;
    std::string sid = domainSid;
    sid[1] = static_cast<char>(count + 1);
    for (int shift = 0; shift < 32; shift += 8)
        sid += static_cast<char>((rid >> shift) & 0xFF);
    return sid;
}

std::string describeCode(int code) {
    const char* text = ldap_err2string(code);
    return std::string(text ? text : "unknown error") + " (LDAP " + std::to_string(code) + ")";
}

// Servers end diagnostics with spaces or a line break now and then: noise, not content.
std::string trimmedDiagnostic(const char* raw) {
    std::string text = raw ? raw : "";
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' ||
                             text.back() == '\t'))
        text.pop_back();
    return text;
}

// The "additional info" a server or libldap attached to the last failure, if any.
std::string diagnosticOf(LDAP* ld) {
    char* raw = nullptr;
    if (ld == nullptr || ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &raw) != LDAP_OPT_SUCCESS)
        return {};
    LdapText text(raw);
    return trimmedDiagnostic(raw);
}

int lastErrorOf(LDAP* ld) {
    int code = LDAP_OTHER;
    if (ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &code) != LDAP_OPT_SUCCESS)
        return LDAP_OTHER;
    return code;
}

// Every string from the directory or the server (DNs, attribute names, diagnostics, referrals)
// goes through this before it joins a message or a progress line: directory text is
// attacker-controlled (see terminalSafeText), and a message stays one readable line.
std::string printable(std::string_view text, std::size_t limit = 300) {
    return terminalSafeText(text, limit);
}

std::string withDiagnostic(int code, const std::string& diagnostic) {
    std::string text = describeCode(code);
    if (!diagnostic.empty())
        text += ", server says: \"" + printable(diagnostic) + "\"";
    return text;
}

bool isTransportError(int code) {
    return code == LDAP_SERVER_DOWN || code == LDAP_CONNECT_ERROR || code == LDAP_TIMEOUT ||
           code == LDAP_LOCAL_ERROR || code == LDAP_ENCODING_ERROR || code == LDAP_DECODING_ERROR ||
           code == LDAP_UNAVAILABLE;
}

// AD puts the real reason of a failed bind in the diagnostic text: "... AcceptSecurityContext
// error, data 52e, v4563". The codes are Win32 errors, documented for LDAP binds.
std::string activeDirectoryBindReason(const std::string& diagnostic) {
    static const std::pair<const char*, const char*> kReasons[] = {
        {"525", "the user does not exist"},
        {"52e", "the password is wrong"},
        {"530", "the account may not log on at this time"},
        {"531", "the account may not log on from this workstation"},
        {"532", "the password has expired"},
        {"533", "the account is disabled"},
        {"701", "the account has expired"},
        {"773", "the password must be changed before the first logon"},
        {"775", "the account is locked out"},
    };
    auto at = toLowerAscii(diagnostic).find("data ");
    if (at == std::string::npos)
        return {};
    std::string code = toLowerAscii(diagnostic.substr(at + 5, 3));
    for (const auto& [key, reason] : kReasons)
        if (code == key)
            return reason;
    return {};
}

// ---- search model ---------------------------------------------------------------------------

struct SearchRequest {
    std::string label; // "the paged search of Exchange objects": used in every message
    std::string name;  // "Exchange objects": short, for progress lines
    std::string base;
    int scope = LDAP_SCOPE_SUBTREE;
    std::string filter = "(objectClass=*)";
    std::vector<std::string> attributes;
    bool paged = false;
    bool sdFlags = false;
    bool followRanges = true; // false for the range retrieval rounds themselves
};

struct SearchOutcome {
    int resultCode = LDAP_SUCCESS;
    std::string diagnostic;
    std::vector<std::string> referrals;
    std::vector<DirectoryEntry> entries;
    int pages = 0;
    int references = 0; // continuation references skipped (referral chasing is off)

    bool ok() const { return resultCode == LDAP_SUCCESS; }
    std::string describe() const {
        std::string text = withDiagnostic(resultCode, diagnostic);
        if (!referrals.empty())
            text += ", referred to " + printable(referrals.front());
        return text;
    }
};

// Bounds a blocking libldap call that has no working timeout of its own. Found by testing
// against a SIGSTOPped slapd: with libldap 2.5.13 (GnuTLS) the TLS handshake spins forever despite
// LDAP_OPT_NETWORK_TIMEOUT, and ldap_start_tls_s waits forever despite LDAP_OPT_TIMEOUT. When the
// time is up the watchdog shuts the socket down (it does not close it: libldap still owns the
// descriptor), so the stuck call fails and we report a timeout.
class Watchdog {
public:
    Watchdog(int fd, int seconds)
        : thread_([this, fd, seconds] {
              std::unique_lock lock(mutex_);
              if (!wake_.wait_for(lock, std::chrono::seconds(seconds), [this] { return done_; })) {
                  fired_ = true;
                  ::shutdown(fd, SHUT_RDWR);
              }
          }) {}
    ~Watchdog() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    bool fired() {
        std::lock_guard lock(mutex_);
        return fired_;
    }

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool done_ = false;
    bool fired_ = false;
    std::thread thread_; // last: starts after the members it uses exist
};

struct AddressInfoFree {
    void operator()(addrinfo* info) const noexcept { freeaddrinfo(info); }
};

struct TcpResult {
    int fd = -1;
    bool timedOut = false;
    std::string problem; // when fd < 0
};

// Our own TCP connect, bounded by the timeout, so that the descriptor is ours to guard with a
// Watchdog during the TLS handshake (libldap's ldap_connect would do the handshake inside).
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
        result.fd = fd;
        return result;
    }
    if (result.problem.empty())
        result.problem = "no address";
    return result;
}

// One connection to one server, with the per-operation time limit on every wait.
class Connection {
public:
    Connection(const ConnectionOptions& options, std::string uri)
        : options_(options), uri_(std::move(uri)) {}

    const std::string& uri() const { return uri_; }
    LDAP* handle() const { return ld_.get(); }

    void open() {
        parseUri();
        if (options_.startTls && tlsFromStart_)
            fail("--starttls cannot be used with " + uri_ +
                 ": ldaps:// is already encrypted; leave out --starttls, or use ldap:// with it");
        bool simpleBind = !options_.saslGssapi && !options_.bindIdentity.empty();
        bool protectedTransport = tlsFromStart_ || options_.startTls || scheme_ == "ldapi";
        if (simpleBind && !protectedTransport && !options_.allowPlaintextBind)
            fail("refusing to send the password for " + options_.bindIdentity +
                 " unencrypted over " + uri_ +
                 ": use ldaps://, --starttls or --sasl gssapi (or --allow-plaintext-bind on a "
                 "network you trust)");
        if (simpleBind && options_.password.empty())
            fail("the password for " + options_.bindIdentity +
                 " is empty: a simple bind with an empty password is an unauthenticated bind that "
                 "many servers accept as anonymous; check the password file");

        establish();
        bind();
    }

    // Waits for the next message of msgid, never longer than the timeout. Throws on timeout and
    // on a lost connection, naming the operation (what) so the user knows where it stopped.
    Message next(int msgid, const std::string& what, const std::string& soFar) {
        timeval wait{options_.timeoutSeconds, 0};
        LDAPMessage* raw = nullptr;
        int type = ldap_result(ld_.get(), msgid, LDAP_MSG_ONE, &wait, &raw);
        Message message(raw);
        if (type == 0) {
            ldap_abandon_ext(ld_.get(), msgid, nullptr, nullptr);
            fail(timeoutMessage(what));
        }
        if (type == -1)
            failLost(lastErrorOf(ld_.get()), what, soFar);
        answered_ = true;
        return message;
    }

    std::string timeoutMessage(const std::string& what) const {
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

    [[noreturn]] void failLost(int code, const std::string& what, const std::string& soFar) const {
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

    std::string endpoint() const { return host_ + ":" + std::to_string(port_); }

private:
    void parseUri() {
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

    void setOption(int option, const void* value, const char* name) {
        if (ldap_set_option(ld_.get(), option, value) != LDAP_OPT_SUCCESS)
            fail(std::string("libldap refused the option ") + name + " (" +
                 printable(diagnosticOf(ld_.get())) + ")");
    }

    void setOptions() {
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
                     (options_.caFile.empty() ? std::string()
                                              : " with --ca-file " + options_.caFile) +
                     (detail.empty() ? std::string() : " (" + detail + ")") +
                     ": check that the file exists, is readable and holds PEM certificates");
            }
        }
    }

    std::string connectAdvice() const {
        return "check the host and port, --ca-file, and that the certificate's name matches the "
               "host in --uri (use the name or IP the certificate was issued for)";
    }

    enum class Stage { Connect, TlsConnect, StartTls, Kerberos };

    [[noreturn]] void failConnect(Stage stage, int code,
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
            message =
                "the TLS certificate of " + endpoint() + " was rejected: it is not signed by " +
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
        fail(message + ": " + connectAdvice());
    }

    // Diagnosis only: repeats the connection on a separate handle with certificate checks off,
    // binds nothing, sends nothing else and closes at once. Success means the certificate check
    // is what failed, which deserves a more precise message than libldap's "Can't contact".
    bool handshakeWorksWithoutChecks() const {
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
    void establish() {
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
                     connectAdvice());
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
            if (tlsFromStart_)
                handshake(Stage::TlsConnect);
        }
        if (options_.startTls)
            startTls();
    }

    void handshake(Stage stage) {
        auto start = std::chrono::steady_clock::now();
        int rc = LDAP_OTHER;
        bool timedOut = false;
        {
            Watchdog watchdog(fd_, options_.timeoutSeconds);
            rc = ldap_install_tls(ld_.get());
            timedOut = watchdog.fired();
        }
        if (rc == LDAP_SUCCESS)
            return;
        failConnect(stage, timedOut ? LDAP_TIMEOUT : rc, std::chrono::steady_clock::now() - start);
    }

    void startTls() {
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

    void bind() {
        if (options_.saslGssapi)
            return bindGssapi();
        if (options_.bindIdentity.empty())
            return; // anonymous: enough for servers that show the rootDSE only
        const std::string& who = options_.bindIdentity;
        // No copy of the password is made: the berval points into the caller's string.
        berval credentials{};
        credentials.bv_val = const_cast<char*>(options_.password.data());
        credentials.bv_len = options_.password.size();
        int msgid = -1;
        int rc = ldap_sasl_bind(ld_.get(), who.c_str(), LDAP_SASL_SIMPLE, &credentials, nullptr,
                                nullptr, &msgid);
        if (rc != LDAP_SUCCESS)
            failLost(rc, "the bind as " + who, {});
        Message answer = next(msgid, "the bind as " + who, {});
        int code = LDAP_OTHER;
        char* rawDiagnostic = nullptr;
        rc = ldap_parse_result(ld_.get(), answer.get(), &code, nullptr, &rawDiagnostic, nullptr,
                               nullptr, 0);
        LdapText diagnosticHolder(rawDiagnostic);
        std::string diagnostic = trimmedDiagnostic(rawDiagnostic);
        if (rc != LDAP_SUCCESS)
            failLost(rc, "the bind as " + who, {});
        if (code == LDAP_SUCCESS)
            return;
        if (code == LDAP_STRONG_AUTH_REQUIRED || code == LDAP_CONFIDENTIALITY_REQUIRED)
            fail("the server requires a protected connection for this bind (LDAP " +
                 std::to_string(code) +
                 ", stronger authentication required): use ldaps://, --starttls or --sasl gssapi");
        if (code == LDAP_INVALID_CREDENTIALS) {
            std::string reason = activeDirectoryBindReason(diagnostic);
            fail("the server refused the credentials for " + who +
                 " (LDAP 49, invalid credentials" + (reason.empty() ? "" : ": " + reason) +
                 "): check the user name and the password file");
        }
        if (code == LDAP_INVALID_DN_SYNTAX)
            fail("the server did not accept '" + printable(who) +
                 "' as a bind name (LDAP 34, invalid DN syntax): give a DN, user@realm or "
                 "DOMAIN\\user");
        fail("the bind as " + who + " failed: " + withDiagnostic(code, diagnostic));
    }

    void bindGssapi() {
        int rc = LDAP_OTHER;
        bool timedOut = false;
        {
            // Synchronous call without a usable timeout: the watchdog bounds it (ldapi:// has
            // no descriptor of ours, and no network to wait for).
            std::optional<Watchdog> watchdog;
            if (fd_ >= 0)
                watchdog.emplace(fd_, options_.timeoutSeconds);
            rc = ldap_sasl_interactive_bind_s(ld_.get(), nullptr, "GSSAPI", nullptr, nullptr,
                                              LDAP_SASL_QUIET, answerSaslQuestions, nullptr);
            timedOut = watchdog && watchdog->fired();
        }
        if (rc == LDAP_SUCCESS) {
            answered_ = true;
            return;
        }
        std::string detail = printable(diagnosticOf(ld_.get()));
        if (rc == LDAP_TIMEOUT || timedOut)
            fail(timeoutMessage("the Kerberos (GSSAPI) bind"));
        if (rc == LDAP_AUTH_UNKNOWN || rc == LDAP_NOT_SUPPORTED)
            fail("the GSSAPI SASL mechanism is not available (" + describeCode(rc) +
                 (detail.empty() ? "" : ", " + detail) +
                 "): install libsasl2-modules-gssapi-mit, and check that the server offers GSSAPI");
        if (rc == LDAP_SERVER_DOWN)
            failLost(rc, "the Kerberos (GSSAPI) bind", {});
        if ((tlsFromStart_ || options_.startTls) &&
            (rc == LDAP_STRONG_AUTH_REQUIRED || rc == LDAP_UNWILLING_TO_PERFORM))
            // AD wants no SASL layer inside TLS (what we ask for); Samba 4.17 accepts GSSAPI
            // inside TLS in no combination we found. Kerberos protects plain ldap:// by itself.
            fail("the server refused the Kerberos (GSSAPI) bind inside TLS: " + describeCode(rc) +
                 (detail.empty() ? "" : ", " + detail) +
                 ": use --sasl gssapi with ldap:// and without --starttls (Kerberos signs and "
                 "encrypts that connection itself)");
        fail("the Kerberos (GSSAPI) bind to " + host_ + " failed: " + describeCode(rc) +
             (detail.empty() ? "" : ", " + detail) +
             ": run kinit for an account of the domain (check KRB5CCNAME and klist), and use the "
             "domain controller's host name in --uri (its ldap/<host> service principal must "
             "exist)");
    }

    const ConnectionOptions& options_;
    std::string uri_;
    std::string scheme_;
    std::string host_;
    int port_ = LDAP_PORT;
    bool tlsFromStart_ = false;
    bool answered_ = false; // the server has answered something on this connection
    bool probing_ = false;  // a diagnosis copy (handshakeWorksWithoutChecks): checks off
    std::string firstUri_;
    int fd_ = -1; // owned by ld_ once handed over
    LdapHandle ld_;
};

// Strips attribute options ("member;range=0-1499" -> "member", "x;binary" -> "x") and reports
// the range, if any: low, and high (-1 for "*").
struct AttributeName {
    std::string base;
    bool ranged = false;
    long long low = 0;
    long long high = -1;
};

AttributeName parseAttributeName(std::string_view description) {
    AttributeName name;
    auto semicolon = description.find(';');
    name.base = std::string(description.substr(0, semicolon));
    while (semicolon != std::string_view::npos) {
        auto start = semicolon + 1;
        semicolon = description.find(';', start);
        auto option =
            description.substr(start, semicolon == std::string_view::npos ? std::string_view::npos
                                                                          : semicolon - start);
        if (!startsWithIgnoreCase(option, "range="))
            continue;
        auto range = option.substr(6);
        auto dash = range.find('-');
        if (dash == std::string_view::npos)
            continue;
        try {
            name.low = std::stoll(std::string(range.substr(0, dash)));
            auto high = range.substr(dash + 1);
            name.high = (high == "*") ? -1 : std::stoll(std::string(high));
            name.ranged = true;
        } catch (const std::exception&) {
            name.ranged = false;
        }
    }
    return name;
}

class Collector {
public:
    Collector(const ConnectionOptions& options,
              const std::function<void(const std::string&)>& progress)
        : options_(options), progress_(progress) {}

    CollectResult run() {
        result_.context.sourceKind = "ldap";
        result_.context.inputs.push_back(options_.uri);
        main_ = std::make_unique<Connection>(options_, options_.uri);
        main_->open();
        say("connected to " + main_->endpoint() + describeBind());
        readRootDse();
        auto domains = readCrossRefs();
        readExchangeObjects();
        for (const auto& domain : domains)
            readDomain(domain);
        if (!options_.globalCatalogUri.empty() && gc_)
            result_.context.inputs.push_back(options_.globalCatalogUri);
        return std::move(result_);
    }

private:
    void say(const std::string& line) const {
        if (progress_)
            progress_(line);
    }

    std::string describeBind() const {
        if (options_.saslGssapi)
            return ", bound with Kerberos (GSSAPI)";
        if (options_.bindIdentity.empty())
            return ", anonymous";
        return ", bound as " + options_.bindIdentity;
    }

    // Runs one search (all its pages) to the end. Result codes other than success are returned
    // for the caller to judge; a lost connection or a timeout throws.
    SearchOutcome search(Connection& connection, const SearchRequest& request) {
        // searchOperations counts each search request sequence once: a paged search of 12 pages
        // is one operation (its pages go to the progress lines). That is the figure that must
        // stay constant as the number of Exchange servers grows.
        ++result_.searchOperations;
        SearchOutcome outcome;
        std::vector<char*> attributes;
        for (const auto& attribute : request.attributes)
            attributes.push_back(const_cast<char*>(attribute.c_str()));
        attributes.push_back(nullptr);

        Control sdFlags;
        if (request.sdFlags && sdFlagsSupported_) {
            // BER SEQUENCE { INTEGER 4 }: owner/group/DACL/SACL bit set = DACL only, which
            // non-administrators may read (without it AD withholds the whole descriptor).
            static const char kDaclOnly[] = {0x30, 0x03, 0x02, 0x01, 0x04};
            berval value{sizeof kDaclOnly, const_cast<char*>(kDaclOnly)};
            LDAPControl* raw = nullptr;
            if (ldap_control_create(kSdFlagsOid, /*critical*/ 0, &value, 1, &raw) != LDAP_SUCCESS)
                fail("cannot build the SD-flags control (out of memory?)");
            sdFlags.reset(raw);
        }
        bool paged = request.paged && pagingSupported_;
        Berval cookie;
        LDAP* ld = connection.handle();
        for (;;) {
            ++outcome.pages;
            std::string what =
                request.label + (paged ? " (page " + std::to_string(outcome.pages) + ")" : "");
            Control page;
            if (paged) {
                LDAPControl* raw = nullptr;
                int rc = ldap_create_page_control(ld, options_.pageSize, cookie.get(),
                                                  /*critical*/ 1, &raw);
                if (rc != LDAP_SUCCESS)
                    fail("cannot build the paged-results control: " + describeCode(rc));
                page.reset(raw);
            }
            LDAPControl* serverControls[3] = {nullptr, nullptr, nullptr};
            int used = 0;
            if (page)
                serverControls[used++] = page.get();
            if (sdFlags)
                serverControls[used++] = sdFlags.get();
            int msgid = -1;
            int rc = ldap_search_ext(ld, request.base.c_str(), request.scope,
                                     request.filter.c_str(), attributes.data(), 0, serverControls,
                                     nullptr, nullptr, LDAP_NO_LIMIT, &msgid);
            if (rc != LDAP_SUCCESS) {
                if (isTransportError(rc))
                    connection.failLost(rc, what, receivedSoFar(outcome));
                outcome.resultCode = rc;
                outcome.diagnostic = diagnosticOf(ld);
                return outcome;
            }
            Controls responseControls;
            for (bool done = false; !done;) {
                Message message = connection.next(msgid, what, receivedSoFar(outcome));
                switch (ldap_msgtype(message.get())) {
                case LDAP_RES_SEARCH_ENTRY:
                    outcome.entries.push_back(toEntry(ld, message.get(), connection.uri()));
                    break;
                case LDAP_RES_SEARCH_REFERENCE:
                    ++outcome.references;
                    break;
                case LDAP_RES_SEARCH_RESULT: {
                    int code = LDAP_OTHER;
                    char* diagnostic = nullptr;
                    char** referrals = nullptr;
                    LDAPControl** controls = nullptr;
                    rc = ldap_parse_result(ld, message.get(), &code, nullptr, &diagnostic,
                                           &referrals, &controls, 0);
                    LdapText diagnosticHolder(diagnostic);
                    LdapTexts referralHolder(referrals);
                    responseControls.reset(controls);
                    if (rc != LDAP_SUCCESS)
                        connection.failLost(rc, what, receivedSoFar(outcome));
                    outcome.resultCode = code;
                    outcome.diagnostic = trimmedDiagnostic(diagnostic);
                    for (char** r = referrals; r && *r; ++r)
                        outcome.referrals.push_back(*r);
                    done = true;
                    break;
                }
                default:
                    break; // intermediate responses etc.: not part of a search we asked for
                }
            }
            if (paged)
                say("page " + std::to_string(outcome.pages) + " of " +
                    (request.name.empty() ? request.label : request.name) + ": " +
                    std::to_string(outcome.entries.size()) + " entries");
            if (!paged || outcome.resultCode != LDAP_SUCCESS)
                break;
            // The last page has an empty cookie, or (some servers) no page control at all.
            // Pages may be short or empty (Samba ends with an empty page).
            cookie.reset();
            LDAPControl* response =
                ldap_control_find(kPagedResultsOid, responseControls.get(), nullptr);
            if (!response)
                break;
            ber_int_t estimate = 0;
            berval next{};
            rc = ldap_parse_pageresponse_control(ld, response, &estimate, &next);
            if (rc != LDAP_SUCCESS) {
                ber_memfree(next.bv_val);
                fail("the server's paged-results answer to " + what +
                     " does not decode: " + describeCode(rc));
            }
            if (next.bv_len > 0) {
                cookie.reset(ber_bvdup(&next));
                ber_memfree(next.bv_val);
                if (!cookie)
                    fail("out of memory while paging " + request.label);
            } else {
                ber_memfree(next.bv_val);
                break;
            }
        }
        if (request.followRanges)
            fetchRanges(connection, outcome.entries, request.label);
        return outcome;
    }

    static std::string receivedSoFar(const SearchOutcome& outcome) {
        return std::to_string(outcome.entries.size()) + " entries received so far";
    }

    DirectoryEntry toEntry(LDAP* ld, LDAPMessage* message, const std::string& origin) {
        DirectoryEntry entry;
        entry.origin = origin;
        if (LdapText dn{ldap_get_dn(ld, message)})
            entry.dn = dn.get();
        BerElement* rawBer = nullptr;
        LdapText name{ldap_first_attribute(ld, message, &rawBer)};
        BerElementPtr ber(rawBer);
        for (; name; name.reset(ldap_next_attribute(ld, message, ber.get()))) {
            Values values{ldap_get_values_len(ld, message, name.get())};
            auto parsed = parseAttributeName(name.get());
            if (parsed.ranged && parsed.high >= 0)
                pendingRanges_.push_back({entry.dn, parsed.base, parsed.high + 1});
            DirectoryAttribute* target = nullptr;
            for (auto& attribute : entry.attributes)
                if (equalsIgnoreCase(attribute.name, parsed.base))
                    target = &attribute;
            if (!target) {
                entry.attributes.push_back({parsed.base, {}});
                target = &entry.attributes.back();
            }
            for (berval** v = values.get(); v && *v; ++v)
                target->values.emplace_back((*v)->bv_val, (*v)->bv_len);
        }
        return entry;
    }

    // Attribute range retrieval (AD MaxValRange): "x;range=0-1499" came back, so ask for
    // "x;range=1500-*" with base searches until the server answers with a range ending in "*".
    void fetchRanges(Connection& connection, std::vector<DirectoryEntry>& entries,
                     const std::string& label) {
        auto pending = std::exchange(pendingRanges_, {});
        for (const auto& range : pending) {
            auto entry = std::find_if(entries.begin(), entries.end(),
                                      [&](const DirectoryEntry& e) { return e.dn == range.dn; });
            if (entry == entries.end())
                continue;
            auto targetIndex = entry->attributes.size();
            for (std::size_t i = 0; i < entry->attributes.size(); ++i)
                if (equalsIgnoreCase(entry->attributes[i].name, range.attribute))
                    targetIndex = i;
            if (targetIndex == entry->attributes.size())
                entry->attributes.push_back({range.attribute, {}});
            auto& target = entry->attributes[targetIndex];
            long long low = range.nextLow;
            for (int round = 1;; ++round) {
                if (round > kMaxRangeRounds)
                    fail("the range retrieval of " + printable(range.attribute) + " on " +
                         printable(range.dn) +
                         " does not end; the collection is incomplete; nothing was written");
                SearchRequest request;
                request.label = "the range retrieval of " + printable(range.attribute) +
                                " (values from " + std::to_string(low) + ") of an entry found by " +
                                label;
                request.base = range.dn;
                request.scope = LDAP_SCOPE_BASE;
                request.attributes = {range.attribute + ";range=" + std::to_string(low) + "-*"};
                request.followRanges = false;
                auto outcome = search(connection, request);
                auto further = std::exchange(pendingRanges_, {});
                if (!outcome.ok() || outcome.entries.empty())
                    fail("cannot read the rest of " + printable(range.attribute) + " of " +
                         printable(range.dn) + " (values from " + std::to_string(low) + "): " +
                         (outcome.ok() ? std::string("the entry is gone") : outcome.describe()) +
                         "; the collection is incomplete; nothing was written");
                for (auto& attribute : outcome.entries.front().attributes)
                    if (equalsIgnoreCase(attribute.name, range.attribute))
                        for (auto& value : attribute.values)
                            target.values.push_back(std::move(value));
                auto next = std::find_if(further.begin(), further.end(), [&](const auto& r) {
                    return equalsIgnoreCase(r.attribute, range.attribute);
                });
                if (next == further.end())
                    break; // the server said "-*": that was the last range
                if (next->nextLow <= low)
                    fail("the server's answer to " + request.label +
                         " does not advance; the collection is incomplete; nothing was written");
                low = next->nextLow;
            }
            say("range retrieval of " + printable(range.attribute) + " on " +
                printable(range.dn, 80) + ": " + std::to_string(target.values.size()) + " values");
        }
    }

    void readRootDse() {
        SearchRequest request;
        request.label = "the read of the rootDSE";
        request.base = "";
        request.scope = LDAP_SCOPE_BASE;
        request.attributes = {"defaultNamingContext", "configurationNamingContext",
                              "rootDomainNamingContext", "supportedControl", "dnsHostName"};
        auto outcome = search(*main_, request);
        if (!outcome.ok() || outcome.entries.empty())
            fail("cannot read the rootDSE of " + main_->endpoint() + ": " +
                 (outcome.ok() ? std::string("no entry returned") : outcome.describe()) +
                 ": is this a domain controller? Check --uri and the bind account");
        const auto& root = outcome.entries.front();
        auto value = [&](const char* name) {
            const auto* v = root.first(name);
            return v ? *v : std::string();
        };
        defaultNC_ = value("defaultNamingContext");
        configurationNC_ = value("configurationNamingContext");
        std::string rootDomain = value("rootDomainNamingContext");
        if (configurationNC_.empty())
            fail("the rootDSE of " + main_->endpoint() +
                 " has no configurationNamingContext: the server is not an Active Directory "
                 "domain controller (or hides its rootDSE); point --uri at a domain controller");
        if (const auto* controls = root.find("supportedControl")) {
            for (const auto& oid : controls->values) {
                if (oid == kPagedResultsOid)
                    pagingSupported_ = true;
                if (oid == kSdFlagsOid)
                    sdFlagsSupported_ = true;
            }
        }
        if (rootDomain.empty()) {
            // Not every server publishes it (slapd test servers): the forest root is the parent
            // of CN=Configuration.
            if (startsWithIgnoreCase(configurationNC_, "CN=Configuration,"))
                rootDomain = configurationNC_.substr(std::strlen("CN=Configuration,"));
        }
        result_.context.configurationNC = configurationNC_;
        result_.context.rootDomainNC = rootDomain;
        if (!pagingSupported_)
            result_.context.notes.push_back(
                "the server does not offer the paged-results control; searches were not paged");
        say("rootDSE: configuration " + printable(configurationNC_) + ", default " +
            (defaultNC_.empty() ? std::string("(none)") : printable(defaultNC_)) +
            (pagingSupported_ ? ", paged results" : ", no paged results") +
            (sdFlagsSupported_ ? ", SD flags" : ""));
    }

    // Fails the run for result codes that make a configuration search unusable; explains the
    // common ones.
    [[noreturn]] void failConfigurationSearch(const SearchRequest& request,
                                              const SearchOutcome& outcome) {
        std::string message =
            "cannot complete " + request.label + " under " + printable(request.base) + " (" +
            std::to_string(outcome.entries.size()) + " entries received): " + outcome.describe();
        if (!options_.saslGssapi && options_.bindIdentity.empty())
            fail(message + ": anonymous clients may not read the configuration; bind with --user "
                           "or --bind-dn and --password-file, or --sasl gssapi");
        switch (outcome.resultCode) {
        case LDAP_SIZELIMIT_EXCEEDED:
            message += pagingSupported_
                           ? ": the server capped the results; lower --page-size (AD allows 1000)"
                           : ": the server does not offer paged results, so the collection would "
                             "be incomplete; raise the server's size limit for this account";
            break;
        case LDAP_ADMINLIMIT_EXCEEDED:
            message += ": the server refused the page size " + std::to_string(options_.pageSize) +
                       "; use --page-size 1000 or less";
            break;
        case LDAP_TIMELIMIT_EXCEEDED:
            message += ": the server's time limit for one query was reached (AD: MaxQueryDuration "
                       "120 s); try a smaller --page-size, or run it when the DC is less busy";
            break;
        case LDAP_INSUFFICIENT_ACCESS:
        case LDAP_NO_SUCH_OBJECT:
            message += ": the bind account cannot read the configuration naming context; use an "
                       "account of the forest (any domain user can read it in AD)";
            break;
        default:
            message += "; the collection is incomplete; nothing was written";
        }
        fail(message);
    }

    std::vector<std::string> readCrossRefs() {
        SearchRequest request;
        request.label = "the paged search of crossRef objects";
        request.name = "crossRef objects";
        request.base = "CN=Partitions," + configurationNC_;
        request.filter = "(objectClass=crossRef)";
        request.attributes = {"nCName", "dnsRoot", "nETBIOSName", "systemFlags", "objectClass"};
        request.paged = true;
        auto outcome = search(*main_, request);
        std::vector<std::string> domains;
        std::string fallbackReason;
        if (!outcome.ok()) {
            if (outcome.resultCode == LDAP_SIZELIMIT_EXCEEDED ||
                outcome.resultCode == LDAP_ADMINLIMIT_EXCEEDED)
                failConfigurationSearch(request, outcome);
            fallbackReason = "the crossRefs under " + printable(request.base) +
                             " could not be read (" + outcome.describe() + ")";
        } else {
            for (auto& entry : outcome.entries) {
                const auto* flags = entry.first("systemFlags");
                const auto* nc = entry.first("nCName");
                long long value = 0;
                try {
                    value = flags ? std::stoll(*flags) : 0;
                } catch (const std::exception&) {
                    value = 0;
                }
                if (nc && (value & kCrossRefDomainPartition))
                    domains.push_back(*nc);
                result_.entries.push_back(std::move(entry));
            }
            if (domains.empty())
                fallbackReason = "no domain crossRef (systemFlags 0x2) was readable under " +
                                 printable(request.base);
        }
        say("crossRefs: " + std::to_string(outcome.entries.size()) + " read, " +
            std::to_string(domains.size()) + " domain(s)");
        if (domains.empty()) {
            if (defaultNC_.empty()) {
                result_.context.notes.push_back(
                    fallbackReason + ", and the rootDSE names no defaultNamingContext: no domain's "
                                     "Guest account was read");
                if (!result_.context.rootDomainNC.empty())
                    result_.context.unreadableDomains.push_back(
                        {result_.context.rootDomainNC,
                         fallbackReason + " and the server names no default naming context"});
            } else {
                result_.context.notes.push_back(fallbackReason +
                                                "; only the domain of this domain controller (" +
                                                printable(defaultNC_) + ") was read");
                domains.push_back(defaultNC_);
            }
        }
        return domains;
    }

    void readExchangeObjects() {
        SearchRequest request;
        request.label = "the paged search of Exchange objects";
        request.name = "Exchange objects";
        request.base = configurationNC_;
        // One search for every Exchange object the rules need: the number of search operations
        // stays the same whatever the number of servers.
        request.filter = "(|(objectClass=msExchOrganizationContainer)"
                         "(objectClass=msExchExchangeServer)"
                         "(objectClass=protocolCfgSMTPServer)"
                         "(objectClass=msExchSmtpReceiveConnector)"
                         "(objectClass=msExchRoutingSMTPConnector))";
        request.attributes = {"objectClass",
                              "cn",
                              "name",
                              "adminDisplayName",
                              "msExchSmtpRelayIpList",
                              "msExchSmtpRelayForAuth",
                              "msExchAuthenticationFlags",
                              "msExchAccessSSLFlags",
                              "msExchIPSecurity",
                              "msExchServerBindings",
                              "msExchSecureBindings",
                              "msExchSmtpSmartHost",
                              "msExchSmtpFullyQualifiedDomainName",
                              "msExchSmtpMaxMessageSize",
                              "msExchSmtpReceiveBindings",
                              "msExchSmtpReceiveRemoteIPRanges",
                              "msExchSMTPReceiveInboundSecurityFlag",
                              "msExchSmtpReceiveEnabled",
                              "nTSecurityDescriptor",
                              "msExchSmartHost",
                              "serialNumber",
                              "networkAddress"};
        request.paged = true;
        request.sdFlags = true;
        auto outcome = search(*main_, request);
        if (!outcome.ok())
            failConfigurationSearch(request, outcome);
        say("Exchange objects: " + std::to_string(outcome.entries.size()) + " in " +
            std::to_string(outcome.pages) + (outcome.pages == 1 ? " page" : " pages"));
        for (auto& entry : outcome.entries)
            result_.entries.push_back(std::move(entry));
    }

    Connection* globalCatalog() {
        if (options_.globalCatalogUri.empty())
            return nullptr;
        if (!gc_) {
            gc_ = std::make_unique<Connection>(options_, options_.globalCatalogUri);
            try {
                gc_->open();
            } catch (const CollectFailure& failure) {
                fail("global catalog " + options_.globalCatalogUri + ": " + failure.message);
            }
            say("connected to the global catalog " + gc_->endpoint());
        }
        return gc_.get();
    }

    // Reads the domain head (for the SID) and the Guest (RID 501) of one domain. Every way this
    // can go wrong becomes an UnreadableDomain with the reason, never a silent pass.
    void readDomain(const std::string& dn) {
        Connection* connection = nullptr;
        std::string via;
        bool served = !defaultNC_.empty() && dnIsUnder(dn, defaultNC_);
        if (served) {
            connection = main_.get();
        } else if (Connection* gc = globalCatalog()) {
            connection = gc;
            via = " (via the global catalog)";
        } else {
            unreadable(dn,
                       "this domain controller serves " +
                           (defaultNC_.empty() ? std::string("no domain") : printable(defaultNC_)) +
                           ", not this domain; give --gc with a global catalog URI (e.g. "
                           "ldaps://gc.corp.example:3269) to read its Guest account");
            return;
        }
        auto entriesBefore = result_.entries.size();
        auto problem = readDomainOn(*connection, dn);
        // A domain the DC does not hold answers with a referral: the GC may have it.
        if (problem && connection == main_.get() && lastWasReferral_ && globalCatalog()) {
            result_.entries.resize(entriesBefore); // no second copy of the domain head
            via = " (via the global catalog)";
            problem = readDomainOn(*globalCatalog(), dn);
        }
        if (problem)
            unreadable(dn, *problem + via);
    }

    std::optional<std::string> readDomainOn(Connection& connection, const std::string& dn) {
        lastWasReferral_ = false;
        SearchRequest head;
        head.label = "the read of the domain head " + printable(dn);
        head.base = dn;
        head.scope = LDAP_SCOPE_BASE;
        head.attributes = {"objectSid", "objectClass", "name"};
        auto outcome = search(connection, head);
        if (!outcome.ok() || outcome.entries.empty()) {
            lastWasReferral_ = outcome.resultCode == LDAP_REFERRAL;
            return "cannot read the domain head " + printable(dn) + ": " +
                   (outcome.ok() ? std::string("not visible to the bind account")
                                 : outcome.describe());
        }
        auto headEntry = std::move(outcome.entries.front());
        const auto* sid = headEntry.first("objectSid");
        std::string domainSid = sid ? *sid : std::string();
        result_.entries.push_back(std::move(headEntry));
        if (domainSid.empty())
            return "the domain head " + printable(dn) +
                   " has no readable objectSid, so its Guest account (RID 501) cannot be found";
        auto guestSid = sidWithRelativeId(domainSid, kGuestRelativeId);
        if (!guestSid)
            return "the objectSid of the domain head " + printable(dn) +
                   " is not a valid SID, so its Guest account (RID 501) cannot be found";

        SearchRequest guest;
        guest.label = "the search for the Guest account (RID 501) of " + printable(dn);
        guest.base = dn;
        guest.scope = LDAP_SCOPE_SUBTREE;
        guest.filter = "(objectSid=" + escapeFilterBytes(*guestSid) + ")";
        guest.attributes = {"objectClass", "sAMAccountName", "userAccountControl", "objectSid",
                            "cn"};
        auto found = search(connection, guest);
        if (!found.ok()) {
            lastWasReferral_ = found.resultCode == LDAP_REFERRAL;
            return "cannot search for the Guest account (RID 501) under " + printable(dn) + ": " +
                   found.describe();
        }
        say("domain " + printable(dn) + ": Guest account " +
            (found.entries.empty() ? std::string("not found") : "read"));
        for (auto& entry : found.entries)
            result_.entries.push_back(std::move(entry));
        return std::nullopt;
    }

    void unreadable(const std::string& dn, const std::string& reason) {
        say("domain " + printable(dn) + ": unreadable: " + reason);
        result_.context.unreadableDomains.push_back({dn, reason});
    }

    struct PendingRange {
        std::string dn;
        std::string attribute;
        long long nextLow = 0;
    };

    const ConnectionOptions& options_;
    const std::function<void(const std::string&)>& progress_;
    CollectResult result_;
    std::unique_ptr<Connection> main_;
    std::unique_ptr<Connection> gc_;
    std::string defaultNC_;
    std::string configurationNC_;
    bool pagingSupported_ = false;
    bool sdFlagsSupported_ = false;
    bool lastWasReferral_ = false;
    std::vector<PendingRange> pendingRanges_;
};

} // namespace

CollectResult collectFromLdap(const ConnectionOptions& options,
                              const std::function<void(const std::string&)>& progress) {
    IgnoreSigpipe noSigpipe;
    try {
        Collector collector(options, progress);
        return collector.run();
    } catch (const CollectFailure& failure) {
        CollectResult result;
        result.context.sourceKind = "ldap";
        result.context.inputs.push_back(options.uri);
        result.error = failure.message;
        return result;
    }
}

} // namespace relayaudit
