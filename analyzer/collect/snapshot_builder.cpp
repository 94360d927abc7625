#include "snapshot_builder.h"

#include "base64.h"
#include "directory_facts.h"
#include "dn.h"
#include "ip_range.h"
#include "ip_security.h"
#include "ldap_values.h"
#include "security_descriptor.h"
#include "sid.h"
#include "string_helpers.h"
#include "text_encoding.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace relayaudit {

namespace {

// msExchAuthenticationFlags when the attribute is absent (KB 321757): anonymous, basic, integrated.
constexpr std::int64_t kDefaultAuthenticationFlags = 7;
constexpr std::int64_t kAuthAnonymous = 0x1;
constexpr std::int64_t kAuthBasic = 0x2;
constexpr std::int64_t kAuthIntegrated = 0x4;
constexpr std::int64_t kSslRequireTls = 0x8;

// Receive connector AuthMechanism bits (facts section 4).
constexpr std::int64_t kAuthMechanismExternalAuthoritative = 32;
constexpr std::int64_t kDefaultAuthMechanism = 29;

// Access mask bits the receive-connector rules test.
constexpr std::uint32_t kRightControlAccess = 0x100;
constexpr std::uint32_t kRightGenericAll = 0x10000000;

std::string boolText(bool value) {
    return value ? "true" : "false";
}

void set(pugi::xml_node node, const char* name, std::string_view value) {
    node.append_attribute(name).set_value(xmlSafeText(value).c_str());
}

void setNumber(pugi::xml_node node, const char* name, double value) {
    std::ostringstream text;
    text.precision(17);
    text << value;
    node.append_attribute(name).set_value(text.str().c_str());
}

std::span<const std::uint8_t> bytesOf(const std::string& value) {
    return {reinterpret_cast<const std::uint8_t*>(value.data()), value.size()};
}

std::string friendlyName(const DirectoryEntry& entry) {
    for (const char* attribute : {"adminDisplayName", "displayName", "name", "cn"})
        if (const auto* value = entry.first(attribute); value && !value->empty())
            return *value;
    auto names = splitDn(entry.dn);
    return names.empty() ? entry.dn : names.front().value;
}

// The value of the RDN just left of the first RDN named `anchor` (e.g. the server of a virtual
// server is the RDN left of "CN=Servers").
std::string rdnBefore(std::string_view dn, std::string_view anchor) {
    auto names = splitDn(dn);
    for (std::size_t i = 1; i < names.size(); ++i)
        if (equalsIgnoreCase(names[i].value, anchor))
            return names[i - 1].value;
    return {};
}

void appendRaw(pugi::xml_node parent, const DirectoryEntry& entry) {
    for (const auto& attribute : entry.attributes) {
        if (equalsIgnoreCase(attribute.name, "objectClass"))
            continue;
        for (const auto& value : attribute.values) {
            auto raw = parent.append_child("raw");
            set(raw, "name", attribute.name);
            if (isXmlSafe(value)) {
                raw.append_attribute("encoding").set_value("text");
                raw.text().set(value.c_str());
            } else {
                raw.append_attribute("encoding").set_value("base64");
                raw.text().set(base64Encode(value).c_str());
            }
        }
    }
}

struct IntegerAttribute {
    bool present = false;
    bool valid = true;
    std::int64_t value = 0;
};

// How many values a single-valued attribute has: an export or a hostile writer can hold two, and
// then which one the server uses is unknown, so the setting cannot be judged.
std::size_t valueCount(const DirectoryEntry& entry, std::string_view name) {
    const auto* attribute = entry.find(name);
    return attribute ? attribute->values.size() : 0;
}

IntegerAttribute readInteger(const DirectoryEntry& entry, std::string_view name,
                             std::int64_t defaultValue) {
    IntegerAttribute result;
    result.value = defaultValue;
    if (const auto* text = entry.first(name)) {
        result.present = true;
        if (auto parsed = parseLdapInteger(*text); parsed && valueCount(entry, name) == 1)
            result.value = *parsed;
        else
            result.valid = false;
    }
    return result;
}

// A Boolean attribute: absent (nullopt text), or its value when it is exactly one TRUE/FALSE.
struct BooleanAttribute {
    bool present = false;
    std::optional<bool> value; // empty when present but not exactly one valid value
};

BooleanAttribute readBoolean(const DirectoryEntry& entry, std::string_view name) {
    BooleanAttribute result;
    if (const auto* text = entry.first(name)) {
        result.present = true;
        if (valueCount(entry, name) == 1)
            result.value = parseLdapBoolean(*text);
    }
    return result;
}

std::string addressSummary(const IpAddressEntry& entry) {
    if (entry.prefixLength >= 0)
        return entry.address + "/" + std::to_string(entry.prefixLength);
    return entry.address + "(" + entry.mask + ")";
}

void appendIpSecurity(pugi::xml_node virtualServer, const char* element,
                      const DirectoryEntry& entry, const char* attributeName) {
    auto list = virtualServer.append_child(element);
    set(list, "attribute", attributeName);
    const auto* blob = entry.first(attributeName);
    if (!blob) {
        // Absent msExchSmtpRelayIpList = "Only the list below" with nobody on it (facts 2).
        set(list, "present", "false");
        set(list, "status", "absent");
        set(list, "mode", toString(RelayListMode::OnlyListBelow));
        set(list, "summary", "attribute absent: only the list below, with nobody on it (default)");
        return;
    }
    set(list, "present", "true");
    if (auto count = valueCount(entry, attributeName); count > 1) {
        std::string reason =
            std::string(attributeName) + " has " + std::to_string(count) +
            " values; it is single-valued, and which one the server uses is unknown";
        set(list, "status", "invalid");
        set(list, "reason", reason);
        set(list, "summary", reason);
        return;
    }
    if (blob->empty()) {
        // An empty value means nobody may relay by IP (facts 2): safe, not undecodable.
        set(list, "status", "valid");
        set(list, "mode", toString(RelayListMode::OnlyListBelow));
        set(list, "emptyListSentinel", "false");
        set(list, "grantCount", "0");
        set(list, "denyCount", "0");
        set(list, "summary", "empty value: only the list below, with nobody on it");
        return;
    }
    auto decoded = decodeIpSecurity(bytesOf(*blob));
    if (!decoded.ok()) {
        set(list, "status", "invalid");
        set(list, "reason", decoded.error().describe());
        set(list, "summary", "does not parse: " + decoded.error().describe());
        return;
    }
    const auto& value = decoded.value();
    set(list, "status", "valid");
    set(list, "mode", toString(value.mode));
    set(list, "flags", std::to_string(value.flags));
    set(list, "emptyListSentinel", boolText(value.emptyListSentinel));
    std::string granted, denied;
    auto appendAddresses = [&](const std::vector<IpAddressEntry>& entries, const char* which,
                               std::string& summary) {
        for (const auto& address : entries) {
            auto node = list.append_child("address");
            set(node, "list", which);
            set(node, "address", address.address);
            set(node, "mask", address.mask);
            set(node, "prefix", std::to_string(address.prefixLength));
            set(node, "hostBits", std::to_string(address.hostBits));
            setNumber(node, "addresses", std::ldexp(1.0, address.hostBits));
            summary += (summary.empty() ? "" : ", ") + addressSummary(address);
        }
    };
    auto appendNames = [&](const std::vector<NameEntry>& entries, const char* which,
                           std::string& summary) {
        for (const auto& name : entries) {
            auto node = list.append_child("name");
            set(node, "list", which);
            set(node, "name", name.name);
            set(node, "exact", boolText(name.exactName));
            summary += (summary.empty() ? "" : ", ") + (name.exactName ? "" : std::string("*.")) +
                       name.name;
        }
    };
    appendAddresses(value.grantAddresses, "grant", granted);
    appendNames(value.grantNames, "grant", granted);
    appendAddresses(value.denyAddresses, "deny", denied);
    appendNames(value.denyNames, "deny", denied);
    set(list, "grantCount", std::to_string(value.grantAddresses.size() + value.grantNames.size()));
    set(list, "denyCount", std::to_string(value.denyAddresses.size() + value.denyNames.size()));
    if (value.mode == RelayListMode::OnlyListBelow)
        set(list, "summary",
            "only the list below: " + (granted.empty() ? std::string("nobody") : granted));
    else
        set(list, "summary",
            "all except the list below: every address may relay except " +
                (denied.empty() ? std::string("none") : denied));
}

void appendVirtualServer(pugi::xml_node exchange, const DirectoryEntry& entry) {
    auto node = exchange.append_child("virtualServer");
    set(node, "dn", entry.dn);
    set(node, "name", friendlyName(entry));
    set(node, "server", rdnBefore(entry.dn, "Servers"));
    set(node, "organization", rdnBefore(entry.dn, "Microsoft Exchange"));
    set(node, "origin", entry.origin);
    std::vector<std::string> invalid;

    // msExchSmtpRelayForAuth: default TRUE when absent (facts 2).
    if (auto relayForAuth = readBoolean(entry, "msExchSmtpRelayForAuth"); relayForAuth.present) {
        set(node, "relayForAuthPresent", "true");
        if (relayForAuth.value) {
            set(node, "relayForAuth", boolText(*relayForAuth.value));
        } else {
            set(node, "relayForAuth", "invalid");
            invalid.push_back("msExchSmtpRelayForAuth");
        }
    } else {
        set(node, "relayForAuthPresent", "false");
        set(node, "relayForAuth", "true");
    }

    auto auth = readInteger(entry, "msExchAuthenticationFlags", kDefaultAuthenticationFlags);
    set(node, "authFlagsPresent", boolText(auth.present));
    if (auth.valid) {
        set(node, "authFlags", std::to_string(auth.value));
        set(node, "anonymous", boolText(auth.value & kAuthAnonymous));
        set(node, "basicAuth", boolText(auth.value & kAuthBasic));
        set(node, "integratedAuth", boolText(auth.value & kAuthIntegrated));
    } else {
        set(node, "authFlags", "invalid");
        for (const char* name : {"anonymous", "basicAuth", "integratedAuth"})
            set(node, name, "unknown");
        invalid.push_back("msExchAuthenticationFlags");
    }

    auto ssl = readInteger(entry, "msExchAccessSSLFlags", 0);
    set(node, "sslFlagsPresent", boolText(ssl.present));
    if (ssl.valid) {
        set(node, "sslFlags", std::to_string(ssl.value));
        set(node, "requireTls", boolText(ssl.value & kSslRequireTls));
    } else {
        set(node, "sslFlags", "invalid");
        set(node, "requireTls", "unknown");
        invalid.push_back("msExchAccessSSLFlags");
    }

    std::string invalidList;
    for (const auto& name : invalid)
        invalidList += (invalidList.empty() ? "" : " ") + name;
    if (!invalidList.empty())
        set(node, "invalidAttributes", invalidList);

    appendIpSecurity(node, "relayList", entry, "msExchSmtpRelayIpList");
    if (entry.first("msExchIPSecurity"))
        appendIpSecurity(node, "connectionList", entry, "msExchIPSecurity");
    appendRaw(node, entry);
}

void appendAccessControl(pugi::xml_node connector, const DirectoryEntry& entry) {
    const auto* descriptor = entry.first("nTSecurityDescriptor");
    auto node = connector.append_child("permissions");
    if (!descriptor) {
        set(node, "status", "absent");
        return;
    }
    auto decoded = decodeSecurityDescriptor(bytesOf(*descriptor));
    if (!decoded.ok()) {
        set(node, "status", "invalid");
        set(node, "reason", decoded.error().describe());
        return;
    }
    set(node, "status", decoded.value().daclPresent ? "valid" : "no-dacl");
    for (const auto& ace : decoded.value().dacl) {
        auto aceNode = node.append_child("ace");
        const char* type = "other";
        if (ace.type == kAceAccessAllowed || ace.type == kAceAccessAllowedObject)
            type = "allow";
        else if (ace.type == kAceAccessDenied || ace.type == kAceAccessDeniedObject)
            type = "deny";
        set(aceNode, "type", type);
        set(aceNode, "trustee", ace.trustee);
        set(aceNode, "mask", std::to_string(ace.accessMask));
        set(aceNode, "controlAccess", boolText(ace.accessMask & kRightControlAccess));
        set(aceNode, "genericAll", boolText(ace.accessMask & kRightGenericAll));
        set(aceNode, "inheritOnly", boolText(ace.inheritOnly()));
        if (ace.objectType)
            set(aceNode, "objectType", *ace.objectType);
    }
}

void appendReceiveConnector(pugi::xml_node exchange, const DirectoryEntry& entry) {
    auto node = exchange.append_child("receiveConnector");
    set(node, "dn", entry.dn);
    set(node, "name", friendlyName(entry));
    set(node, "server", rdnBefore(entry.dn, "Servers"));
    set(node, "origin", entry.origin);
    std::vector<std::string> invalid;
    if (auto enabled = readBoolean(entry, "msExchSmtpReceiveEnabled"); enabled.present) {
        set(node, "enabled", enabled.value ? boolText(*enabled.value) : "invalid");
        if (!enabled.value)
            invalid.push_back("msExchSmtpReceiveEnabled");
    } else {
        set(node, "enabled", "true");
    }
    auto mechanism =
        readInteger(entry, "msExchSMTPReceiveInboundSecurityFlag", kDefaultAuthMechanism);
    if (mechanism.valid) {
        set(node, "authMechanism", std::to_string(mechanism.value));
        set(node, "externallySecured",
            boolText(mechanism.value & kAuthMechanismExternalAuthoritative));
    } else {
        set(node, "authMechanism", "invalid");
        set(node, "externallySecured", "unknown");
        invalid.push_back("msExchSMTPReceiveInboundSecurityFlag");
    }
    if (const auto* bindings = entry.find("msExchSmtpReceiveBindings"))
        for (const auto& value : bindings->values)
            set(node.append_child("binding"), "value", value);
    bool coversEverything = false;
    if (const auto* ranges = entry.find("msExchSmtpReceiveRemoteIPRanges")) {
        for (const auto& value : ranges->values) {
            auto rangeNode = node.append_child("remoteIpRange");
            set(rangeNode, "value", value);
            auto parsed = parseRemoteIpRange(value);
            if (parsed.ok()) {
                set(rangeNode, "status", "valid");
                set(rangeNode, "first", parsed.value().first);
                set(rangeNode, "last", parsed.value().last);
                setNumber(rangeNode, "addresses", parsed.value().addressCount);
                set(rangeNode, "coversEverything", boolText(parsed.value().coversEverything));
                coversEverything = coversEverything || parsed.value().coversEverything;
            } else {
                set(rangeNode, "status", "invalid");
                set(rangeNode, "reason", parsed.error().describe());
                invalid.push_back("msExchSmtpReceiveRemoteIPRanges");
            }
        }
    } else {
        coversEverything = true; // the default remote range is every address (facts 4)
    }
    set(node, "remoteRangesCoverEverything", boolText(coversEverything));
    std::string invalidList;
    for (const auto& name : invalid)
        if (invalidList.find(name) == std::string::npos)
            invalidList += (invalidList.empty() ? "" : " ") + name;
    if (!invalidList.empty())
        set(node, "invalidAttributes", invalidList);
    appendAccessControl(node, entry);
    appendRaw(node, entry);
}

struct DomainRecord {
    std::string dn;
    std::string dnsName;
    std::string netbiosName;
    std::string sid;
    std::string sidProblem;
    bool headInInput = false;
    bool listedInPartitions = false;
    const DirectoryEntry* guest = nullptr;
    std::string unreadableReason;
};

void appendGuest(pugi::xml_node domainNode, const DirectoryEntry& guest) {
    auto node = domainNode.append_child("guest");
    set(node, "dn", guest.dn);
    set(node, "name", friendlyName(guest));
    if (const auto* account = guest.first("sAMAccountName"))
        set(node, "samAccountName", *account);
    if (const auto* sid = guest.first("objectSid")) {
        auto decoded = decodeSid(bytesOf(*sid));
        if (decoded.ok())
            set(node, "sid", decoded.value());
    }
    const auto* control = guest.first("userAccountControl");
    if (control && valueCount(guest, "userAccountControl") > 1) {
        set(node, "enabled", "unknown");
        set(node, "reason", "userAccountControl has several values; it is single-valued");
        return;
    }
    if (!control) {
        set(node, "enabled", "unknown");
        set(node, "reason",
            "userAccountControl is not in the input (not exported or not readable)");
        return;
    }
    set(node, "userAccountControl", *control);
    auto parsed = parseLdapInteger(*control);
    if (!parsed) {
        set(node, "enabled", "unknown");
        set(node, "reason", "userAccountControl is not an integer");
        return;
    }
    set(node, "enabled", boolText((*parsed & kAccountDisabled) == 0));
}

// Orders Guest candidates by how much they matter: enabled, then unknown, then disabled.
int guestRisk(const DirectoryEntry& guest) {
    const auto* control = guest.first("userAccountControl");
    auto parsed = control ? parseLdapInteger(*control) : std::nullopt;
    if (!parsed || valueCount(guest, "userAccountControl") != 1)
        return 1;
    return (*parsed & kAccountDisabled) == 0 ? 2 : 0;
}

bool isUnderDn(std::string_view dn, std::string_view ancestor) {
    return dn.size() > ancestor.size() + 1 && dn[dn.size() - ancestor.size() - 1] == ',' &&
           equalsIgnoreCase(dn.substr(dn.size() - ancestor.size()), ancestor);
}

void appendDomains(pugi::xml_node root, const std::vector<const DirectoryEntry*>& entries,
                   const CollectionContext& context) {
    std::map<std::string, DomainRecord> domains; // key: lower-case DN
    auto recordFor = [&](const std::string& dn) -> DomainRecord& {
        auto& record = domains[toLowerAscii(dn)];
        if (record.dn.empty()) {
            record.dn = dn;
            record.dnsName = dnsNameOfDomainDn(dn);
        }
        return record;
    };

    for (const auto* entry : entries) {
        if (!entry->hasObjectClass("crossRef"))
            continue;
        auto flags = readInteger(*entry, "systemFlags", 0);
        const auto* namingContext = entry->first("nCName");
        if (!namingContext || !flags.valid || !(flags.value & kCrossRefDomainPartition))
            continue;
        auto& record = recordFor(*namingContext);
        record.listedInPartitions = true;
        if (const auto* dns = entry->first("dnsRoot"))
            record.dnsName = *dns;
        if (const auto* netbios = entry->first("nETBIOSName"))
            record.netbiosName = *netbios;
    }
    for (const auto* entry : entries) {
        if (!entry->hasObjectClass("domainDNS") && !entry->hasObjectClass("domain"))
            continue;
        auto& record = recordFor(entry->dn);
        record.headInInput = true;
        if (const auto* sid = entry->first("objectSid")) {
            auto decoded = decodeSid(bytesOf(*sid));
            if (decoded.ok())
                record.sid = decoded.value();
            else
                record.sidProblem = "objectSid does not parse: " + decoded.error().describe();
        } else {
            record.sidProblem = "the domain head has no objectSid in the input";
        }
    }
    // The Guest is found by SID (domain SID + RID 501), never by name: it can be renamed.
    // Only accounts count: a foreignSecurityPrincipal in another domain carries the same SID and
    // would otherwise stand in for the real (possibly enabled) Guest.
    for (const auto* entry : entries) {
        const auto* sid = entry->first("objectSid");
        if (!sid || !entry->hasObjectClass("user") ||
            entry->hasObjectClass("foreignSecurityPrincipal"))
            continue;
        auto decoded = decodeSid(bytesOf(*sid));
        if (!decoded.ok() || relativeIdOf(decoded.value()) != kGuestRelativeId)
            continue;
        auto domainSid = domainPartOf(decoded.value());
        if (!domainSid || !domainSid->starts_with("S-1-5-21-"))
            continue;
        DomainRecord* owner = nullptr;
        for (auto& [key, record] : domains)
            if (record.sid == *domainSid)
                owner = &record;
        if (!owner) {
            // The domain head was not exported: place the Guest by its DN's DC= suffix.
            auto suffix = domainSuffixOf(entry->dn);
            if (suffix.empty())
                continue;
            owner = &recordFor(suffix);
            if (owner->sid.empty())
                owner->sid = *domainSid;
        }
        if (!isUnderDn(entry->dn, owner->dn))
            continue; // a copy of the SID outside its domain is not that domain's Guest
        // Two accounts with the Guest's SID cannot both be real; judge by the riskier one.
        if (!owner->guest || guestRisk(*entry) > guestRisk(*owner->guest))
            owner->guest = entry;
    }
    for (const auto& unreadable : context.unreadableDomains)
        recordFor(unreadable.domainDn).unreadableReason = unreadable.reason;

    auto domainsNode = root.append_child("domains");
    for (auto& [key, record] : domains) {
        auto node = domainsNode.append_child("domain");
        set(node, "dn", record.dn);
        set(node, "dnsName", record.dnsName);
        if (!record.netbiosName.empty())
            set(node, "netbiosName", record.netbiosName);
        if (!record.sid.empty())
            set(node, "sid", record.sid);
        set(node, "inPartitions", boolText(record.listedInPartitions));
        set(node, "headInInput", boolText(record.headInInput));
        if (record.guest) {
            set(node, "guestStatus", "found");
            appendGuest(node, *record.guest);
        } else if (!record.unreadableReason.empty()) {
            set(node, "guestStatus", "unreadable");
            set(node, "reason", record.unreadableReason);
        } else if (!record.headInInput && context.sourceKind == "ldif") {
            set(node, "guestStatus", "not-in-input");
            set(node, "reason",
                "the input holds no entries of this domain; add an export of it "
                "(ldapsearch -b " +
                    record.dn + " or ldifde -d " + record.dn + ")");
        } else if (!record.sidProblem.empty()) {
            set(node, "guestStatus", "unreadable");
            set(node, "reason", record.sidProblem);
        } else {
            set(node, "guestStatus", "not-found");
            set(node, "reason",
                "no account with SID " + record.sid + "-501 in the " +
                    (context.sourceKind == "ldif" ? "input" : "directory"));
        }
    }
}

} // namespace

