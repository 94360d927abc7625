#pragma once
// How the collector fails and what its messages say: libldap result codes and server
// diagnostics turned into one terminal-safe line that tells the user what to do.
#include <ldap.h>
#include <string>
#include <string_view>

namespace relayaudit::ldapcollect {

// Thrown inside the collector only; collectFromLdap turns it into CollectResult::error.
struct CollectFailure {
    std::string message;
};

[[noreturn]] void fail(std::string message);

// "Can't contact LDAP server (LDAP -1)".
std::string describeCode(int code);

// Servers end diagnostics with spaces or a line break now and then: noise, not content.
std::string trimmedDiagnostic(const char* raw);

// The "additional info" a server or libldap attached to the last failure, if any.
std::string diagnosticOf(LDAP* ld);

// The result code of the last failed operation on the handle (LDAP_OTHER if unknown).
int lastErrorOf(LDAP* ld);

// Every string from the directory or the server (DNs, attribute names, diagnostics, referrals)
// goes through this before it joins a message or a progress line: directory text is
// attacker-controlled (see terminalSafeText), and a message stays one readable line.
std::string printable(std::string_view text, std::size_t limit = 300);

// describeCode, plus what the server said about it.
std::string withDiagnostic(int code, const std::string& diagnostic);

// Codes that mean the connection itself failed, not the operation.
bool isTransportError(int code);

// AD puts the real reason of a failed bind in the diagnostic text: "... AcceptSecurityContext
// error, data 52e, v4563". Returns it in words ("the password is wrong"), or empty.
std::string activeDirectoryBindReason(const std::string& diagnostic);

// What a hardened domain controller wants when it refuses a bind as not strong enough (LDAP 8,
// or AD's LDAP 49 "data 80090346" for a missing channel-binding token), told apart by the
// words of its diagnostic: AD and Samba say which (docs/design.md, LDAP collector).
enum class StrongerAuthDemand {
    Signing,          // LDAP signing required (AD "integrity checking", Samba "Sign or Seal")
    Tls,              // a TLS-protected connection (Samba "Transport encryption required")
    ChannelBinding,   // LDAP channel binding (ADV190023, SEC_E_BAD_BINDINGS 80090346)
    NoSaslLayerInTls, // Samba/AD "Sign or Seal are not allowed if TLS is used"
    Unknown,
};
StrongerAuthDemand strongerAuthDemand(const std::string& diagnostic);

// One sentence: what the server wants and what to use instead, for a refused simple bind
// (gssapi false) or Kerberos bind; tls says whether the connection was already under TLS.
std::string strongerAuthAdvice(StrongerAuthDemand demand, bool gssapi, bool tls);

} // namespace relayaudit::ldapcollect
