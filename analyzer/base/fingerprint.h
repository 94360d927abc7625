#pragma once
// A 128-bit fingerprint of a text (the first half of its SHA-256): for sets that must tell texts
// apart but need not keep them, such as the DNs of a million entries already seen. SHA-256 rather
// than a fast hash because the texts come from the directory: nobody can make two DNs collide on
// purpose to hide an object behind another.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace relayaudit {

using Fingerprint = std::array<std::uint8_t, 16>;

Fingerprint fingerprintOf(std::string_view text);

// For unordered containers: the fingerprint is uniformly distributed already.
struct FingerprintHash {
    std::size_t operator()(const Fingerprint& fingerprint) const {
        std::size_t value;
        std::memcpy(&value, fingerprint.data(), sizeof value);
        return value;
    }
};

} // namespace relayaudit
