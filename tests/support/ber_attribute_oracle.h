#pragma once
// What libldap's own reader makes of one attribute of a search result entry: ber_scanf "{mM}",
// the call ldap_get_attribute_ber makes. The oracle of readPartialAttribute (ber_attribute.h) in
// tst_ldap_parts and in the ber_attribute fuzz target.
#include <cstdint>
#include <lber.h>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit::testsupport {

struct LibldapAttribute {
    bool ok = false;
    std::string type;
    std::vector<std::string> values;
    bool bytesAfterValueSet = false; // libldap stops after the set and does not look further
};

// `contents` are the bytes inside the attribute's SEQUENCE; they are wrapped in one here.
inline LibldapAttribute libldapReadsAttribute(std::string_view contents) {
    std::string wrapped("\x30\x84", 2);
    for (int shift = 24; shift >= 0; shift -= 8)
        wrapped.push_back(static_cast<char>((contents.size() >> shift) & 0xFF));
    wrapped.append(contents);
    berval input{wrapped.size(), wrapped.data()};
    BerElement* ber = ber_init(&input); // a copy: ber_scanf writes NULs into its buffer
    LibldapAttribute result;
    if (!ber)
        return result;
    berval type{};
    berval* values = nullptr;
    ber_len_t size = sizeof(berval);
    result.ok = ber_scanf(ber, "{mM}", &type, &values, &size, ber_len_t(0)) != LBER_ERROR;
    if (result.ok) {
        result.type.assign(type.bv_val, type.bv_len);
        for (berval* v = values; v && v->bv_val; ++v)
            result.values.emplace_back(v->bv_val, v->bv_len);
        result.bytesAfterValueSet = ber_remaining(ber) > 0;
    }
    ber_memfree(values);
    ber_free(ber, 1);
    return result;
}

} // namespace relayaudit::testsupport
