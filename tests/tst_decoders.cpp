// Behaviour of the pure decoders: the IPSecurity blob (analyzer/ip_security.h), SIDs, security
// descriptors, LDAP integers and booleans, and receive-connector remote IP ranges. Layouts follow
// docs/exchange-relay-facts.md sections 3 and 4. Hostile input must give an error, never a crash.
#include "ip_range.h"
#include "ip_security.h"
#include "ldap_values.h"
#include "security_descriptor.h"
#include "sid.h"
#include "split_mix64.h"

#include <QtTest>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace relayaudit;
using namespace std::string_literals;

namespace {

using Bytes = std::vector<std::uint8_t>;

using testsupport::SplitMix64;

class LittleEndianWriter {
public:
    void u8(std::uint8_t value) { bytes.push_back(value); }
    void u16(std::uint16_t value) {
        u8(static_cast<std::uint8_t>(value));
        u8(static_cast<std::uint8_t>(value >> 8));
    }
    void u32(std::uint32_t value) {
        u16(static_cast<std::uint16_t>(value));
        u16(static_cast<std::uint16_t>(value >> 16));
    }
    void append(const Bytes& more) { bytes.insert(bytes.end(), more.begin(), more.end()); }
    Bytes bytes;
};

void putWord(Bytes& blob, std::size_t offset, std::uint32_t value) {
    for (int i = 0; i < 4; ++i)
        blob[offset + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (8 * i));
}

Bytes fromHex(const char* text) {
    const QByteArray raw = QByteArray::fromHex(QByteArray(text).replace(' ', "").replace('|', ""));
    return Bytes(raw.begin(), raw.end());
}

// For QVERIFY2 messages, which are built even when the check passes.
template <class T> QString why(const Decoded<T>& decoded) {
    return decoded.ok() ? QString("decoded") : QString::fromStdString(decoded.error().describe());
}

constexpr std::uint32_t kReference = 0x80000000u;

// The facts' worked example, "Only the list below: 127.0.0.1", exactly as Exchange wrote it.
const Bytes kWorkedExample = fromHex(
    "18000080 20000080 3C000080 44000080 01000000 4C000000 | 00000000 00000000 | "
    "01000000 01000000 | 02000000 02000000 04000000 00000000 4C000080 | 00000000 00000000 | "
    "00000000 00000000 | FFFFFFFF | 7F000001");

// Offsets inside the worked example, for targeted damage.
constexpr std::size_t kGrantListReference = 4;
constexpr std::size_t kGrantListHeader = 0x20;
constexpr std::size_t kGrantEntry = 0x28;

constexpr std::uint32_t ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return (std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d;
}

struct AddressGroup {
    std::uint32_t mask;
    std::vector<std::uint32_t> addresses;
};

struct NameGroup {
    bool exact;
    std::vector<std::string> names;
};

struct BlobContent {
    std::vector<AddressGroup> denyAddresses, grantAddresses;
    std::vector<NameGroup> denyNames, grantNames;
    std::uint32_t flags = 1;
};

// Writes an IPSecurity blob the way Exchange lays it out: header, the four lists with their
// entries (the reference area), then masks and addresses, then the names.
Bytes buildBlob(const BlobContent& content) {
    auto nameListBytes = [](const std::vector<NameGroup>& groups) {
        std::size_t size = 8;
        for (const auto& group : groups)
            size += 8 + 4 * group.names.size();
        return size;
    };
    const std::size_t denyAddressHeader = 24;
    const std::size_t grantAddressHeader =
        denyAddressHeader + 8 + 20 * content.denyAddresses.size();
    const std::size_t denyNameHeader = grantAddressHeader + 8 + 20 * content.grantAddresses.size();
    const std::size_t grantNameHeader = denyNameHeader + nameListBytes(content.denyNames);
    const std::size_t referenceArea = grantNameHeader + nameListBytes(content.grantNames);

    LittleEndianWriter out, data;
    auto dataReference = [&] {
        return kReference | static_cast<std::uint32_t>(referenceArea + data.bytes.size());
    };
    out.u32(kReference | denyAddressHeader);
    out.u32(kReference | grantAddressHeader);
    out.u32(kReference | denyNameHeader);
    out.u32(kReference | grantNameHeader);
    out.u32(content.flags);
    out.u32(static_cast<std::uint32_t>(referenceArea));
    for (const auto* groups : {&content.denyAddresses, &content.grantAddresses}) {
        std::uint32_t total = 0;
        for (const auto& group : *groups)
            total += static_cast<std::uint32_t>(group.addresses.size());
        out.u32(static_cast<std::uint32_t>(groups->size()));
        out.u32(total);
        for (const auto& group : *groups) {
            std::uint32_t leadingOnes = 0;
            while (leadingOnes < 4 && ((group.mask >> (24 - 8 * leadingOnes)) & 0xFF) == 0xFF)
                ++leadingOnes;
            const std::uint32_t nextByte =
                leadingOnes < 4 ? (group.mask >> (24 - 8 * leadingOnes)) & 0xFF : 0;
            out.u32(2);
            out.u32(static_cast<std::uint32_t>(group.addresses.size() + 1));
            out.u32(leadingOnes);
            out.u32(nextByte);
            out.u32(dataReference());
            for (std::uint32_t word : std::vector<std::uint32_t>{group.mask})
                for (int shift = 24; shift >= 0; shift -= 8)
                    data.u8(static_cast<std::uint8_t>(word >> shift));
            for (std::uint32_t address : group.addresses)
                for (int shift = 24; shift >= 0; shift -= 8)
                    data.u8(static_cast<std::uint8_t>(address >> shift));
        }
    }
    // Names go after all masks and addresses, so their references are patched in afterwards.
    std::vector<std::pair<std::size_t, std::string>> nameReferences;
    for (const auto* groups : {&content.denyNames, &content.grantNames}) {
        std::uint32_t total = 0;
        for (const auto& group : *groups)
            total += static_cast<std::uint32_t>(group.names.size());
        out.u32(static_cast<std::uint32_t>(groups->size()));
        out.u32(total);
        for (const auto& group : *groups) {
            const auto components = static_cast<std::uint32_t>(
                1 + std::count(group.names.front().begin(), group.names.front().end(), '.'));
            out.u32(components | (group.exact ? kReference : 0));
            out.u32(static_cast<std::uint32_t>(group.names.size()));
            for (const auto& name : group.names) {
                nameReferences.emplace_back(out.bytes.size(), name);
                out.u32(0);
            }
        }
    }
    for (const auto& [where, name] : nameReferences) {
        putWord(out.bytes, where, dataReference());
        for (char c : name)
            data.u8(static_cast<std::uint8_t>(c));
        data.u8(0);
    }
    out.append(data.bytes);
    return out.bytes;
}

// Something of everything: two masks, a non-contiguous one, deny entries, both kinds of names.
BlobContent richContent() {
    BlobContent content;
    content.grantAddresses = {{ipv4(255, 255, 255, 0), {ipv4(10, 1, 2, 0), ipv4(10, 1, 3, 0)}},
                              {ipv4(255, 255, 0, 0), {ipv4(172, 16, 0, 0)}},
                              {ipv4(255, 0, 255, 0), {ipv4(192, 0, 2, 0)}}};
    content.denyAddresses = {{ipv4(255, 255, 255, 255), {ipv4(10, 1, 2, 99)}}};
    content.grantNames = {{true, {"mail.corp.example"}}, {false, {"corp.example", "example.org"}}};
    content.denyNames = {{false, {"bad.example"}}};
    return content;
}

Bytes encodeSid(std::uint64_t authority, const std::vector<std::uint32_t>& subAuthorities) {
    LittleEndianWriter out;
    out.u8(1);
    out.u8(static_cast<std::uint8_t>(subAuthorities.size()));
    for (int shift = 40; shift >= 0; shift -= 8)
        out.u8(static_cast<std::uint8_t>(authority >> shift));
    for (std::uint32_t value : subAuthorities)
        out.u32(value);
    return out.bytes;
}

// "5c82f031-4e4c-..." to ACE byte order: Data1/2/3 little-endian, then 8 bytes as written.
Bytes guidBytes(const char* text) {
    Bytes bytes = fromHex(QByteArray(text).replace('-', "").constData());
    std::reverse(bytes.begin(), bytes.begin() + 4);
    std::reverse(bytes.begin() + 4, bytes.begin() + 6);
    std::reverse(bytes.begin() + 6, bytes.begin() + 8);
    return bytes;
}

constexpr const char* kAcceptAnyRecipient = "5c82f031-4e4c-4326-88e1-8c4f0cad9de5";
constexpr const char* kSubmit = "a18293f1-0685-4540-aa63-e32df421b3a2";

const Bytes kAnonymousLogon = encodeSid(5, {7});
const Bytes kEveryone = encodeSid(1, {0});
const Bytes kAuthenticatedUsers = encodeSid(5, {11});
const Bytes kAdministrators = encodeSid(5, {32, 544});

Bytes encodeAce(std::uint8_t type, std::uint8_t flags, std::uint32_t mask, const Bytes& sid,
                const char* objectType = nullptr, const char* inheritedObjectType = nullptr) {
    LittleEndianWriter body;
    body.u32(mask);
    if (type == kAceAccessAllowedObject || type == kAceAccessDeniedObject) {
        body.u32((objectType ? 1u : 0u) | (inheritedObjectType ? 2u : 0u));
        if (objectType)
            body.append(guidBytes(objectType));
        if (inheritedObjectType)
            body.append(guidBytes(inheritedObjectType));
    }
    body.append(sid);
    LittleEndianWriter ace;
    ace.u8(type);
    ace.u8(flags);
    ace.u16(static_cast<std::uint16_t>(4 + body.bytes.size()));
    ace.append(body.bytes);
    return ace.bytes;
}

Bytes encodeAcl(const std::vector<Bytes>& aces) {
    LittleEndianWriter acl;
    std::size_t size = 8;
    for (const auto& ace : aces)
        size += ace.size();
    acl.u8(4); // ACL_REVISION_DS, needed for object ACEs
    acl.u8(0);
    acl.u16(static_cast<std::uint16_t>(size));
    acl.u16(static_cast<std::uint16_t>(aces.size()));
    acl.u16(0);
    for (const auto& ace : aces)
        acl.append(ace);
    return acl.bytes;
}

// Self-relative: header, DACL at byte 20, then the owner SID. No group, no SACL.
Bytes encodeDescriptor(const Bytes& owner, const Bytes& dacl) {
    LittleEndianWriter sd;
    sd.u8(1);
    sd.u8(0);
    sd.u16(0x8004); // SE_SELF_RELATIVE | SE_DACL_PRESENT
    sd.u32(static_cast<std::uint32_t>(20 + dacl.size()));
    sd.u32(0);
    sd.u32(0);
    sd.u32(20);
    sd.append(dacl);
    sd.append(owner);
    return sd.bytes;
}

// A receive connector that relays for anonymous senders, with a deny and an inherit-only ACE.
Bytes openRelayDescriptor() {
    return encodeDescriptor(
        kAdministrators, encodeAcl({encodeAce(kAceAccessAllowedObject, 0, 0x100, kAnonymousLogon,
                                              kAcceptAnyRecipient),
                                    encodeAce(kAceAccessDenied, 0, 0x10000000, kEveryone),
                                    encodeAce(kAceAccessAllowed, kAceFlagInheritOnly | 0x02,
                                              0x000F01FF, kAuthenticatedUsers),
                                    encodeAce(kAceAccessDeniedObject, 0, 0x100, kAuthenticatedUsers,
                                              kSubmit, kAcceptAnyRecipient)}));
}

// Applies one to four random byte changes, word overwrites or truncations.
Bytes mutate(Bytes bytes, SplitMix64& random) {
    const std::size_t edits = 1 + random.below(4);
    for (std::size_t edit = 0; edit < edits && !bytes.empty(); ++edit) {
        switch (random.below(4)) {
        case 0:
            bytes[random.below(bytes.size())] ^= static_cast<std::uint8_t>(1u << random.below(8));
            break;
        case 1:
            bytes[random.below(bytes.size())] = static_cast<std::uint8_t>(random.next());
            break;
        case 2:
            if (bytes.size() >= 4) {
                // Words that hit boundaries: references anywhere, huge counts, zero.
                const std::uint32_t choices[] = {
                    kReference | static_cast<std::uint32_t>(random.below(bytes.size() + 8)),
                    0x7FFFFFFFu, 0xFFFFFFFFu, 0u, static_cast<std::uint32_t>(random.below(64))};
                putWord(bytes, random.below(bytes.size() - 3), choices[random.below(5)]);
            }
            break;
        default:
            bytes.resize(random.below(bytes.size()));
            break;
        }
    }
    return bytes;
}

} // namespace

