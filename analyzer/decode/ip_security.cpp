// Decoder of the IPSecurity blob (docs/exchange-relay-facts.md section 3).
//
// The blob comes from the directory and may be damaged or hostile, so every word is read through
// bounds-checked helpers, every count is checked against the bytes that could hold it before
// anything is allocated or looped over, and the first inconsistency ends decoding with a
// DecodeError naming the byte. Arithmetic is done on size_t with comparisons arranged so that
// nothing can overflow (counts are at most 2^32 - 1 and are divided, never multiplied, before the
// comparison).
#include "ip_security.h"

#include "text_encoding.h"

#include <bit>
#include <charconv>
#include <cstring>
#include <optional>

namespace relayaudit {

namespace {

constexpr std::uint32_t kReferenceBit = 0x80000000u;
constexpr std::size_t kHeaderBytes = 24;
constexpr std::size_t kListHeaderBytes = 8;
constexpr std::size_t kAddressEntryBytes = 20;
constexpr std::size_t kNameEntryFixedBytes = 8;
constexpr std::uint32_t kFamilyIpv4 = 2;
constexpr std::uint32_t kSentinelMask = 0xFFFFFFFFu;

// "10.20.0.0": written into one small buffer (the string fits its inline storage), where joining
// to_string pieces allocated once per piece.
std::string dottedQuad(std::uint32_t value) {
    char text[16];
    char* end = text;
    for (int shift = 24; shift >= 0; shift -= 8) {
        // 15 bytes hold the longest ("255.255.255.255"); the last one is kept for the dot, so
        // that even to_chars' error path (which GCC's -O3 overflow check follows) stays inside.
        end = std::to_chars(end, text + sizeof text - 1, (value >> shift) & 0xFF).ptr;
        if (shift != 0)
            *end++ = '.';
    }
    return std::string(text, end);
}

IpAddressEntry makeAddressEntry(std::uint32_t address, std::uint32_t mask) {
    IpAddressEntry entry;
    entry.address = dottedQuad(address);
    entry.mask = dottedQuad(mask);
    const std::uint32_t hostPart = ~mask;
    entry.hostBits = std::popcount(hostPart);
    // Contiguous means the zero bits form one run at the low end: hostPart is then 2^k - 1.
    const bool contiguous = (hostPart & (hostPart + 1)) == 0;
    entry.prefixLength = contiguous ? std::countl_one(mask) : -1;
    return entry;
}

// A field's name for error messages ("grant address list entry 2"), put together only when there
// is an error: the decoder reads a handful of fields per blob, and building each name as a string
// cost more than the decoding.
struct Field {
    std::string_view base;        // "header: flags", or a list name
    std::string_view suffix = ""; // " header", " entry "
    std::size_t entry = 0;        // appended after the suffix when not 0 (1-based)

    std::string text() const {
        std::string name(base);
        name.append(suffix);
        if (entry != 0)
            name += std::to_string(entry);
        return name;
    }
};

class IpSecurityDecoder {
public:
    explicit IpSecurityDecoder(std::span<const std::uint8_t> blob) : blob_(blob) {}

