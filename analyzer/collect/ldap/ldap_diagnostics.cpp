#include "ldap_diagnostics.h"

#include "ldap_handles.h"
#include "strings.h"
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

} // namespace relayaudit::ldapcollect
