#include "dn.h"

#include "string_helpers.h"
#include "text_encoding.h"

namespace relayaudit {

namespace {

std::string trimSpaces(std::string_view text) {
    auto begin = text.find_first_not_of(' ');
    if (begin == std::string_view::npos)
        return {};
    auto end = text.find_last_not_of(' ');
    return std::string(text.substr(begin, end - begin + 1));
}
} // namespace

std::vector<RelativeName> splitDn(std::string_view dn) {
    std::vector<RelativeName> names;
    RelativeName current;
    std::string raw;
    bool inValue = false;
    bool skipRest = false; // after '+' in a multi-valued RDN
    auto finish = [&] {
        if (inValue) {
            current.value = trimSpaces(raw);
            names.push_back(current);
        }
        current = {};
        raw.clear();
        inValue = false;
        skipRest = false;
    };
    for (std::size_t i = 0; i < dn.size(); ++i) {
        char c = dn[i];
        if (c == '\\' && i + 1 < dn.size()) {
            int high = hexDigitValue(dn[i + 1]);
            int low = i + 2 < dn.size() ? hexDigitValue(dn[i + 2]) : -1;
            char decoded;
            if (high >= 0 && low >= 0) {
                decoded = char(high * 16 + low);
                i += 2;
            } else {
                decoded = dn[i + 1];
                i += 1;
            }
            if (!skipRest)
                raw.push_back(decoded);
            continue;
        }
        if (c == ',' || c == ';') {
            finish();
            continue;
        }
        if (skipRest)
            continue;
        if (c == '+' && inValue) {
            skipRest = true;
            continue;
        }
        if (c == '=' && !inValue) {
            current.type = trimSpaces(raw);
            raw.clear();
            inValue = true;
            continue;
        }
        raw.push_back(c);
    }
    finish();
    return names;
}

std::string domainSuffixOf(std::string_view dn) {
    auto names = splitDn(dn);
    std::size_t first = names.size();
    while (first > 0 && equalsIgnoreCase(names[first - 1].type, "DC"))
        --first;
    std::string suffix;
    for (std::size_t i = first; i < names.size(); ++i) {
        if (!suffix.empty())
            suffix += ',';
        suffix += "DC=" + names[i].value;
    }
    return suffix;
}

std::string dnsNameOfDomainDn(std::string_view dn) {
    std::string name;
    for (const auto& rdn : splitDn(dn)) {
        if (!equalsIgnoreCase(rdn.type, "DC"))
            continue;
        if (!name.empty())
            name += '.';
        name += rdn.value;
    }
    return name;
}

} // namespace relayaudit