class TestDecoders : public QObject {
    Q_OBJECT

private slots:
    // ---- IPSecurity blob ------------------------------------------------------------------

    void workedExampleGrantsOnlyLocalhost() {
        QCOMPARE(kWorkedExample.size(), 84u);
        const auto decoded = decodeIpSecurity(kWorkedExample);
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        const auto& list = decoded.value();
        QCOMPARE(list.mode, RelayListMode::OnlyListBelow);
        QCOMPARE(list.flags, 1u);
        QVERIFY(!list.emptyListSentinel);
        QCOMPARE(list.grantAddresses.size(), 1u);
        QCOMPARE(list.grantAddresses[0].address, "127.0.0.1"s);
        QCOMPARE(list.grantAddresses[0].mask, "255.255.255.255"s);
        QCOMPARE(list.grantAddresses[0].prefixLength, 32);
        QCOMPARE(list.grantAddresses[0].hostBits, 0);
        QVERIFY(list.denyAddresses.empty() && list.grantNames.empty() && list.denyNames.empty());
    }

    void testBuilderWritesTheWorkedExampleByteForByte() {
        BlobContent content;
        content.grantAddresses = {{0xFFFFFFFFu, {ipv4(127, 0, 0, 1)}}};
        QCOMPARE(buildBlob(content), kWorkedExample);
    }

