#pragma once
// Test-side encoders of the real binary formats (facts: docs/exchange-relay-facts.md), written
// independently of the decoders so that tests compare two readings of the format, plus a
// builder of directory entries and LDIF text for rule and CLI tests.
#include "base64.h"
#include "directory.h"
#include "snapshot.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace testsupport {

struct AddressGrant {
    std::string address; // dotted quad
    std::string mask;
};

inline std::uint32_t parseQuad(const std::string& text) {
    unsigned a, b, c, d;
    std::sscanf(text.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d);
    return (a << 24) | (b << 16) | (c << 8) | d;
}

class LittleEndianWriter {
public:
    void word(std::uint32_t value) {
        for (int i = 0; i < 4; ++i)
            bytes.push_back(char((value >> (8 * i)) & 0xFF));
    }
    void bigEndianWord(std::uint32_t value) {
        for (int i = 3; i >= 0; --i)
            bytes.push_back(char((value >> (8 * i)) & 0xFF));
    }
    void patch(std::size_t offset, std::uint32_t value) {
        for (int i = 0; i < 4; ++i)
            bytes[offset + i] = char((value >> (8 * i)) & 0xFF);
    }
    std::string bytes;
};

inline constexpr std::uint32_t kReference = 0x80000000u;

// IPSecurity blob: header, four list headers with their entries, then masks, addresses, names.
inline std::string ipSecurityBlob(const std::vector<AddressGrant>& grants,
                                  const std::vector<AddressGrant>& denies,
                                  const std::vector<std::string>& grantNames = {},
                                  const std::vector<std::string>& denyNames = {}) {
    auto groupByMask = [](const std::vector<AddressGrant>& list) {
        std::vector<std::pair<std::string, std::vector<std::string>>> groups;
        for (const auto& item : list) {
            auto it = std::find_if(groups.begin(), groups.end(),
                                   [&](const auto& g) { return g.first == item.mask; });
            if (it == groups.end())
                groups.push_back({item.mask, {item.address}});
            else
                it->second.push_back(item.address);
        }
        return groups;
    };
    auto denyGroups = groupByMask(denies);
    auto grantGroups = groupByMask(grants);
    std::size_t denyHeader = 24;
    std::size_t grantHeader = denyHeader + 8 + 20 * denyGroups.size();
    std::size_t denyNameHeader = grantHeader + 8 + 20 * grantGroups.size();
    std::size_t grantNameHeader = denyNameHeader + 8 + (8 + 4) * denyNames.size();
    std::size_t referenceArea = grantNameHeader + 8 + (8 + 4) * grantNames.size();

    LittleEndianWriter out;
    out.word(kReference | denyHeader);
    out.word(kReference | grantHeader);
    out.word(kReference | denyNameHeader);
    out.word(kReference | grantNameHeader);
    out.word(0); // flags: no reverse DNS check
    out.word(std::uint32_t(referenceArea));

    std::string data;
    auto writeAddressList = [&](const auto& groups, std::size_t total) {
        out.word(std::uint32_t(groups.size()));
        out.word(std::uint32_t(total));
        for (const auto& [mask, addresses] : groups) {
            std::uint32_t maskValue = parseQuad(mask);
            int leadingFF = 0;
            while (leadingFF < 4 && ((maskValue >> (24 - 8 * leadingFF)) & 0xFF) == 0xFF)
                ++leadingFF;
            std::uint32_t nextByte = leadingFF < 4 ? (maskValue >> (24 - 8 * leadingFF)) & 0xFF : 0;
            out.word(2);
            out.word(std::uint32_t(addresses.size() + 1));
            out.word(std::uint32_t(leadingFF));
            out.word(nextByte);
            out.word(std::uint32_t(kReference | (referenceArea + data.size())));
            LittleEndianWriter chunk;
            chunk.bigEndianWord(maskValue);
            for (const auto& address : addresses)
                chunk.bigEndianWord(parseQuad(address));
            data += chunk.bytes;
        }
    };
    auto writeNameList = [&](const std::vector<std::string>& names) {
        out.word(std::uint32_t(names.size()));
        out.word(std::uint32_t(names.size()));
        for (const auto& name : names) {
            out.word(kReference | 1); // exact name, one component count
            out.word(1);
            out.word(std::uint32_t(kReference | (referenceArea + data.size())));
            data += name;
            data.push_back('\0');
        }
    };
    writeAddressList(denyGroups, denies.size());
    writeAddressList(grantGroups, grants.size());
    writeNameList(denyNames);
    writeNameList(grantNames);
    return out.bytes + data;
}

// The "Only the list below" with nobody on it: one sentinel grant 0.0.0.0/255.255.255.255.
inline std::string emptyOnlyListBlob() {
    return ipSecurityBlob({{"0.0.0.0", "255.255.255.255"}}, {});
}

