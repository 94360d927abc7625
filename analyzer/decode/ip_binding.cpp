#include "ip_binding.h"

#include <algorithm>

namespace relayaudit {

namespace {

DecodeError bindingError(std::size_t offset, std::string reason) {
    return DecodeError{offset, "binding", std::move(reason)};
}

} // namespace

bool IpBinding::anyAddress() const {
    return std::all_of(address.bytes.begin(), address.bytes.begin() + address.width(),
                       [](std::uint8_t byte) { return byte == 0; });
}

Decoded<IpBinding> parseBinding(std::string_view text) {
    // The port follows the last ':'; an IPv6 address must then be bracketed, otherwise its own
    // last group would be taken for the port.
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos)
        return bindingError(text.size(), "expected ':' and a port after the address");
    const std::string_view host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos && (host.empty() || host.front() != '['))
        return bindingError(0, "an IPv6 address in a binding must be in brackets");
    auto address = parseIpAddress(host, 0);
    if (!address.ok()) {
        auto error = address.error();
        error.field = "binding";
        return error;
    }
    const std::string_view digits = text.substr(colon + 1);
    if (digits.empty() || digits.size() > 5)
        return bindingError(colon + 1, "expected a port number of 1 to 5 digits");
    unsigned port = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (digits[i] < '0' || digits[i] > '9')
            return bindingError(colon + 1 + i, "unexpected character in the port number");
        port = port * 10 + static_cast<unsigned>(digits[i] - '0');
    }
    if (port == 0 || port > 65535)
        return bindingError(colon + 1, "port " + std::to_string(port) + " is outside 1..65535");
    return IpBinding{address.value(), port};
}

} // namespace relayaudit