    Decoded<IpSecurityList> decode() {
        if (blob_.size() < kHeaderBytes)
            return fail(0, Field{"header"},
                        "blob of " + std::to_string(blob_.size()) +
                            " bytes is shorter than the 24-byte header");
        std::size_t denyAddressHeader = 0, grantAddressHeader = 0;
        std::size_t denyNameHeader = 0, grantNameHeader = 0;
        std::uint32_t referenceAreaSize = 0;
        IpSecurityList list;
        if (!readReference(0, Field{"header: deny address list"}, kListHeaderBytes,
                           denyAddressHeader) ||
            !readReference(4, Field{"header: grant address list"}, kListHeaderBytes,
                           grantAddressHeader) ||
            !readReference(8, Field{"header: deny name list"}, kListHeaderBytes, denyNameHeader) ||
            !readReference(12, Field{"header: grant name list"}, kListHeaderBytes,
                           grantNameHeader) ||
            !readWord(16, Field{"header: flags"}, list.flags) ||
            !readWord(20, Field{"header: reference area size"}, referenceAreaSize))
            return *error_;
        if (referenceAreaSize < kHeaderBytes || referenceAreaSize > blob_.size())
            return fail(20, Field{"header: reference area size"},
                        "reference area of " + std::to_string(referenceAreaSize) +
                            " bytes does not fit between the header and the end of the " +
                            std::to_string(blob_.size()) + "-byte blob");

        std::size_t grantCount = 0, denyCount = 0;
        bool sentinel = false;
        if (!decodeAddressList(denyAddressHeader, "deny address list", false, list.denyAddresses,
                               denyCount, sentinel) ||
            !decodeAddressList(grantAddressHeader, "grant address list", true, list.grantAddresses,
                               grantCount, sentinel) ||
            !decodeNameList(denyNameHeader, "deny name list", list.denyNames) ||
            !decodeNameList(grantNameHeader, "grant name list", list.grantNames))
            return *error_;
        list.emptyListSentinel = sentinel;
        // The sentinel counts towards G: it is what makes an empty "only the list below" list
        // outweigh an empty deny list.
        grantCount += list.grantNames.size();
        denyCount += list.denyNames.size();
        list.mode = grantCount > denyCount ? RelayListMode::OnlyListBelow
                                           : RelayListMode::AllExceptListBelow;
        return list;
    }

private:
    Decoded<IpSecurityList> fail(std::size_t offset, const Field& field, std::string reason) {
        error_ = DecodeError{offset, field.text(), std::move(reason)};
        return *error_;
    }

    bool setError(std::size_t offset, const Field& field, std::string reason) {
        error_ = DecodeError{offset, field.text(), std::move(reason)};
        return false;
    }

    // Bytes left from offset to the end; offset must not exceed the blob size.
    std::size_t remainingFrom(std::size_t offset) const { return blob_.size() - offset; }

    bool readWord(std::size_t offset, const Field& field, std::uint32_t& value) {
        if (offset > blob_.size() || remainingFrom(offset) < 4)
            return setError(offset, field,
                            "4-byte word at byte " + std::to_string(offset) +
                                " runs past the end of the " + std::to_string(blob_.size()) +
                                "-byte blob");
        const std::uint8_t* bytes = blob_.data() + offset;
        value = std::uint32_t{bytes[0]} | (std::uint32_t{bytes[1]} << 8) |
                (std::uint32_t{bytes[2]} << 16) | (std::uint32_t{bytes[3]} << 24);
        return true;
    }

    // Reads a word that must be a reference (bit 31 set) and yields the offset it points to.
    bool readReferenceWord(std::size_t offset, const Field& field, std::size_t& target) {
        std::uint32_t word = 0;
        if (!readWord(offset, field, word))
            return false;
        if ((word & kReferenceBit) == 0)
            return setError(offset, field,
                            "word 0x" + hex(word) + " is not a reference (bit 31 clear)");
        target = word & ~kReferenceBit;
        return true;
    }

    // Reads a reference word and checks that targetBytes bytes fit at its target.
    bool readReference(std::size_t offset, const Field& field, std::size_t targetBytes,
                       std::size_t& target) {
        if (!readReferenceWord(offset, field, target))
            return false;
        if (target > blob_.size() || remainingFrom(target) < targetBytes)
            return setError(offset, field,
                            "reference to byte " + std::to_string(target) + " needs " +
                                std::to_string(targetBytes) + " bytes there, the blob has " +
                                std::to_string(blob_.size()));
        return true;
    }

    static std::string hex(std::uint32_t value) {
        std::string text;
        for (int shift = 24; shift >= 0; shift -= 8)
            appendHexByte(text, static_cast<std::uint8_t>(value >> shift));
        return text;
    }