inline std::string binarySid(const std::vector<std::uint32_t>& subAuthorities,
                             std::uint64_t authority = 5) {
    std::string out;
    out.push_back(1);
    out.push_back(char(subAuthorities.size()));
    for (int i = 5; i >= 0; --i)
        out.push_back(char((authority >> (8 * i)) & 0xFF));
    LittleEndianWriter words;
    for (auto value : subAuthorities)
        words.word(value);
    return out + words.bytes;
}

inline std::string domainSid(std::uint32_t a = 1004336348, std::uint32_t b = 1177238915,
                             std::uint32_t c = 682003330) {
    return binarySid({21, a, b, c});
}
inline std::string guestSid(std::uint32_t a = 1004336348, std::uint32_t b = 1177238915,
                            std::uint32_t c = 682003330) {
    return binarySid({21, a, b, c, 501});
}

// Self-relative security descriptor with only a DACL.
struct TestAce {
    std::uint8_t type;  // 0 allow, 1 deny, 5 allow-object, 6 deny-object
    std::uint8_t flags; // 0x08 inherit-only, 0x10 inherited
    std::uint32_t mask;
    std::string objectTypeGuid; // 16 raw bytes or empty
    std::string sid;            // binary
};

inline std::string guidBytes(const std::string& text) {
    // "5c82f031-4e4c-4326-88e1-8c4f0cad9de5": Data1..3 little-endian, then 8 bytes as written.
    std::string hex;
    for (char c : text)
        if (c != '-')
            hex.push_back(c);
    auto byteAt = [&](int i) { return char(std::stoi(hex.substr(2 * i, 2), nullptr, 16)); };
    std::string out;
    for (int i : {3, 2, 1, 0, 5, 4, 7, 6})
        out.push_back(byteAt(i));
    for (int i = 8; i < 16; ++i)
        out.push_back(byteAt(i));
    return out;
}

inline std::string securityDescriptor(const std::vector<TestAce>& aces) {
    std::string acesBytes;
    for (const auto& ace : aces) {
        LittleEndianWriter body;
        body.word(ace.mask);
        bool objectAce = ace.type == 5 || ace.type == 6;
        if (objectAce)
            body.word(ace.objectTypeGuid.empty() ? 0 : 1);
        std::string tail = body.bytes + (objectAce ? ace.objectTypeGuid : "") + ace.sid;
        std::uint16_t size = std::uint16_t(4 + tail.size());
        acesBytes.push_back(char(ace.type));
        acesBytes.push_back(char(ace.flags));
        acesBytes.push_back(char(size & 0xFF));
        acesBytes.push_back(char(size >> 8));
        acesBytes += tail;
    }
    std::uint16_t aclSize = std::uint16_t(8 + acesBytes.size());
    std::string acl = {4,
                       0,
                       char(aclSize & 0xFF),
                       char(aclSize >> 8),
                       char(aces.size() & 0xFF),
                       char(aces.size() >> 8),
                       0,
                       0};
    acl += acesBytes;
    LittleEndianWriter header;
    header.bytes = {1, 0, 0x04, char(0x80)}; // revision 1, control: DACL present, self-relative
    header.word(0);                          // owner
    header.word(0);                          // group
    header.word(0);                          // SACL
    header.word(20);                         // DACL right after the header
    return header.bytes + acl;
}

inline const char* kAcceptAnyRecipient = "5c82f031-4e4c-4326-88e1-8c4f0cad9de5";

// The context test snapshots are built with: a fixed version and time, so documents compare.
inline relayaudit::CollectionContext fixedContext(const std::string& source = "ldif") {
    relayaudit::CollectionContext context;
    context.sourceKind = source;
    context.toolVersion = "test";
    context.collectedAt = "2026-01-01T00:00:00Z";
    return context;
}

// Directory entries for tests, and their LDIF form.
class Forest {
public:
    std::string base = "DC=corp,DC=example";
    std::vector<relayaudit::DirectoryEntry> entries;

    relayaudit::DirectoryEntry& add(const std::string& dn,
                                    const std::vector<std::string>& objectClasses) {
        entries.push_back({dn, "test", {{"objectClass", objectClasses}}});
        return entries.back();
    }
    static void set(relayaudit::DirectoryEntry& entry, const std::string& name,
                    const std::string& value) {
        for (auto& attribute : entry.attributes)
            if (attribute.name == name) {
                attribute.values = {value};
                return;
            }
        entry.attributes.push_back({name, {value}});
    }
    std::string configuration() const { return "CN=Configuration," + base; }
    std::string organization() const {
        return "CN=First Organization,CN=Microsoft Exchange,CN=Services," + configuration();
    }
    std::string serverDn(const std::string& server) const {
        return "CN=" + server +
               ",CN=Servers,CN=First Administrative Group,CN=Administrative Groups," +
               organization();
    }

