#pragma once
// Ownership of what libldap allocates: each type frees with the function libldap documents for
// it, so no early return or thrown CollectFailure leaks a handle, message or control.
#include <ldap.h>
#include <memory>

namespace relayaudit::ldapcollect {

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

// The value array ldap_get_attribute_ber hands out: the array is ours, the bytes stay in the
// message's BER buffer.
struct BerVarrayFree {
    void operator()(berval* values) const noexcept { ber_memfree(values); }
};
using BerValues = std::unique_ptr<berval, BerVarrayFree>;

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

} // namespace relayaudit::ldapcollect
