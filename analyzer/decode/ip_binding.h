#pragma once
// msExchSmtpReceiveBindings values: "address:port", IPv6 in brackets ("[::]:25").
// Pure: text in, value or DecodeError out (offset = character position).
#include "decode_error.h"
#include "ip_range.h"

#include <string_view>

namespace relayaudit {

struct IpBinding {
    IpAddress address;
    unsigned port = 0;
    bool anyAddress() const; // 0.0.0.0 or ::, i.e. every local address
};

Decoded<IpBinding> parseBinding(std::string_view text);

} // namespace relayaudit