void buildSnapshot(const std::vector<DirectoryEntry>& entries, const CollectionContext& context,
                   pugi::xml_document& snapshot) {
    snapshot.reset();
    auto root = snapshot.append_child("snapshot");
    set(root, "formatVersion", kSnapshotFormatVersion);
    set(root, "tool", "relayaudit");
    set(root, "toolVersion", context.toolVersion);
    set(root, "collectedAt", context.collectedAt);
    set(root, "source", context.sourceKind);
    for (const auto& input : context.inputs)
        root.append_child("input").text().set(xmlSafeText(input).c_str());
    for (const auto& note : context.notes)
        root.append_child("note").text().set(xmlSafeText(note).c_str());

    // Several exports may overlap: the first entry of a DN wins, later copies are counted.
    std::vector<const DirectoryEntry*> unique;
    std::set<std::string> seen;
    std::size_t duplicates = 0;
    for (const auto& entry : entries) {
        if (seen.insert(toLowerAscii(entry.dn)).second)
            unique.push_back(&entry);
        else
            ++duplicates;
    }

    std::string configurationNC = context.configurationNC;
    std::string rootDomainNC = context.rootDomainNC;
    for (const auto* entry : unique) {
        if (!configurationNC.empty())
            break;
        // Without a rootDSE, the configuration NC is where CN=Configuration sits in the DNs.
        auto names = splitDn(entry->dn);
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (equalsIgnoreCase(names[i].type, "CN") &&
                equalsIgnoreCase(names[i].value, "Configuration") && i + 1 < names.size() &&
                equalsIgnoreCase(names[i + 1].type, "DC")) {
                auto suffix = domainSuffixOf(entry->dn);
                configurationNC = "CN=Configuration," + suffix;
                if (rootDomainNC.empty())
                    rootDomainNC = suffix;
                break;
            }
        }
    }
    auto forest = root.append_child("forest");
    set(forest, "configurationNC", configurationNC);
    set(forest, "rootDomainNC", rootDomainNC);
    set(forest, "entries", std::to_string(unique.size()));
    set(forest, "duplicateEntries", std::to_string(duplicates));

    appendDomains(root, unique, context);

    auto exchange = root.append_child("exchange");
    for (const auto* entry : unique) {
        if (entry->hasObjectClass("msExchOrganizationContainer")) {
            auto node = exchange.append_child("organization");
            set(node, "dn", entry->dn);
            set(node, "name", friendlyName(*entry));
        }
    }
    for (const auto* entry : unique) {
        if (entry->hasObjectClass("msExchExchangeServer")) {
            auto node = exchange.append_child("server");
            set(node, "dn", entry->dn);
            set(node, "name", friendlyName(*entry));
            if (const auto* serial = entry->first("serialNumber"))
                set(node, "version", *serial);
        }
    }
    for (const auto* entry : unique)
        if (entry->hasObjectClass("protocolCfgSMTPServer"))
            appendVirtualServer(exchange, *entry);
    for (const auto* entry : unique)
        if (entry->hasObjectClass("msExchSmtpReceiveConnector"))
            appendReceiveConnector(exchange, *entry);
    for (const auto* entry : unique) {
        if (entry->hasObjectClass("msExchRoutingSMTPConnector")) {
            auto node = exchange.append_child("smtpConnector");
            set(node, "dn", entry->dn);
            set(node, "name", friendlyName(*entry));
            appendRaw(node, *entry);
        }
    }
}
} // namespace relayaudit
