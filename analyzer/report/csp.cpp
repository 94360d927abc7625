#include "csp.h"

#include "base64.h"

#include <nettle/sha2.h>

namespace relayaudit {

std::string cspHash(std::string_view content) {
    sha256_ctx context;
    sha256_init(&context);
    sha256_update(&context, content.size(), reinterpret_cast<const std::uint8_t*>(content.data()));
    std::string digest(SHA256_DIGEST_SIZE, '\0');
    sha256_digest(&context, digest.size(), reinterpret_cast<std::uint8_t*>(digest.data()));
    return "sha256-" + base64Encode(digest);
}

} // namespace relayaudit