    void denyListWithoutGrantsGrantsByDefault() {
        BlobContent content;
        content.denyAddresses = {{0xFFFFFF00u, {ipv4(192, 168, 5, 0)}}};
        const auto decoded = decodeIpSecurity(buildBlob(content));
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        QCOMPARE(decoded.value().mode, RelayListMode::AllExceptListBelow);
        QCOMPARE(decoded.value().denyAddresses.size(), 1u);
        QCOMPARE(decoded.value().denyAddresses[0].address, "192.168.5.0"s);
        QCOMPARE(decoded.value().denyAddresses[0].prefixLength, 24);
        QVERIFY(decoded.value().grantAddresses.empty());
    }

    void presentBlobWithBothListsEmptyGrantsByDefault() {
        const auto decoded = decodeIpSecurity(buildBlob(BlobContent{}));
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        QCOMPARE(decoded.value().mode, RelayListMode::AllExceptListBelow);
        QVERIFY(!decoded.value().emptyListSentinel);
    }

    void sentinelOnlyBlobIsAnEmptyOnlyListBelow() {
        BlobContent content;
        content.grantAddresses = {{0xFFFFFFFFu, {0}}};
        const auto decoded = decodeIpSecurity(buildBlob(content));
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        QCOMPARE(decoded.value().mode, RelayListMode::OnlyListBelow);
        QVERIFY(decoded.value().emptyListSentinel);
        QVERIFY(decoded.value().grantAddresses.empty());
    }

    void sentinelAddressOnTheDenyListIsAnOrdinaryEntry() {
        BlobContent content;
        content.denyAddresses = {{0xFFFFFFFFu, {0}}};
        const auto decoded = decodeIpSecurity(buildBlob(content));
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        QVERIFY(!decoded.value().emptyListSentinel);
        QCOMPARE(decoded.value().denyAddresses.size(), 1u);
        QCOMPARE(decoded.value().mode, RelayListMode::AllExceptListBelow);
    }