    std::uint32_t bigEndianAt(std::size_t offset) const {
        const std::uint8_t* bytes = blob_.data() + offset;
        return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
               (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
    }

    bool decodeAddressList(std::size_t header, std::string_view listName, bool isGrantList,
                           std::vector<IpAddressEntry>& out, std::size_t& addressCount,
                           bool& sentinel) {
        std::uint32_t entryCount = 0, totalAddresses = 0;
        if (!readWord(header, Field{listName, " header"}, entryCount) ||
            !readWord(header + 4, Field{listName, " header"}, totalAddresses))
            return false;
        const std::size_t firstEntry = header + kListHeaderBytes;
        if (entryCount > remainingFrom(firstEntry) / kAddressEntryBytes)
            return setError(header, Field{listName, " header"},
                            "entry count " + std::to_string(entryCount) + " does not fit in the " +
                                std::to_string(remainingFrom(firstEntry)) + " bytes after byte " +
                                std::to_string(firstEntry));
        // First pass: check every entry and add up its addresses, so that nothing is allocated
        // for counts that turn out to be wrong.
        struct EntryData {
            std::size_t offset = 0;          // the mask, then the addresses
            std::uint32_t countWithMask = 0; // checked to fit at offset
        };
        std::vector<EntryData> entries(entryCount);
        std::size_t held = 0;
        for (std::size_t index = 0; index < entryCount; ++index) {
            const std::size_t entry = firstEntry + index * kAddressEntryBytes;
            const Field field{listName, " entry ", index + 1};
            std::uint32_t family = 0, countWithMask = 0;
            if (!readWord(entry, field, family) || !readWord(entry + 4, field, countWithMask))
                return false;
            if (family != kFamilyIpv4)
                return setError(entry, field,
                                "address family " + std::to_string(family) + " not supported");
            if (countWithMask < 2)
                return setError(entry + 4, field,
                                "address count " + std::to_string(countWithMask) +
                                    " must be at least 2 (the mask and one address)");
            // Words 3 and 4 (leading 0xFF mask bytes, next mask byte) restate the mask; the mask
            // bytes themselves are what Exchange matches with, so they are the ones believed.
            if (!readDataReference(entry + 16, field, countWithMask, entries[index].offset))
                return false;
            entries[index].countWithMask = countWithMask;
            held += countWithMask - 1; // at most 2^32 per entry, fewer entries than bytes
        }
        if (held != totalAddresses)
            return setError(header + 4, Field{listName, " header"},
                            "header says " + std::to_string(totalAddresses) +
                                " addresses, entries hold " + std::to_string(held));
        // Honest blobs keep each entry's addresses apart, so a list holds at most one address
        // per 4 bytes. Refusing more bounds the work when entries all point at the same data.
        if (held > blob_.size() / 4)
            return setError(header + 4, Field{listName, " header"},
                            std::to_string(held) + " addresses cannot fit in a " +
                                std::to_string(blob_.size()) +
                                "-byte blob: the entries share their data");
        out.reserve(held);
        for (const auto& [data, countWithMask] : entries) {
            const std::uint32_t mask = bigEndianAt(data);
            for (std::size_t i = 1; i < countWithMask; ++i) {
                const std::uint32_t address = bigEndianAt(data + 4 * i);
                if (isGrantList && address == 0 && mask == kSentinelMask) {
                    sentinel = true;
                    continue;
                }
                out.push_back(makeAddressEntry(address, mask));
            }
        }
        addressCount = held;
        return true;
    }

    // The data reference of an address entry: room for the mask and the addresses (4 bytes each).
    bool readDataReference(std::size_t offset, const Field& field, std::uint32_t wordsNeeded,
                           std::size_t& target) {
        if (!readReferenceWord(offset, field, target))
            return false;
        if (target > blob_.size() || wordsNeeded > remainingFrom(target) / 4)
            return setError(offset, field,
                            "the mask and " + std::to_string(wordsNeeded - 1) +
                                (wordsNeeded == 2 ? " address" : " addresses") + " at byte " +
                                std::to_string(target) + " run past the end of the " +
                                std::to_string(blob_.size()) + "-byte blob");
        return true;
    }

    bool decodeNameList(std::size_t header, std::string_view listName,
                        std::vector<NameEntry>& out) {
        std::uint32_t entryCount = 0, totalNames = 0;
        if (!readWord(header, Field{listName, " header"}, entryCount) ||
            !readWord(header + 4, Field{listName, " header"}, totalNames))
            return false;
        const std::size_t firstEntry = header + kListHeaderBytes;
        // Every entry takes at least 8 bytes (more with its references), so this bounds the loop.
        if (entryCount > remainingFrom(firstEntry) / kNameEntryFixedBytes)
            return setError(header, Field{listName, " header"},
                            "entry count " + std::to_string(entryCount) + " does not fit in the " +
                                std::to_string(remainingFrom(firstEntry)) + " bytes after byte " +
                                std::to_string(firstEntry));
        // First pass: walk the variable-length entries and add up their names. Entries follow
        // each other, so the references of one list cannot outnumber the blob's words.
        std::size_t held = 0;
        std::size_t entry = firstEntry;
        for (std::size_t index = 0; index < entryCount; ++index) {
            const Field field{listName, " entry ", index + 1};
            std::uint32_t componentWord = 0, nameCount = 0;
            if (!readWord(entry, field, componentWord) || !readWord(entry + 4, field, nameCount))
                return false;
            const std::size_t references = entry + kNameEntryFixedBytes;
            if (nameCount > remainingFrom(references) / 4)
                return setError(entry + 4, field,
                                "name count " + std::to_string(nameCount) +
                                    " does not fit in the " +
                                    std::to_string(remainingFrom(references)) +
                                    " bytes after byte " + std::to_string(references));
            held += nameCount;
            entry = references + 4 * std::size_t{nameCount};
        }
        if (held != totalNames)
            return setError(header + 4, Field{listName, " header"},
                            "header says " + std::to_string(totalNames) + " names, entries hold " +
                                std::to_string(held));
        out.reserve(held);
        // Names of an honest blob do not overlap, so their text cannot add up to more than the
        // blob; refusing more keeps references that all point at one long string from costing
        // quadratic time and memory.
        std::size_t nameBytes = 0;
        entry = firstEntry;
        for (std::size_t index = 0; index < entryCount; ++index) {
            const Field field{listName, " entry ", index + 1};
            // Both words were read and checked in the first pass.
            std::uint32_t componentWord = 0, nameCount = 0;
            readWord(entry, field, componentWord);
            readWord(entry + 4, field, nameCount);
            const std::size_t references = entry + kNameEntryFixedBytes;
            for (std::size_t i = 0; i < nameCount; ++i) {
                const std::size_t referenceOffset = references + 4 * i;
                std::size_t target = 0;
                if (!readReference(referenceOffset, field, 1, target))
                    return false;
                const void* nul = std::memchr(blob_.data() + target, 0, remainingFrom(target));
                if (nul == nullptr)
                    return setError(referenceOffset, field,
                                    "name at byte " + std::to_string(target) +
                                        " has no terminating NUL before the end of the blob");
                const std::size_t length = static_cast<std::size_t>(
                    static_cast<const std::uint8_t*>(nul) - (blob_.data() + target));
                nameBytes += length + 1;
                if (nameBytes > blob_.size())
                    return setError(referenceOffset, field,
                                    "names overlap: their text adds up to more than the " +
                                        std::to_string(blob_.size()) + "-byte blob");
                for (std::size_t c = 0; c < length; ++c) {
                    const std::uint8_t byte = blob_[target + c];
                    // Names end up in reports; anything but printable ASCII is damage.
                    if (byte < 0x20 || byte > 0x7E)
                        return setError(target + c, field,
                                        "name contains byte 0x" + hex(byte).substr(6) +
                                            ", expected printable ASCII");
                }
                NameEntry name;
                name.name.assign(reinterpret_cast<const char*>(blob_.data() + target), length);
                name.exactName = (componentWord & kReferenceBit) != 0;
                out.push_back(std::move(name));
            }
            entry = references + 4 * std::size_t{nameCount};
        }
        return true;
    }

    std::span<const std::uint8_t> blob_;
    std::optional<DecodeError> error_;
};

} // namespace

Decoded<IpSecurityList> decodeIpSecurity(std::span<const std::uint8_t> blob) {
    return IpSecurityDecoder(blob).decode();
}

const char* toString(RelayListMode mode) {
    switch (mode) {
    case RelayListMode::OnlyListBelow:
        return "only-list-below";
    case RelayListMode::AllExceptListBelow:
        return "all-except-list-below";
    }
    return "unknown";
}

} // namespace relayaudit
