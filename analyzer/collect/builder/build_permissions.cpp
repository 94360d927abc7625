// The summary follows the reading of a DACL: an inherit-only ACE does not apply to the
// connector; control access with no object type grants every extended right, as does
// GENERIC_ALL; and a deny for the same trustee and right wins over an allow wherever it stands
// in the list (docs/design.md, "Receive connectors and SMTP connectors").
#include "build_permissions.h"

#include "build_common.h"
#include "security_descriptor.h"
#include "sid.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace relayaudit::build {

namespace {

constexpr std::uint32_t kRightControlAccess = 0x100;
constexpr std::uint32_t kRightGenericAll = 0x10000000;
constexpr std::uint8_t kAceFlagInherited = 0x10;

struct KnownRight {
    const char* guid;
    const char* name;
};

// Facts section 4.3.
constexpr KnownRight kExchangeRights[] = {
    {"a18293f1-0685-4540-aa63-e32df421b3a2", "ms-Exch-SMTP-Submit"},
    {"5c82f031-4e4c-4326-88e1-8c4f0cad9de5", "ms-Exch-SMTP-Accept-Any-Recipient"},
    {"b857b50b-94a2-4b53-93f6-41cebd2fced0", "ms-Exch-SMTP-Accept-Any-Sender"},
    {"c22841f4-96cb-498a-ac02-f9a87c74eb14", "ms-Exch-SMTP-Accept-Authoritative-Domain-Sender"},
    {"d19299b4-86c2-4c9a-8fa7-acb70c63023a", "ms-Exch-Bypass-Anti-Spam"},
    {"04031f4f-7c36-43ea-9b49-4bd0f5f1e6af", "ms-Exch-Accept-Headers-Routing"},
};

std::string rightName(const std::string& guid) {
    for (const auto& right : kExchangeRights)
        if (guid == right.guid)
            return right.name;
    return guid;
}

// Well-known trustees of receive-connector permission groups (facts section 4.2).
std::string trusteeName(const std::string& sid) {
    static const std::map<std::string, std::string> kNames = {
        {"S-1-1-0", "Everyone"},
        {"S-1-5-7", "ANONYMOUS LOGON"},
        {"S-1-5-9", "Enterprise Domain Controllers"},
        {"S-1-5-11", "Authenticated Users"},
        {"S-1-5-18", "SYSTEM"},
        {"S-1-5-32-544", "Administrators"},
        {"S-1-9-1419165041-1139599005-3936102811-1022490595-23",
         "MS Exchange\\Externally Secured Servers"},
    };
    if (auto it = kNames.find(sid); it != kNames.end())
        return it->second;
    if (auto rid = relativeIdOf(sid); rid && domainPartOf(sid) && sid.rfind("S-1-5-21-", 0) == 0) {
        if (*rid == 512)
            return "Domain Admins";
        if (*rid == 519)
            return "Enterprise Admins";
    }
    return "";
}

bool isAllow(const AccessControlEntry& ace) {
    return ace.type == kAceAccessAllowed || ace.type == kAceAccessAllowedObject;
}
bool isDeny(const AccessControlEntry& ace) {
    return ace.type == kAceAccessDenied || ace.type == kAceAccessDeniedObject;
}

// The extended rights one applicable ACE speaks about: its object type, or every right when
// it has none; and why (for the report).
struct AceRights {
    bool all = false;
    std::string guid;
    const char* via = "";
};

std::optional<AceRights> rightsOf(const AccessControlEntry& ace) {
    if (ace.inheritOnly() || !(isAllow(ace) || isDeny(ace)))
        return std::nullopt;
    const bool control = ace.accessMask & kRightControlAccess;
    const bool genericAll = ace.accessMask & kRightGenericAll;
    if (!control && !genericAll)
        return std::nullopt;
    if (ace.objectType)
        return AceRights{false, *ace.objectType, "extended right"};
    return AceRights{true, "", genericAll ? "GENERIC_ALL" : "all extended rights"};
}

struct Verdict {
    std::string allowedVia; // empty: not allowed
    std::string deniedVia;  // empty: not denied
};

void appendAces(pugi::xml_node node, const SecurityDescriptor& descriptor) {
    for (const auto& ace : descriptor.dacl) {
        auto aceNode = node.append_child("ace");
        set(aceNode, "type", isAllow(ace) ? "allow" : isDeny(ace) ? "deny" : "other");
        set(aceNode, "trustee", ace.trustee);
        set(aceNode, "mask", std::to_string(ace.accessMask));
        set(aceNode, "controlAccess", boolText(ace.accessMask & kRightControlAccess));
        set(aceNode, "genericAll", boolText(ace.accessMask & kRightGenericAll));
        set(aceNode, "inheritOnly", boolText(ace.inheritOnly()));
        set(aceNode, "inherited", boolText(ace.flags & kAceFlagInherited));
        if (ace.objectType)
            set(aceNode, "objectType", *ace.objectType);
    }
}

void appendSummary(pugi::xml_node node, const SecurityDescriptor& descriptor) {
    // Every right named anywhere, so that "all extended rights" can be spelled out per right.
    std::vector<std::string> rights;
    for (const auto& right : kExchangeRights)
        rights.emplace_back(right.guid);
    for (const auto& ace : descriptor.dacl)
        if (auto named = rightsOf(ace);
            named && !named->all &&
            std::find(rights.begin(), rights.end(), named->guid) == rights.end())
            rights.push_back(named->guid);

    std::vector<std::string> trustees; // in order of first appearance
    std::map<std::pair<std::string, std::string>, Verdict> verdicts;
    for (const auto& ace : descriptor.dacl) {
        auto named = rightsOf(ace);
        if (!named)
            continue;
        if (std::find(trustees.begin(), trustees.end(), ace.trustee) == trustees.end())
            trustees.push_back(ace.trustee);
        for (const auto& guid : rights) {
            if (!named->all && guid != named->guid)
                continue;
            auto& verdict = verdicts[{ace.trustee, guid}];
            auto& via = isAllow(ace) ? verdict.allowedVia : verdict.deniedVia;
            if (via.empty())
                via = named->via;
        }
    }
    for (const auto& trustee : trustees)
        for (const auto& guid : rights) {
            auto it = verdicts.find({trustee, guid});
            if (it == verdicts.end())
                continue;
            const auto& verdict = it->second;
            auto row = node.append_child("extendedRight");
            set(row, "trustee", trustee);
            set(row, "trusteeName", trusteeName(trustee));
            set(row, "right", rightName(guid));
            set(row, "rightGuid", guid);
            set(row, "allowed", boolText(!verdict.allowedVia.empty()));
            if (!verdict.allowedVia.empty())
                set(row, "allowedVia", verdict.allowedVia);
            set(row, "denied", boolText(!verdict.deniedVia.empty()));
            if (!verdict.deniedVia.empty())
                set(row, "deniedVia", verdict.deniedVia);
            set(row, "effective", verdict.deniedVia.empty() ? "allow" : "deny");
        }
}

} // namespace

void appendPermissions(pugi::xml_node connector, const DirectoryEntry& entry) {
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
    appendAces(node, decoded.value());
    appendSummary(node, decoded.value());
}

} // namespace relayaudit::build