    relayaudit::DirectoryEntry& domain(const std::string& sid = domainSid()) {
        auto& entry = add(base, {"top", "domain", "domainDNS"});
        set(entry, "objectSid", sid);
        return entry;
    }
    relayaudit::DirectoryEntry& guest(const std::string& userAccountControl,
                                      const std::string& name = "Guest",
                                      const std::string& sid = guestSid()) {
        auto& entry = add("CN=" + name + ",CN=Users," + base,
                          {"top", "person", "organizationalPerson", "user"});
        set(entry, "objectSid", sid);
        set(entry, "sAMAccountName", name);
        if (!userAccountControl.empty())
            set(entry, "userAccountControl", userAccountControl);
        return entry;
    }
    relayaudit::DirectoryEntry& organizationEntry() {
        auto& entry = add(organization(), {"top", "container", "msExchOrganizationContainer"});
        return entry;
    }
    // A virtual server with the given attributes; empty values are left out (attribute absent).
    relayaudit::DirectoryEntry& virtualServer(const std::string& server, int instance,
                                              const std::map<std::string, std::string>& values) {
        auto& entry =
            add("CN=" + std::to_string(instance) + ",CN=SMTP,CN=Protocols," + serverDn(server),
                {"top", "protocolCfg", "protocolCfgSMTP", "protocolCfgSMTPServer"});
        set(entry, "cn", std::to_string(instance));
        set(entry, "adminDisplayName",
            instance == 1 ? "Default SMTP Virtual Server"
                          : "SMTP Virtual Server #" + std::to_string(instance));
        for (const auto& [name, value] : values)
            set(entry, name, value);
        return entry;
    }
    relayaudit::DirectoryEntry& receiveConnector(const std::string& server, const std::string& name,
                                                 const std::map<std::string, std::string>& values) {
        auto& entry = add("CN=" + name + ",CN=SMTP Receive Connectors,CN=Protocols,CN=" + server +
                              ",CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),"
                              "CN=Administrative Groups," +
                              organization(),
                          {"top", "msExchSmtpReceiveConnector"});
        for (const auto& [key, value] : values)
            set(entry, key, value);
        return entry;
    }
    relayaudit::DirectoryEntry& smtpConnector(const std::string& name,
                                              const std::vector<std::string>& addressSpaces,
                                              const std::string& smartHost = "") {
        auto& entry =
            add("CN=" + name + ",CN=Connectors,CN=First Routing Group,CN=Routing Groups," +
                    "CN=First Administrative Group,CN=Administrative Groups," + organization(),
                {"top", "mailGateway", "msExchRoutingSMTPConnector"});
        set(entry, "cn", name);
        if (!addressSpaces.empty())
            entry.attributes.push_back({"routingList", addressSpaces});
        if (!smartHost.empty())
            set(entry, "msExchSmtpSmartHost", smartHost);
        return entry;
    }

    // LDIF as ldapsearch writes it: binary and unsafe values base64-encoded, no folding.
    std::string ldif() const {
        std::ostringstream out;
        out << "version: 1\n\n";
        for (const auto& entry : entries) {
            out << "dn: " << entry.dn << "\n";
            for (const auto& attribute : entry.attributes)
                for (const auto& value : attribute.values) {
                    bool safe = !value.empty() && value.front() != ' ' && value.front() != ':' &&
                                value.front() != '<' && value.back() != ' ';
                    for (unsigned char c : value)
                        if (c < 0x20 || c >= 0x7F)
                            safe = false;
                    if (safe)
                        out << attribute.name << ": " << value << "\n";
                    else
                        out << attribute.name << ":: " << relayaudit::base64Encode(value) << "\n";
                }
            out << "\n";
        }
        return out.str();
    }
};

// A domain whose Guest is disabled and one organisation, with no Exchange server yet: the
// neutral background to which each test adds the objects it is about.
inline Forest forestWithoutServers() {
    Forest forest;
    forest.domain();
    forest.guest("66082");
    forest.organizationEntry();
    return forest;
}

// The neutral background of the end-to-end tests, with no findings: a domain whose Guest is
// disabled, one organisation, and EXCH01 with a safe SMTP virtual server (relay only for
// localhost and for authenticated users, TLS required for basic authentication).
inline Forest forestWithSafeVirtualServer() {
    auto forest = forestWithoutServers();
    forest.virtualServer(
        "EXCH01", 1,
        {{"msExchSmtpRelayIpList", ipSecurityBlob({{"127.0.0.1", "255.255.255.255"}}, {})},
         {"msExchSmtpRelayForAuth", "TRUE"},
         {"msExchAuthenticationFlags", "7"},
         {"msExchAccessSSLFlags", "8"}});
    return forest;
}

} // namespace testsupport
