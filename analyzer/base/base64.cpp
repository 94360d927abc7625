#include "base64.h"

#include <cstdint>
#include <nettle/base64.h>

namespace relayaudit {

std::string base64Encode(std::string_view data) {
    std::string out(BASE64_ENCODE_RAW_LENGTH(data.size()), '\0');
    base64_encode_raw(out.data(), data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
    return out;
}

} // namespace relayaudit
