#pragma once
// Self-relative NT security descriptors (nTSecurityDescriptor of receive connectors), DACL only.
// Layout: docs/exchange-relay-facts.md section 4. Pure: bytes in, value or DecodeError out.
#include "decode_error.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace relayaudit {

inline constexpr std::uint8_t kAceAccessAllowed = 0x00;
inline constexpr std::uint8_t kAceAccessDenied = 0x01;
inline constexpr std::uint8_t kAceAccessAllowedObject = 0x05;
inline constexpr std::uint8_t kAceAccessDeniedObject = 0x06;
inline constexpr std::uint8_t kAceFlagInheritOnly = 0x08;

struct AccessControlEntry {
    std::uint8_t type = 0;
    std::uint8_t flags = 0;
    std::uint32_t accessMask = 0;
    std::optional<std::string> objectType;          // lowercase GUID text, object ACEs only
    std::optional<std::string> inheritedObjectType; // lowercase GUID text
    std::string trustee;                            // "S-1-5-7"
    bool inheritOnly() const { return (flags & kAceFlagInheritOnly) != 0; }
};

struct SecurityDescriptor {
    std::uint16_t control = 0;
    std::optional<std::string> owner;
    std::optional<std::string> group;
    bool daclPresent = false;
    std::vector<AccessControlEntry> dacl; // other ACE types are kept with type and flags only
};

Decoded<SecurityDescriptor> decodeSecurityDescriptor(std::span<const std::uint8_t> bytes);

// 16 bytes in ACE order (Data1/2/3 little-endian, then 8 bytes as written) to
// "5c82f031-4e4c-4326-88e1-8c4f0cad9de5".
std::string formatGuid(std::span<const std::uint8_t, 16> bytes);

} // namespace relayaudit
