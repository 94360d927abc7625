#pragma once
// Address spaces of Exchange 2000/2003 connectors (routingList values): "TYPE:address;cost",
// e.g. "SMTP:*;1", optionally prefixed "Local:" when the connector is scoped to its routing
// group (docs/exchange-relay-facts.md section 4.5). Pure: text in, value or DecodeError out.
#include "decode_error.h"

#include <string>
#include <string_view>

namespace relayaudit {

struct AddressSpace {
    bool routingGroupScope = false; // "Local:" prefix
    std::string type;               // "SMTP", "X400", ...
    std::string address;            // "*", "*.contoso.com", "contoso.com"
    unsigned cost = 0;              // 1..100
    bool everyDomain() const { return address == "*"; }
};

Decoded<AddressSpace> parseAddressSpace(std::string_view text);

} // namespace relayaudit