    void namesKeepExactAndSubdomainKinds() {
        BlobContent content;
        content.grantNames = {{true, {"mail.corp.example"}}, {false, {"corp.example"}}};
        content.denyNames = {{false, {"bad.example"}}};
        const auto decoded = decodeIpSecurity(buildBlob(content));
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        const auto& list = decoded.value();
        QCOMPARE(list.mode, RelayListMode::OnlyListBelow); // 2 grants > 1 deny
        QCOMPARE(list.grantNames.size(), 2u);
        QCOMPARE(list.grantNames[0].name, "mail.corp.example"s);
        QVERIFY(list.grantNames[0].exactName);
        QCOMPARE(list.grantNames[1].name, "corp.example"s);
        QVERIFY(!list.grantNames[1].exactName);
        QCOMPARE(list.denyNames.size(), 1u);
        QCOMPARE(list.denyNames[0].name, "bad.example"s);
    }

    void entriesWithDifferentMasksGiveTheirPrefixAndHostBits() {
        BlobContent content;
        content.grantAddresses = {{0xFFFFFF00u, {ipv4(10, 1, 2, 0), ipv4(10, 1, 3, 0)}},
                                  {0xFFFF0000u, {ipv4(172, 16, 0, 0)}}};
        const auto decoded = decodeIpSecurity(buildBlob(content));
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        const auto& grants = decoded.value().grantAddresses;
        QCOMPARE(grants.size(), 3u);
        QCOMPARE(grants[1].address, "10.1.3.0"s);
        QCOMPARE(grants[1].mask, "255.255.255.0"s);
        QCOMPARE(grants[1].prefixLength, 24);
        QCOMPARE(grants[1].hostBits, 8);
        QCOMPARE(grants[2].address, "172.16.0.0"s);
        QCOMPARE(grants[2].prefixLength, 16);
        QCOMPARE(grants[2].hostBits, 16);
    }

    void nonContiguousMaskHasNoPrefixLength() {
        BlobContent content;
        content.grantAddresses = {{ipv4(255, 0, 255, 0), {ipv4(192, 0, 2, 0)}}};
        const auto decoded = decodeIpSecurity(buildBlob(content));
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        QCOMPARE(decoded.value().grantAddresses[0].mask, "255.0.255.0"s);
        QCOMPARE(decoded.value().grantAddresses[0].prefixLength, -1);
        QCOMPARE(decoded.value().grantAddresses[0].hostBits, 16);
    }

    void zeroMaskGrantCoversEveryAddress() {
        BlobContent content;
        content.grantAddresses = {{0, {0}}};
        const auto decoded = decodeIpSecurity(buildBlob(content));
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        QVERIFY(!decoded.value().emptyListSentinel);
        QCOMPARE(decoded.value().grantAddresses.size(), 1u);
        QCOMPARE(decoded.value().grantAddresses[0].address, "0.0.0.0"s);
        QCOMPARE(decoded.value().grantAddresses[0].prefixLength, 0);
        QCOMPARE(decoded.value().grantAddresses[0].hostBits, 32);
    }

    void everyTruncationOfAValidBlobIsAnError() {
        for (const Bytes& blob : {kWorkedExample, buildBlob(richContent())}) {
            QVERIFY(decodeIpSecurity(blob).ok());
            for (std::size_t length = 0; length < blob.size(); ++length) {
                const auto decoded =
                    decodeIpSecurity(std::span<const std::uint8_t>(blob.data(), length));
                QVERIFY2(!decoded.ok(), qPrintable(QString("prefix of %1 bytes").arg(length)));
                QVERIFY(decoded.error().offset <= blob.size());
            }
        }
    }

