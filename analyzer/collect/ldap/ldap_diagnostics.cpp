#include "ldap_diagnostics.h"

#include "ldap_handles.h"
#include "string_helpers.h"
#include "text_encoding.h"

#include <utility>

namespace relayaudit::ldapcollect {

void fail(std::string message) {
    throw CollectFailure{std::move(message)};
}

std::string describeCode(int code) {
    const char* text = ldap_err2string(code);
    return std::string(text ? text : "unknown error") + " (LDAP " + std::to_string(code) + ")";
}

std::string trimmedDiagnostic(const char* raw) {
    std::string text = raw ? raw : "";
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' ||
                             text.back() == '\t'))
        text.pop_back();
    return text;
}

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

std::string printable(std::string_view text, std::size_t limit) {
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

// The codes are Win32 errors, documented for LDAP binds.
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

StrongerAuthDemand strongerAuthDemand(const std::string& diagnostic) {
    std::string text = toLowerAscii(diagnostic);
    auto has = [&](const char* words) { return text.find(words) != std::string::npos; };
    // Order matters: "not allowed if TLS is used" also contains "sign or seal".
    if (has("not allowed if tls"))
        return StrongerAuthDemand::NoSaslLayerInTls;
    if (has("80090346") || has("channel binding") || has("channel-binding"))
        return StrongerAuthDemand::ChannelBinding;
    if (has("integrity") || has("sign or seal are required") || has("signing"))
        return StrongerAuthDemand::Signing;
    if (has("transport encryption") || has("confidentiality") || has("ssl") || has("tls"))
        return StrongerAuthDemand::Tls;
    return StrongerAuthDemand::Unknown;
}

std::string strongerAuthAdvice(StrongerAuthDemand demand, bool gssapi, bool tls) {
    switch (demand) {
    case StrongerAuthDemand::Signing:
        if (gssapi && tls)
            return "the domain controller wants a Kerberos signing layer even inside TLS, which "
                   "relayaudit does not ask for there (AD refuses it inside TLS): use --sasl "
                   "gssapi with ldap:// and without --starttls (Kerberos signs and encrypts that "
                   "connection itself)";
        if (gssapi)
            return "the domain controller requires LDAP signing and the Kerberos bind did not "
                   "negotiate it: check that libsasl2-modules-gssapi-mit is installed (relayaudit "
                   "asks for at least integrity over ldap://)";
        return "the domain controller requires LDAP signing (integrity), which a simple bind "
               "cannot give: use --sasl gssapi over ldap:// (Kerberos signs the connection), or "
               "ldaps:// or --starttls";
    case StrongerAuthDemand::Tls:
        return "the domain controller requires a TLS-protected connection for this bind: use "
               "ldaps:// or --starttls, or --sasl gssapi over ldap:// (Kerberos signs and seals)";
    case StrongerAuthDemand::ChannelBinding:
        return "the domain controller requires LDAP channel binding (LdapEnforceChannelBinding) "
               "and did not accept the channel-binding token: use --sasl gssapi over ldaps:// "
               "(relayaudit sends a tls-endpoint token), with the host name the certificate was "
               "issued for, and no TLS-inspecting proxy in between";
    case StrongerAuthDemand::NoSaslLayerInTls:
        return "the domain controller refuses Kerberos inside TLS (Samba's 'ldap server require "
               "strong auth = yes' does): use --sasl gssapi with ldap:// and without --starttls "
               "(Kerberos signs and encrypts that connection itself)";
    case StrongerAuthDemand::Unknown:
        break;
    }
    if (tls)
        return "the domain controller wants stronger authentication than this bind, and did not "
               "say which: over TLS that is usually channel binding; try --sasl gssapi over "
               "ldap:// (signed), or over ldaps:// (with a channel-binding token)";
    return "the domain controller wants stronger authentication than this bind, and did not say "
           "which: LDAP signing (use --sasl gssapi over ldap://) or TLS (use ldaps:// or "
           "--starttls)";
}

} // namespace relayaudit::ldapcollect
