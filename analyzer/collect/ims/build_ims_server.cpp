// /snapshot/exchange/imsServer from a read IMS export (docs/exchange-relay-facts.md section 6).
#include "build_ims_server.h"

#include "builder/build_common.h"

#include <algorithm>
#include <cstdio>

namespace relayaudit {

namespace {

using build::boolText;
using build::set;
using build::setNumber;

const char* statusText(ImsValueStatus status) {
    switch (status) {
    case ImsValueStatus::Valid:
        return "valid";
    case ImsValueStatus::Invalid:
        return "invalid";
    case ImsValueStatus::Absent:
        break;
    }
    return "absent";
}

std::string hex32(std::uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", value);
    return text;
}

// A RelayFlags bit as the tristate the rules compare: absent flags restrict nothing.
std::string bitText(const ImsRelayFlags& flags, std::uint32_t bit) {
    if (flags.status == ImsValueStatus::Invalid)
        return "invalid";
    return boolText(flags.status == ImsValueStatus::Valid && (flags.value & bit));
}

void appendFlags(pugi::xml_node node, const ImsRelayFlags& flags) {
    set(node, "relayFlagsStatus", statusText(flags.status));
    if (flags.status == ImsValueStatus::Valid) {
        set(node, "relayFlags", std::to_string(flags.value));
        set(node, "relayFlagsHex", hex32(flags.value));
        set(node, "otherFlagBits", std::to_string(flags.value & ~0xFu));
    }
    if (flags.line)
        set(node, "relayFlagsLine", std::to_string(flags.line));
    if (flags.status == ImsValueStatus::Invalid)
        set(node, "relayFlagsReason", flags.reason);
    set(node, "useDenyList", bitText(flags, kImsUseDenyList));
    set(node, "useAllowList", bitText(flags, kImsUseAllowList));
    set(node, "useLocalIpList", bitText(flags, kImsUseLocalIpList));
    set(node, "relayForAuthenticated", bitText(flags, kImsRelayForAuthenticated));
    set(node, "relayFlagsSummary", describeRelayFlags(flags));
}

void appendEntry(pugi::xml_node list, const ImsListEntry& entry) {
    auto node = list.append_child("entry");
    set(node, "value", entry.text);
    set(node, "status", entry.decoded ? "valid" : "invalid");
    if (!entry.decoded) {
        set(node, "reason", entry.reason);
        return;
    }
    const auto& decoded = *entry.decoded;
    set(node, "network", decoded.network);
    set(node, "mask", decoded.mask);
    set(node, "maskGiven", boolText(decoded.maskGiven));
    set(node, "contiguous", boolText(decoded.contiguous));
    if (decoded.contiguous)
        set(node, "prefix", std::to_string(decoded.prefixLength));
    set(node, "hostBitsSet", boolText(decoded.hostBitsSet));
    setNumber(node, "addresses", decoded.addressCount);
}

void appendList(pugi::xml_node server, const ImsRelayList& list, const char* use,
                const ImsRelayFlags& flags, std::uint32_t bit) {
    auto node = server.append_child("addressList");
    set(node, "value", list.valueName);
    set(node, "use", use);
    set(node, "present", boolText(list.status != ImsValueStatus::Absent));
    set(node, "status", statusText(list.status));
    // Whether the IMS consults the list at all: unknown when RelayFlags cannot be read.
    set(node, "inUse", flags.status == ImsValueStatus::Invalid ? "unknown" : bitText(flags, bit));
    if (list.line)
        set(node, "line", std::to_string(list.line));
    if (list.status == ImsValueStatus::Invalid)
        set(node, "reason", list.reason);
    double largest = 0;
    for (const auto& entry : list.entries)
        if (entry.decoded)
            largest = std::max(largest, entry.decoded->addressCount);
    set(node, "entryCount", std::to_string(list.entries.size()));
    setNumber(node, "largestEntryAddresses", largest);
    for (const auto& entry : list.entries)
        appendEntry(node, entry);
}

const char* formatText(RegistryFormat format) {
    return format == RegistryFormat::Regedit4 ? "REGEDIT4" : "Windows Registry Editor Version 5.00";
}

const char* encodingText(RegistryEncoding encoding) {
    switch (encoding) {
    case RegistryEncoding::Windows1252:
        return "windows-1252";
    case RegistryEncoding::Utf16Le:
        return "utf-16le";
    case RegistryEncoding::Utf8:
        break;
    }
    return "utf-8";
}

} // namespace

std::string describeRelayFlags(const ImsRelayFlags& flags) {
    if (flags.status == ImsValueStatus::Absent)
        return "RelayFlags absent: no relay restriction";
    if (flags.status == ImsValueStatus::Invalid)
        return "RelayFlags unreadable: " + flags.reason;
    std::vector<std::string> parts;
    if (flags.value & kImsUseDenyList)
        parts.emplace_back("deny list");
    if (flags.value & kImsUseAllowList)
        parts.emplace_back("allow list");
    if (flags.value & kImsUseLocalIpList)
        parts.emplace_back("local IP list");
    if (flags.value & kImsRelayForAuthenticated)
        parts.emplace_back("authenticated clients");
    if (flags.value & ~0xFu)
        parts.emplace_back("unknown bits " + hex32(flags.value & ~0xFu));
    std::string text = "RelayFlags " + hex32(flags.value) + ": ";
    if (parts.empty())
        return text + "no relay restriction";
    for (std::size_t i = 0; i < parts.size(); ++i)
        text += (i ? ", " : "") + parts[i];
    return text;
}

void appendImsServers(pugi::xml_document& snapshot, const std::vector<ImsServerExport>& servers) {
    auto root = snapshot.child("snapshot");
    auto exchange = root.child("exchange");
    if (!exchange)
        exchange = root.append_child("exchange");
    for (const auto& server : servers) {
        const auto& parameters = server.parameters;
        auto node = exchange.append_child("imsServer");
        set(node, "name", server.name);
        set(node, "source", server.file);
        set(node, "key", kImsParametersKey);
        set(node, "keyLine", std::to_string(parameters.keyLine));
        set(node, "format", formatText(parameters.format));
        set(node, "encoding", encodingText(parameters.encoding));
        appendFlags(node, parameters.relayFlags);
        const auto& flags = parameters.relayFlags;
        appendList(node, parameters.denyList, "deny", flags, kImsUseDenyList);
        appendList(node, parameters.allowList, "allow", flags, kImsUseAllowList);
        appendList(node, parameters.localIpList, "local", flags, kImsUseLocalIpList);
    }
}

} // namespace relayaudit