    void blobShorterThanTheHeaderIsAnError() {
        const auto decoded = decodeIpSecurity(Bytes(23, 0));
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, 0u);
        QVERIFY(decoded.error().reason.find("24-byte header") != std::string::npos);
    }

    void referencePastTheEndIsAnError() {
        Bytes blob = kWorkedExample;
        putWord(blob, kGrantListReference, kReference | 84);
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, kGrantListReference);
        QVERIFY2(decoded.error().reason.find("byte 84") != std::string::npos,
                 qPrintable(why(decoded)));
    }

    void dataReferencePastTheEndIsAnError() {
        Bytes blob = kWorkedExample;
        putWord(blob, kGrantEntry + 16, kReference | 82);
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, kGrantEntry + 16);
    }

    void referenceWithoutBit31IsAnError() {
        Bytes blob = kWorkedExample;
        putWord(blob, kGrantListReference, 0x20);
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, kGrantListReference);
        QVERIFY2(decoded.error().reason.find("bit 31 clear") != std::string::npos,
                 qPrintable(why(decoded)));
    }

    void absurdEntryCountIsRefusedWithoutAllocating() {
        Bytes blob = kWorkedExample;
        putWord(blob, kGrantListHeader, 0x7FFFFFFF);
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, kGrantListHeader);
        QVERIFY2(decoded.error().reason.find("entry count 2147483647 does not fit") !=
                     std::string::npos,
                 qPrintable(why(decoded)));
    }

    void absurdAddressCountInAnEntryIsAnError() {
        Bytes blob = kWorkedExample;
        putWord(blob, kGrantEntry + 4, 0xFFFFFFFF);
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, kGrantEntry + 16);
    }

    void addressCountWithoutAnAddressIsAnError() {
        Bytes blob = kWorkedExample;
        putWord(blob, kGrantEntry + 4, 1); // the mask alone
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, kGrantEntry + 4);
    }

    void headerTotalsDisagreeingWithEntriesAreAnError() {
        Bytes blob = kWorkedExample;
        putWord(blob, kGrantListHeader + 4, 2);
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, kGrantListHeader + 4);
        QCOMPARE(decoded.error().reason, "header says 2 addresses, entries hold 1"s);
    }

    void nameTotalsDisagreeingWithEntriesAreAnError() {
        BlobContent content;
        content.grantNames = {{false, {"corp.example", "example.org"}}};
        Bytes blob = buildBlob(content);
        const std::size_t grantNameHeader = 24 + 8 + 8 + 8;
        putWord(blob, grantNameHeader + 4, 3);
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().reason, "header says 3 names, entries hold 2"s);
    }

    void unknownAddressFamilyIsAnError() {
        Bytes blob = kWorkedExample;
        putWord(blob, kGrantEntry, 23); // AF_INET6 on Windows
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, kGrantEntry);
        QCOMPARE(decoded.error().reason, "address family 23 not supported"s);
    }

    void nameWithoutNulInsideTheBlobIsAnError() {
        BlobContent content;
        content.grantNames = {{true, {"mail.corp.example"}}};
        Bytes blob = buildBlob(content);
        blob.back() = 'x'; // the terminating NUL
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QVERIFY2(decoded.error().reason.find("no terminating NUL") != std::string::npos,
                 qPrintable(why(decoded)));
    }

    void referenceAreaLargerThanTheBlobIsAnError() {
        Bytes blob = kWorkedExample;
        putWord(blob, 20, 85);
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, 20u);
    }

    void nameWithControlCharactersIsAnError() {
        BlobContent content;
        content.denyNames = {{false, {"bad\x01.example"}}};
        const Bytes blob = buildBlob(content);
        const auto decoded = decodeIpSecurity(blob);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, blob.size() - 10); // the 0x01 of "bad\x01.example\0"
    }

    void entriesSharingOneDataBlockCannotInflateTheList() {
        // 40 entries of 1000 addresses each, all pointing at the same 4 KB: honest blobs never
        // share data, and decoding it would cost far more than the blob's size.
        const std::size_t entries = 40, addresses = 1000;
        const std::size_t data = 24 + 8 + 8 + 20 * entries + 8 + 8;
        LittleEndianWriter out;
        for (std::uint32_t header : {24u, 32u, static_cast<std::uint32_t>(data - 16),
                                     static_cast<std::uint32_t>(data - 8)})
            out.u32(kReference | header);
        out.u32(0);
        out.u32(static_cast<std::uint32_t>(data));
        out.u32(0);
        out.u32(0);
        out.u32(entries);
        out.u32(entries * addresses);
        for (std::size_t i = 0; i < entries; ++i)
            for (std::uint32_t word : {2u, static_cast<std::uint32_t>(addresses + 1), 4u, 0u,
                                       kReference | static_cast<std::uint32_t>(data)})
                out.u32(word);
        for (int i = 0; i < 4; ++i)
            out.u32(0);
        out.bytes.resize(out.bytes.size() + 4 * (addresses + 1), 0x0A);
        const auto decoded = decodeIpSecurity(out.bytes);
        QVERIFY(!decoded.ok());
        QVERIFY2(decoded.error().reason.find("share their data") != std::string::npos,
                 qPrintable(why(decoded)));
    }

    void relayListModesHaveStableNames() {
        QCOMPARE(toString(RelayListMode::OnlyListBelow), "only-list-below");
        QCOMPARE(toString(RelayListMode::AllExceptListBelow), "all-except-list-below");
    }

    void randomMutationsOfBlobsGiveAValueOrAnError() {
        SplitMix64 random(20240611);
        const std::vector<Bytes> seeds = {kWorkedExample, buildBlob(richContent()),
                                          buildBlob(BlobContent{})};
        std::size_t refused = 0;
        const std::size_t rounds = 6000;
        for (std::size_t round = 0; round < rounds; ++round) {
            const Bytes blob = mutate(seeds[round % seeds.size()], random);
            const auto decoded = decodeIpSecurity(blob);
            if (!decoded.ok()) {
                ++refused;
                QVERIFY(!decoded.error().reason.empty());
                QVERIFY(decoded.error().offset <= blob.size());
                continue;
            }
            const auto& list = decoded.value();
            QVERIFY(list.grantAddresses.size() + list.denyAddresses.size() <= blob.size() / 2);
            QVERIFY(list.grantNames.size() + list.denyNames.size() <= blob.size() / 2);
        }
        QVERIFY(refused > 0 && refused < rounds);
    }

    // ---- SIDs ---------------------------------------------------------------------------

    void wellKnownSidsDecode() {
        QCOMPARE(decodeSid(kAnonymousLogon).value(), "S-1-5-7"s);
        QCOMPARE(decodeSid(kEveryone).value(), "S-1-1-0"s);
    }

    void domainSidGivesRelativeIdAndDomainPart() {
        const auto guest = decodeSid(encodeSid(5, {21, 1004336348, 1177238915, 682003330, 501}));
        QVERIFY2(guest.ok(), qPrintable(why(guest)));
        QCOMPARE(guest.value(), "S-1-5-21-1004336348-1177238915-682003330-501"s);
        QCOMPARE(relativeIdOf(guest.value()), std::optional<std::uint32_t>(501));
        QCOMPARE(domainPartOf(guest.value()),
                 std::optional<std::string>("S-1-5-21-1004336348-1177238915-682003330"));
    }

    void sidOfWrongLengthIsRefused() {
        Bytes longer = kAnonymousLogon;
        longer.push_back(0);
        QVERIFY(!decodeSid(longer).ok());
        QVERIFY(!decodeSid(std::span(kAnonymousLogon).first(kAnonymousLogon.size() - 1)).ok());
        std::size_t consumed = 0;
        QVERIFY(decodeSidPrefix(longer, consumed).ok());
        QCOMPARE(consumed, kAnonymousLogon.size());
    }

    void sidWithMoreThanFifteenSubAuthoritiesIsRefused() {
        const auto decoded = decodeSid(encodeSid(5, std::vector<std::uint32_t>(16, 1)));
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, 1u);
    }

    void largeAuthorityIsPrintedInHexLikeWindows() {
        QCOMPARE(decodeSid(encodeSid(0x123456789ABCull, {1})).value(), "S-1-0x123456789abc-1"s);
        QCOMPARE(decodeSid(encodeSid(0xFFFFFFFFull, {})).value(), "S-1-4294967295"s);
    }

    void sidTextIsParsedStrictly() {
        QCOMPARE(relativeIdOf("S-1-5-7"), std::optional<std::uint32_t>(7));
        QCOMPARE(domainPartOf("S-1-5-7"), std::optional<std::string>("S-1-5"));
        QCOMPARE(relativeIdOf("S-1-0x123456789abc-9"), std::optional<std::uint32_t>(9));
        for (const char* bad :
             {"S-1-5", "s-1-5-7", "S-2-5-7", "S-1-5-07", "S-1-5-7-", "S-1--7", "S-1-5-4294967296",
              "S-1-5- 7", "S-1-5-+7", "", "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16"}) {
            QVERIFY2(!relativeIdOf(bad), bad);
            QVERIFY2(!domainPartOf(bad), bad);
        }
    }

    // ---- LDAP values --------------------------------------------------------------------

    void ldapIntegersParseStrictly() {
        QCOMPARE(parseLdapInteger("0"), std::optional<std::int64_t>(0));
        QCOMPARE(parseLdapInteger("66082"), std::optional<std::int64_t>(66082));
        QCOMPARE(parseLdapInteger("-2147483648"), std::optional<std::int64_t>(-2147483648LL));
        QCOMPARE(parseLdapInteger("9223372036854775807"), std::optional<std::int64_t>(INT64_MAX));
        QCOMPARE(parseLdapInteger("-9223372036854775808"), std::optional<std::int64_t>(INT64_MIN));
        for (const char* bad : {"", "-", "-0", "+1", "007", "00", " 1", "1 ", "1.0", "0x10",
                                "9223372036854775808", "-9223372036854775809", "１"})
            QVERIFY2(!parseLdapInteger(bad), bad);
    }

    void ldapBooleansAreExactlyTrueOrFalse() {
        QCOMPARE(parseLdapBoolean("TRUE"), std::optional<bool>(true));
        QCOMPARE(parseLdapBoolean("FALSE"), std::optional<bool>(false));
        for (const char* bad : {"true", "True", "1", "0", "", "TRUE ", "YES"})
            QVERIFY2(!parseLdapBoolean(bad), bad);
    }

    // ---- Security descriptors -----------------------------------------------------------

    void realDescriptorDecodesOwnerAndDacl() {
        const auto decoded = decodeSecurityDescriptor(openRelayDescriptor());
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        const auto& sd = decoded.value();
        QCOMPARE(sd.control, std::uint16_t{0x8004});
        QCOMPARE(sd.owner, std::optional<std::string>("S-1-5-32-544"));
        QVERIFY(!sd.group);
        QVERIFY(sd.daclPresent);
        QCOMPARE(sd.dacl.size(), 4u);

        const auto& relay = sd.dacl[0];
        QCOMPARE(relay.type, kAceAccessAllowedObject);
        QCOMPARE(relay.accessMask, 0x100u);
        QCOMPARE(relay.objectType, std::optional<std::string>(kAcceptAnyRecipient));
        QVERIFY(!relay.inheritedObjectType);
        QCOMPARE(relay.trustee, "S-1-5-7"s);
        QVERIFY(!relay.inheritOnly());

        QCOMPARE(sd.dacl[1].type, kAceAccessDenied);
        QCOMPARE(sd.dacl[1].accessMask, 0x10000000u);
        QCOMPARE(sd.dacl[1].trustee, "S-1-1-0"s);
        QVERIFY(!sd.dacl[1].objectType);

        QCOMPARE(sd.dacl[2].type, kAceAccessAllowed);
        QVERIFY(sd.dacl[2].inheritOnly());
        QCOMPARE(sd.dacl[2].trustee, "S-1-5-11"s);

        QCOMPARE(sd.dacl[3].type, kAceAccessDeniedObject);
        QCOMPARE(sd.dacl[3].objectType, std::optional<std::string>(kSubmit));
        QCOMPARE(sd.dacl[3].inheritedObjectType, std::optional<std::string>(kAcceptAnyRecipient));
        QCOMPARE(sd.dacl[3].trustee, "S-1-5-11"s);
    }

    void unknownAceTypesAreKeptWithoutTrustee() {
        Bytes audit = encodeAce(0x02, 0x40, 0x00020000, kEveryone); // SYSTEM_AUDIT
        const auto decoded =
            decodeSecurityDescriptor(encodeDescriptor(kAdministrators, encodeAcl({audit})));
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        QCOMPARE(decoded.value().dacl.size(), 1u);
        QCOMPARE(decoded.value().dacl[0].type, std::uint8_t{0x02});
        QCOMPARE(decoded.value().dacl[0].flags, std::uint8_t{0x40});
        QCOMPARE(decoded.value().dacl[0].accessMask, 0x00020000u);
        QVERIFY(decoded.value().dacl[0].trustee.empty());
    }

    void descriptorWithoutDaclFlagHasNoDacl() {
        Bytes sd = openRelayDescriptor();
        sd[2] = 0x00; // control 0x8000: the DACL offset is not to be followed
        const auto decoded = decodeSecurityDescriptor(sd);
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        QVERIFY(!decoded.value().daclPresent);
        QVERIFY(decoded.value().dacl.empty());
    }

    void nullDaclIsReportedAsNoDacl() {
        Bytes sd = openRelayDescriptor();
        putWord(sd, 16, 0); // DACL present flag, no DACL: everyone has full access
        const auto decoded = decodeSecurityDescriptor(sd);
        QVERIFY2(decoded.ok(), qPrintable(why(decoded)));
        QVERIFY(!decoded.value().daclPresent);
    }

    // Found by fuzz_security_descriptor: the error named byte 284 of a 258-byte value.
    void offsetPointingOutsideTheDescriptorNamesItsHeaderWord() {
        for (std::size_t field : {4, 8, 16}) {
            Bytes sd = openRelayDescriptor();
            putWord(sd, field, 284 + std::uint32_t(sd.size()));
            const auto decoded = decodeSecurityDescriptor(sd);
            QVERIFY(!decoded.ok());
            QCOMPARE(decoded.error().offset, field);
        }
    }

    void everyTruncationOfADescriptorIsAnError() {
        const Bytes sd = openRelayDescriptor();
        for (std::size_t length = 0; length < sd.size(); ++length) {
            const auto decoded =
                decodeSecurityDescriptor(std::span<const std::uint8_t>(sd.data(), length));
            QVERIFY2(!decoded.ok(), qPrintable(QString("prefix of %1 bytes").arg(length)));
        }
    }

    void aceSizeOverflowingTheAclIsAnError() {
        Bytes sd = openRelayDescriptor();
        const std::size_t firstAce = 20 + 8;
        const std::size_t aclSize = sd[22] | (sd[23] << 8);
        sd[firstAce + 2] = static_cast<std::uint8_t>(aclSize);
        sd[firstAce + 3] = static_cast<std::uint8_t>(aclSize >> 8);
        const auto decoded = decodeSecurityDescriptor(sd);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, firstAce + 2);
        QVERIFY2(decoded.error().reason.find("overflows the ACL") != std::string::npos,
                 qPrintable(why(decoded)));
    }

    void aclLargerThanTheDescriptorIsAnError() {
        Bytes sd = openRelayDescriptor();
        sd[22] = 0xFF;
        sd[23] = 0xFF;
        const auto decoded = decodeSecurityDescriptor(sd);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, 22u);
    }

    void aceSmallerThanItsHeaderAndMaskIsAnError() {
        Bytes sd = openRelayDescriptor();
        sd[20 + 8 + 2] = 4;
        sd[20 + 8 + 3] = 0;
        const auto decoded = decodeSecurityDescriptor(sd);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().offset, 20u + 8 + 2);
    }

    void guidTextUsesAceByteOrder() {
        const Bytes bytes = guidBytes(kAcceptAnyRecipient);
        QCOMPARE(bytes[0], std::uint8_t{0x31}); // Data1 little-endian
        QCOMPARE(formatGuid(std::span<const std::uint8_t, 16>(bytes.data(), 16)),
                 std::string(kAcceptAnyRecipient));
    }

    void randomMutationsOfDescriptorsGiveAValueOrAnError() {
        SplitMix64 random(8675309);
        const Bytes seed = openRelayDescriptor();
        std::size_t refused = 0;
        const std::size_t rounds = 6000;
        for (std::size_t round = 0; round < rounds; ++round) {
            const Bytes sd = mutate(seed, random);
            const auto decoded = decodeSecurityDescriptor(sd);
            if (!decoded.ok()) {
                ++refused;
                QVERIFY(!decoded.error().reason.empty());
                continue;
            }
            QVERIFY(decoded.value().dacl.size() <= sd.size() / 8);
        }
        QVERIFY(refused > 0 && refused < rounds);
    }

    // ---- Remote IP ranges ---------------------------------------------------------------

    void singleIpv4AddressIsARangeOfOne() {
        const auto range = parseRemoteIpRange("192.168.1.10");
        QVERIFY2(range.ok(), qPrintable(why(range)));
        QVERIFY(!range.value().ipv6);
        QCOMPARE(range.value().first, "192.168.1.10"s);
        QCOMPARE(range.value().last, "192.168.1.10"s);
        QCOMPARE(range.value().addressCount, 1.0);
        QVERIFY(!range.value().coversEverything);
    }

    void ipv4PrefixRangeKeepsTheNetwork() {
        const auto range = parseRemoteIpRange("10.1.2.3/8");
        QVERIFY2(range.ok(), qPrintable(why(range)));
        QCOMPARE(range.value().first, "10.0.0.0"s);
        QCOMPARE(range.value().last, "10.255.255.255"s);
        QCOMPARE(range.value().addressCount, 16777216.0);
    }

    void ipv4MaskRangeEqualsItsPrefix() {
        const auto range = parseRemoteIpRange("172.16.5.0(255.255.254.0)");
        QVERIFY2(range.ok(), qPrintable(why(range)));
        QCOMPARE(range.value().first, "172.16.4.0"s);
        QCOMPARE(range.value().last, "172.16.5.255"s);
        QCOMPARE(range.value().addressCount, 512.0);
    }

    void ipv4LowHighRangeCountsBothEnds() {
        const auto range = parseRemoteIpRange("192.168.0.250-192.168.1.4");
        QVERIFY2(range.ok(), qPrintable(why(range)));
        QCOMPARE(range.value().first, "192.168.0.250"s);
        QCOMPARE(range.value().last, "192.168.1.4"s);
        QCOMPARE(range.value().addressCount, 11.0);
    }

    void wholeIpv4SpaceCoversEverything() {
        for (const char* text : {"0.0.0.0-255.255.255.255", "0.0.0.0/0", "1.2.3.4(0.0.0.0)"}) {
            const auto range = parseRemoteIpRange(text);
            QVERIFY2(range.ok(), text);
            QVERIFY2(range.value().coversEverything, text);
            QCOMPARE(range.value().addressCount, 4294967296.0);
        }
    }

    void singleIpv6AddressWithOrWithoutBrackets() {
        for (const char* text : {"::1", "[::1]", "0:0:0:0:0:0:0:1"}) {
            const auto range = parseRemoteIpRange(text);
            QVERIFY2(range.ok(), text);
            QVERIFY(range.value().ipv6);
            QCOMPARE(range.value().first, "::1"s);
            QCOMPARE(range.value().last, "::1"s);
            QCOMPARE(range.value().addressCount, 1.0);
        }
    }

    void ipv6PrefixRange() {
        const auto range = parseRemoteIpRange("2001:DB8::/32");
        QVERIFY2(range.ok(), qPrintable(why(range)));
        QCOMPARE(range.value().first, "2001:db8::"s);
        QCOMPARE(range.value().last, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"s);
        QCOMPARE(range.value().addressCount, std::ldexp(1.0, 96));
        QVERIFY(!range.value().coversEverything);
    }

    void ipv6LowHighRange() {
        const auto range = parseRemoteIpRange("[fe80::1]-fe80::1:0");
        QVERIFY2(range.ok(), qPrintable(why(range)));
        QCOMPARE(range.value().first, "fe80::1"s);
        QCOMPARE(range.value().last, "fe80::1:0"s);
        QCOMPARE(range.value().addressCount, 65536.0);
    }

    void ipv6WithEmbeddedIpv4() {
        const auto range = parseRemoteIpRange("::ffff:192.0.2.1");
        QVERIFY2(range.ok(), qPrintable(why(range)));
        QCOMPARE(range.value().first, "::ffff:192.0.2.1"s);
    }

    void wholeIpv6SpaceCoversEverything() {
        for (const char* text : {"::/0", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}) {
            const auto range = parseRemoteIpRange(text);
            QVERIFY2(range.ok(), text);
            QVERIFY2(range.value().coversEverything, text);
            QCOMPARE(range.value().addressCount, std::ldexp(1.0, 128));
        }
    }

    void badRangesAreRefusedAtTheirOffset_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("offset");
        QTest::newRow("empty") << "" << 0;
        QTest::newRow("three octets") << "10.1.2" << 6;
        QTest::newRow("octet above 255") << "10.256.0.1" << 3;
        QTest::newRow("leading zero") << "10.01.0.1" << 3;
        QTest::newRow("trailing junk") << "10.1.2.3x" << 8;
        QTest::newRow("space") << "10.1.2.3 " << 8;
        QTest::newRow("prefix too long") << "10.0.0.0/33" << 9;
        QTest::newRow("prefix missing") << "10.0.0.0/" << 9;
        QTest::newRow("prefix not a number") << "10.0.0.0/2a" << 10;
        QTest::newRow("mask with holes") << "10.0.0.0(255.0.255.0)" << 9;
        QTest::newRow("mask unclosed") << "10.0.0.0(255.0.0.0" << 18;
        QTest::newRow("range reversed") << "10.0.0.9-10.0.0.1" << 9;
        QTest::newRow("range mixes families") << "10.0.0.1-::1" << 9;
        QTest::newRow("two dashes") << "1.1.1.1-2.2.2.2-3.3.3.3" << 15;
        QTest::newRow("range without end") << "1.1.1.1-" << 8;
        QTest::newRow("two gaps") << "1::2::3" << 4;
        QTest::newRow("triple colon") << "1:::2" << 3;
        QTest::newRow("long group") << "12345::" << 4;
        QTest::newRow("not hex") << "fe80::g" << 6;
        QTest::newRow("too few groups") << "1:2:3" << 5;
        QTest::newRow("nine groups") << "1:2:3:4:5:6:7:8:9" << 16;
        QTest::newRow("ipv6 prefix too long") << "::/129" << 3;
        QTest::newRow("ipv6 with mask") << "::1(255.0.0.0)" << 3;
        QTest::newRow("unclosed bracket") << "[::1" << 4;
        QTest::newRow("bracketed ipv4") << "[1.2.3.4]" << 1;
        QTest::newRow("zone index") << "fe80::1%eth0" << 7;
    }

    void badRangesAreRefusedAtTheirOffset() {
        QFETCH(QString, text);
        QFETCH(int, offset);
        const std::string input = text.toStdString();
        const auto range = parseRemoteIpRange(input);
        QVERIFY2(!range.ok(), qPrintable(text));
        QCOMPARE(range.error().offset, static_cast<std::size_t>(offset));
        QVERIFY(!range.error().reason.empty());
    }
};

QTEST_GUILESS_MAIN(TestDecoders)
#include "tst_decoders.moc"
