#include "ldap_connection.h"
#include "ldap_diagnostics.h"
#include "socket_watchdog.h"

#include <cstring>
#include <optional>

// The bind half of Connection: a simple bind or Kerberos through SASL GSSAPI, each refusal
// explained. Whether a password may be sent at all was decided in Connection::open.

namespace relayaudit::ldapcollect {
namespace {

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

} // namespace

void Connection::bind() {
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
    bool tls = tlsFromStart_ || options_.startTls;
    if (code == LDAP_STRONG_AUTH_REQUIRED || code == LDAP_CONFIDENTIALITY_REQUIRED)
        fail("the server refused the bind as " + who + " (" + withDiagnostic(code, diagnostic) +
             "): " + strongerAuthAdvice(strongerAuthDemand(diagnostic), false, tls));
    if (code == LDAP_INVALID_CREDENTIALS &&
        strongerAuthDemand(diagnostic) == StrongerAuthDemand::ChannelBinding)
        fail("the server refused the bind as " + who + " (" + withDiagnostic(code, diagnostic) +
             "): " + strongerAuthAdvice(StrongerAuthDemand::ChannelBinding, false, tls));
    if (code == LDAP_INVALID_CREDENTIALS) {
        std::string reason = activeDirectoryBindReason(diagnostic);
        fail("the server refused the credentials for " + who + " (LDAP 49, invalid credentials" +
             (reason.empty() ? "" : ": " + reason) +
             "): check the user name and the password file");
    }
    if (code == LDAP_INVALID_DN_SYNTAX)
        fail("the server did not accept '" + printable(who) +
             "' as a bind name (LDAP 34, invalid DN syntax): give a DN, user@realm or "
             "DOMAIN\\user");
    fail("the bind as " + who + " failed: " + withDiagnostic(code, diagnostic));
}

void Connection::bindGssapi() {
    int rc = LDAP_OTHER;
    bool timedOut = false;
    {
        // Synchronous call without a usable timeout: the watchdog bounds it (ldapi:// has
        // no descriptor of ours, and no network to wait for).
        std::optional<SocketWatchdog> watchdog;
        if (fd_ >= 0)
            watchdog.emplace(fd_, options_.timeoutSeconds);
        rc = ldap_sasl_interactive_bind_s(ld_.get(), nullptr, "GSSAPI", nullptr, nullptr,
                                          LDAP_SASL_QUIET, answerSaslQuestions, nullptr);
        timedOut = watchdog && watchdog->fired();
    }
    if (rc == LDAP_SUCCESS) {
        answered_ = true;
        describeSaslLayer();
        return;
    }
    std::string rawDetail = diagnosticOf(ld_.get());
    std::string detail = printable(rawDetail);
    bool tls = tlsFromStart_ || options_.startTls;
    auto demand = strongerAuthDemand(rawDetail);
    if (rc == LDAP_STRONG_AUTH_REQUIRED || rc == LDAP_CONFIDENTIALITY_REQUIRED ||
        (rc == LDAP_UNWILLING_TO_PERFORM && demand == StrongerAuthDemand::NoSaslLayerInTls) ||
        (rc == LDAP_INVALID_CREDENTIALS && demand == StrongerAuthDemand::ChannelBinding))
        fail("the server refused the Kerberos (GSSAPI) bind (" + describeCode(rc) +
             (detail.empty() ? "" : ", server says: \"" + detail + "\"") +
             "): " + strongerAuthAdvice(demand, true, tls));
    if (rc == LDAP_TIMEOUT || timedOut)
        fail(timeoutMessage("the Kerberos (GSSAPI) bind"));
    if (rc == LDAP_AUTH_UNKNOWN || rc == LDAP_NOT_SUPPORTED)
        fail("the GSSAPI SASL mechanism is not available (" + describeCode(rc) +
             (detail.empty() ? "" : ", " + detail) +
             "): install libsasl2-modules-gssapi-mit, and check that the server offers GSSAPI");
    if (rc == LDAP_SERVER_DOWN)
        failLost(rc, "the Kerberos (GSSAPI) bind", {});
    if (tls && rc == LDAP_UNWILLING_TO_PERFORM)
        // AD wants no SASL layer inside TLS (what we ask for); Samba 4.17 accepts GSSAPI inside
        // TLS only with 'ldap server require strong auth = allow_sasl_over_tls'.
        fail("the server refused the Kerberos (GSSAPI) bind inside TLS: " + describeCode(rc) +
             (detail.empty() ? "" : ", " + detail) + ": " +
             strongerAuthAdvice(StrongerAuthDemand::NoSaslLayerInTls, true, tls));
    fail("the Kerberos (GSSAPI) bind to " + host_ + " failed: " + describeCode(rc) +
         (detail.empty() ? "" : ", " + detail) +
         ": run kinit for an account of the domain (check KRB5CCNAME and klist), and use the "
         "domain controller's host name in --uri (its ldap/<host> service principal must "
         "exist)");
}

// What protects the connection after a Kerberos bind, for the snapshot's notes: the SASL
// security strength libldap negotiated (0: none, 1: integrity only, more: also encrypted).
void Connection::describeSaslLayer() {
    if (tlsFromStart_ || options_.startTls) {
        // No SASL layer is asked for inside TLS, so libldap may keep no SASL strength to read.
        securityNote_ = "Kerberos (GSSAPI) bind inside TLS, no SASL layer, with a tls-endpoint "
                        "channel-binding token";
        return;
    }
    ber_len_t strength = 0;
    if (ldap_get_option(ld_.get(), LDAP_OPT_X_SASL_SSF, &strength) != LDAP_OPT_SUCCESS)
        return;
    securityNote_ = "Kerberos (GSSAPI) bind over ldap://, SASL layer of strength " +
                    std::to_string(strength) +
                    (strength > 1 ? " (signed and encrypted)" : " (signed)");
}

} // namespace relayaudit::ldapcollect
