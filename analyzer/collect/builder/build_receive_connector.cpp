#include "build_receive_connector.h"

#include "build_common.h"
#include "ip_range.h"
#include "security_descriptor.h"

#include <string>
#include <vector>

namespace relayaudit::build {

namespace {

// Receive connector AuthMechanism bits (facts section 4).
constexpr std::int64_t kAuthMechanismExternalAuthoritative = 32;
constexpr std::int64_t kDefaultAuthMechanism = 29;

// Access mask bits the receive-connector rules test.
constexpr std::uint32_t kRightControlAccess = 0x100;
constexpr std::uint32_t kRightGenericAll = 0x10000000;

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

// <remoteIpRange> children; returns whether together they cover every address.
bool appendRemoteRanges(pugi::xml_node connector, const DirectoryEntry& entry,
                        std::vector<std::string>& invalid) {
    const auto* ranges = entry.find("msExchSmtpReceiveRemoteIPRanges");
    if (!ranges)
        return true; // the default remote range is every address (facts 4)
    bool coversEverything = false;
    for (const auto& value : ranges->values) {
        auto rangeNode = connector.append_child("remoteIpRange");
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
    return coversEverything;
}

} // namespace

void appendReceiveConnector(pugi::xml_node exchange, const DirectoryEntry& entry) {
    auto node = exchange.append_child("receiveConnector");
    set(node, "dn", entry.dn);
    set(node, "name", friendlyName(entry));
    set(node, "server", rdnBefore(entry.dn, "Servers"));
    set(node, "origin", entry.origin);
    auto invalid = dnProblems(entry);
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
    const bool coversEverything = appendRemoteRanges(node, entry, invalid);
    set(node, "remoteRangesCoverEverything", boolText(coversEverything));
    setInvalidAttributes(node, invalid);
    appendAccessControl(node, entry);
    appendRaw(node, entry);
}

} // namespace relayaudit::build
