// The summary follows the reading of a DACL: an inherit-only ACE does not apply to the
// connector; control access with no object type grants every extended right, as does
// GENERIC_ALL; and a deny for the same trustee and right wins over an allow wherever it stands
// in the list (docs/design.md, "Receive connectors and SMTP connectors").
#include "build_permissions.h"

#include "build_common.h"
#include "security_descriptor.h"
#include "sid.h"

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
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

// The first ACE (by position in the DACL) that allows, and the first that denies, and why.
struct Mark {
    std::size_t position = std::numeric_limits<std::size_t>::max();
    const char* via = "";
    bool set() const { return position != std::numeric_limits<std::size_t>::max(); }
    void note(std::size_t at, const char* reason) {
        if (!set()) {
            position = at;
            via = reason;
        }
    }
    static const Mark& earlier(const Mark& a, const Mark& b) {
        return b.position < a.position ? b : a;
    }
};

struct Verdict {
    Mark allowed;
    Mark denied;
};

// Numbers names (trustees, right GUIDs) in order of first appearance, in constant time each.
class FirstAppearance {
public:
    std::size_t indexOf(const std::string& name) {
        auto [it, inserted] = index_.try_emplace(name, names_.size());
        if (inserted)
            names_.push_back(name);
        return it->second;
    }
    const std::string& name(std::size_t index) const { return names_[index]; }
    std::size_t size() const { return names_.size(); }

private:
    std::unordered_map<std::string, std::size_t> index_;
    std::vector<std::string> names_;
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

void appendRow(pugi::xml_node node, const std::string& trustee, const std::string& guid,
               const Mark& allowed, const Mark& denied) {
    auto row = node.append_child("extendedRight");
    set(row, "trustee", trustee);
    set(row, "trusteeName", trusteeName(trustee));
    set(row, "right", rightName(guid));
    set(row, "rightGuid", guid);
    set(row, "allowed", boolText(allowed.set()));
    if (allowed.set())
        set(row, "allowedVia", allowed.via);
    set(row, "denied", boolText(denied.set()));
    if (denied.set())
        set(row, "deniedVia", denied.via);
    set(row, "effective", denied.set() ? "deny" : "allow");
}

// One pass over the DACL, then one row per trustee and right that the trustee's own ACEs speak
// about; an ACE for every extended right is spelled out for the six Exchange rights (and for any
// GUID the same trustee's ACEs name). Rows are at most six per trustee plus one per ACE, so a
// DACL of many trustees and many GUIDs stays linear (docs/design.md, "Hostile shapes").
void appendSummary(pugi::xml_node node, const SecurityDescriptor& descriptor) {
    FirstAppearance rights; // the six Exchange rights first, then other GUIDs as they appear
    for (const auto& right : kExchangeRights)
        rights.indexOf(right.guid);
    const std::size_t exchangeRights = rights.size();
    FirstAppearance trustees;
    std::vector<Verdict> everyRight; // per trustee: its ACEs that speak for every right
    std::map<std::pair<std::size_t, std::size_t>, Verdict> oneRight; // (trustee, right)
    for (std::size_t position = 0; position < descriptor.dacl.size(); ++position) {
        const auto& ace = descriptor.dacl[position];
        auto named = rightsOf(ace);
        if (!named)
            continue;
        const std::size_t trustee = trustees.indexOf(ace.trustee);
        everyRight.resize(trustees.size());
        auto& verdict =
            named->all ? everyRight[trustee] : oneRight[{trustee, rights.indexOf(named->guid)}];
        (isAllow(ace) ? verdict.allowed : verdict.denied).note(position, named->via);
    }
    const Verdict none;
    for (std::size_t trustee = 0; trustee < trustees.size(); ++trustee) {
        const auto& all = everyRight[trustee];
        const bool speaksForAll = all.allowed.set() || all.denied.set();
        auto own = oneRight.lower_bound({trustee, 0});
        const auto ownEnd = oneRight.lower_bound({trustee + 1, 0});
        auto emit = [&](std::size_t right, const Verdict& specific) {
            appendRow(node, trustees.name(trustee), rights.name(right),
                      Mark::earlier(all.allowed, specific.allowed),
                      Mark::earlier(all.denied, specific.denied));
        };
        // Rights in index order: the Exchange rights (when an ACE speaks for all), merged with
        // the trustee's own rights, which the map yields in index order.
        if (speaksForAll)
            for (std::size_t right = 0; right < exchangeRights; ++right) {
                const bool hasOwn = own != ownEnd && own->first.second == right;
                emit(right, hasOwn ? own->second : none);
                if (hasOwn)
                    ++own;
            }
        for (; own != ownEnd; ++own)
            emit(own->first.second, own->second);
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
