// Decoder of self-relative NT security descriptors, owner, group and DACL (MS-DTYP 2.4.6).
// Every offset and size read from the descriptor is checked against the bytes that exist before it
// is followed; an ACE or ACL that does not fit ends decoding with a DecodeError naming the byte.
#include "security_descriptor.h"

#include "sid.h"

#include <cstdio>

namespace relayaudit {

namespace {

constexpr std::size_t kDescriptorHeaderBytes = 20;
constexpr std::size_t kAclHeaderBytes = 8;
constexpr std::size_t kAceHeaderBytes = 4;
constexpr std::size_t kAceMinimumBytes = 8; // header and access mask
constexpr std::size_t kGuidBytes = 16;
constexpr std::uint16_t kControlDaclPresent = 0x0004;
constexpr std::uint16_t kControlSelfRelative = 0x8000;
constexpr std::uint32_t kObjectTypePresent = 0x1;
constexpr std::uint32_t kInheritedObjectTypePresent = 0x2;

std::uint16_t read16(std::span<const std::uint8_t> bytes, std::size_t offset) {
    return static_cast<std::uint16_t>(bytes[offset] | (bytes[offset + 1] << 8));
}

std::uint32_t read32(std::span<const std::uint8_t> bytes, std::size_t offset) {
    return std::uint32_t{bytes[offset]} | (std::uint32_t{bytes[offset + 1]} << 8) |
           (std::uint32_t{bytes[offset + 2]} << 16) | (std::uint32_t{bytes[offset + 3]} << 24);
}

std::string hex16(std::uint16_t value) {
    char text[7];
    std::snprintf(text, sizeof text, "0x%04x", value);
    return text;
}

// A SID error's offset is relative to where the SID starts; move it to descriptor coordinates.
DecodeError sidErrorAt(const DecodeError& error, std::size_t sidOffset, std::string field) {
    return DecodeError{sidOffset + error.offset, std::move(field), error.reason};
}

// `offsetField` is where the header holds `offset`: an offset pointing outside the descriptor is
// an error of that header word (an error never names a byte the value does not have).
Decoded<std::string> decodeSidAt(std::span<const std::uint8_t> descriptor, std::size_t offset,
                                 std::size_t offsetField, const std::string& field) {
    if (offset >= descriptor.size())
        return DecodeError{offsetField, field,
                           "SID offset " + std::to_string(offset) + " lies outside the " +
                               std::to_string(descriptor.size()) + "-byte descriptor"};
    std::size_t consumed = 0;
    auto sid = decodeSidPrefix(descriptor.subspan(offset), consumed);
    if (!sid.ok())
        return sidErrorAt(sid.error(), offset, field);
    return sid;
}

// Decodes one ACE whose `size` bytes at `offset` are known to lie inside the ACL.
Decoded<AccessControlEntry> decodeAce(std::span<const std::uint8_t> bytes, std::size_t offset,
                                      std::size_t size, const std::string& field) {
    AccessControlEntry ace;
    ace.type = bytes[offset];
    ace.flags = bytes[offset + 1];
    ace.accessMask = read32(bytes, offset + kAceHeaderBytes);
    std::size_t position = kAceMinimumBytes; // relative to the ACE
    switch (ace.type) {
    case kAceAccessAllowed:
    case kAceAccessDenied:
        break;
    case kAceAccessAllowedObject:
    case kAceAccessDeniedObject: {
        if (size - position < 4)
            return DecodeError{offset + position, field,
                               "object ACE of " + std::to_string(size) +
                                   " bytes has no room for its object flags"};
        const std::uint32_t objectFlags = read32(bytes, offset + position);
        position += 4;
        auto readGuid = [&](std::optional<std::string>& target) -> bool {
            if (size - position < kGuidBytes)
                return false;
            target = formatGuid(bytes.subspan(offset + position).first<kGuidBytes>());
            position += kGuidBytes;
            return true;
        };
        if ((objectFlags & kObjectTypePresent) && !readGuid(ace.objectType))
            return DecodeError{offset + position, field,
                               "object type GUID runs past the end of the " + std::to_string(size) +
                                   "-byte ACE"};
        if ((objectFlags & kInheritedObjectTypePresent) && !readGuid(ace.inheritedObjectType))
            return DecodeError{offset + position, field,
                               "inherited object type GUID runs past the end of the " +
                                   std::to_string(size) + "-byte ACE"};
        break;
    }
    default:
        // Audit, alarm and callback ACEs do not grant or deny; their layout is not needed.
        return ace;
    }
    std::size_t consumed = 0;
    auto trustee = decodeSidPrefix(bytes.subspan(offset + position, size - position), consumed);
    if (!trustee.ok())
        return sidErrorAt(trustee.error(), offset + position, field + " trustee");
    ace.trustee = trustee.value();
    return ace;
}

Decoded<std::vector<AccessControlEntry>> decodeAcl(std::span<const std::uint8_t> bytes,
                                                   std::size_t offset, std::size_t offsetField) {
    const std::string field = "DACL";
    if (offset > bytes.size() || bytes.size() - offset < kAclHeaderBytes)
        return DecodeError{offsetField, field,
                           "8-byte ACL header at byte " + std::to_string(offset) +
                               " runs past the end of the " + std::to_string(bytes.size()) +
                               "-byte descriptor"};
    const std::uint8_t revision = bytes[offset];
    // ACL_REVISION (2) and ACL_REVISION_DS (4, needed for object ACEs) are the only ones defined.
    if (revision != 2 && revision != 4)
        return DecodeError{offset, field,
                           "ACL revision " + std::to_string(revision) + " is neither 2 nor 4"};
    const std::size_t aclSize = read16(bytes, offset + 2);
    const std::size_t aceCount = read16(bytes, offset + 4);
    if (aclSize < kAclHeaderBytes || aclSize > bytes.size() - offset)
        return DecodeError{offset + 2, field,
                           "ACL size " + std::to_string(aclSize) + " at byte " +
                               std::to_string(offset) + " does not fit in the " +
                               std::to_string(bytes.size()) + "-byte descriptor"};
    if (aceCount > (aclSize - kAclHeaderBytes) / kAceMinimumBytes)
        return DecodeError{offset + 4, field,
                           std::to_string(aceCount) + " ACEs cannot fit in an ACL of " +
                               std::to_string(aclSize) + " bytes"};
    const std::size_t aclEnd = offset + aclSize;
    std::vector<AccessControlEntry> aces;
    aces.reserve(aceCount);
    std::size_t position = offset + kAclHeaderBytes;
    for (std::size_t index = 0; index < aceCount; ++index) {
        const std::string aceField = "DACL ACE " + std::to_string(index + 1);
        if (aclEnd - position < kAceHeaderBytes)
            return DecodeError{position, aceField,
                               "ACE header runs past the end of the ACL at byte " +
                                   std::to_string(aclEnd)};
        const std::size_t aceSize = read16(bytes, position + 2);
        if (aceSize < kAceMinimumBytes)
            return DecodeError{position + 2, aceField,
                               "ACE size " + std::to_string(aceSize) +
                                   " is smaller than the 8 bytes of header and mask"};
        if (aceSize > aclEnd - position)
            return DecodeError{position + 2, aceField,
                               "ACE of " + std::to_string(aceSize) + " bytes at byte " +
                                   std::to_string(position) + " overflows the ACL ending at byte " +
                                   std::to_string(aclEnd)};
        auto ace = decodeAce(bytes, position, aceSize, aceField);
        if (!ace.ok())
            return ace.error();
        aces.push_back(ace.value());
        position += aceSize;
    }
    return aces;
}

} // namespace

Decoded<SecurityDescriptor> decodeSecurityDescriptor(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kDescriptorHeaderBytes)
        return DecodeError{0, "security descriptor header",
                           "descriptor of " + std::to_string(bytes.size()) +
                               " bytes is shorter than the 20-byte header"};
    if (bytes[0] != 1)
        return DecodeError{0, "security descriptor header",
                           "revision " + std::to_string(bytes[0]) + " is not 1"};
    SecurityDescriptor descriptor;
    descriptor.control = read16(bytes, 2);
    // Offsets mean something only in the self-relative form, which is what AD stores.
    if ((descriptor.control & kControlSelfRelative) == 0)
        return DecodeError{2, "security descriptor header",
                           "control " + hex16(descriptor.control) +
                               " lacks SE_SELF_RELATIVE (0x8000): offsets cannot be followed"};
    const std::size_t ownerOffset = read32(bytes, 4);
    const std::size_t groupOffset = read32(bytes, 8);
    const std::size_t daclOffset = read32(bytes, 16);
    if (ownerOffset != 0) {
        auto owner = decodeSidAt(bytes, ownerOffset, 4, "owner");
        if (!owner.ok())
            return owner.error();
        descriptor.owner = owner.value();
    }
    if (groupOffset != 0) {
        auto group = decodeSidAt(bytes, groupOffset, 8, "group");
        if (!group.ok())
            return group.error();
        descriptor.group = group.value();
    }
    // A DACL-present flag with offset 0 is a NULL DACL, which Windows treats exactly like an
    // absent DACL: full access for everyone. Reporting both as "no DACL" keeps them together.
    descriptor.daclPresent = (descriptor.control & kControlDaclPresent) != 0 && daclOffset != 0;
    if (descriptor.daclPresent) {
        auto dacl = decodeAcl(bytes, daclOffset, 16);
        if (!dacl.ok())
            return dacl.error();
        descriptor.dacl = dacl.value();
    }
    return descriptor;
}

std::string formatGuid(std::span<const std::uint8_t, 16> bytes) {
    char text[37];
    std::snprintf(text, sizeof text,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[3],
                  bytes[2], bytes[1], bytes[0], bytes[5], bytes[4], bytes[7], bytes[6], bytes[8],
                  bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return text;
}

} // namespace relayaudit
