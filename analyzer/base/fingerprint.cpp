#include "fingerprint.h"

#include <nettle/sha2.h>

namespace relayaudit {

Fingerprint fingerprintOf(std::string_view text) {
    sha256_ctx context;
    sha256_init(&context);
    sha256_update(&context, text.size(), reinterpret_cast<const std::uint8_t*>(text.data()));
    Fingerprint fingerprint{};
    sha256_digest(&context, fingerprint.size(), fingerprint.data()); // truncated to 128 bits
    return fingerprint;
}

} // namespace relayaudit
