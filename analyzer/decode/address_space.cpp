#include "address_space.h"

#include "string_helpers.h"

namespace relayaudit {

namespace {

constexpr std::string_view kLocalPrefix = "Local:";

DecodeError spaceError(std::size_t offset, std::string reason) {
    return DecodeError{offset, "address space", std::move(reason)};
}

} // namespace

Decoded<AddressSpace> parseAddressSpace(std::string_view text) {
    AddressSpace space;
    std::size_t position = 0;
    if (text.size() >= kLocalPrefix.size() &&
        equalsIgnoreCase(text.substr(0, kLocalPrefix.size()), kLocalPrefix)) {
        space.routingGroupScope = true;
        position = kLocalPrefix.size();
    }
    const std::size_t colon = text.find(':', position);
    if (colon == std::string_view::npos || colon == position)
        return spaceError(position, "expected an address type and ':'");
    space.type = std::string(text.substr(position, colon - position));
    const std::size_t semicolon = text.rfind(';');
    if (semicolon == std::string_view::npos || semicolon < colon)
        return spaceError(text.size(), "expected ';' and a cost after the address");
    space.address = std::string(text.substr(colon + 1, semicolon - colon - 1));
    if (space.address.empty())
        return spaceError(colon + 1, "the address is empty");
    const std::string_view digits = text.substr(semicolon + 1);
    if (digits.empty() || digits.size() > 3)
        return spaceError(semicolon + 1, "expected a cost of 1 to 100");
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (digits[i] < '0' || digits[i] > '9')
            return spaceError(semicolon + 1 + i, "unexpected character in the cost");
        space.cost = space.cost * 10 + static_cast<unsigned>(digits[i] - '0');
    }
    if (space.cost < 1 || space.cost > 100)
        return spaceError(semicolon + 1,
                          "cost " + std::to_string(space.cost) + " is outside 1..100");
    return space;
}

} // namespace relayaudit
