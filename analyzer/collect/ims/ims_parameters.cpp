// RelayFlags and the relay lists from a parsed export (docs/exchange-relay-facts.md section 6).
#include "ims_parameters.h"

#include "string_helpers.h"

#include <map>

namespace relayaudit {

namespace {

bool isParametersKey(std::string_view path) {
    static constexpr std::string_view kShort =
        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters";
    return equalsIgnoreCase(path, kImsParametersKey) || equalsIgnoreCase(path, kShort);
}

std::string typeName(const RegistryValue& value) {
    switch (value.type) {
    case kRegSz:
        return "a string (REG_SZ)";
    case kRegExpandSz:
        return "an expandable string (REG_EXPAND_SZ, hex(2))";
    case kRegBinary:
        return "binary data (REG_BINARY, hex:)";
    case kRegDword:
        return "a REG_DWORD";
    case kRegMultiSz:
        return "a REG_MULTI_SZ";
    default:
        return "a value of registry type " + std::to_string(value.type);
    }
}

ImsRelayFlags readRelayFlags(const RegistryValue* value) {
    ImsRelayFlags flags;
    if (!value)
        return flags;
    flags.line = value->line;
    if (value->kind == RegistryValueKind::Dword) {
        flags.status = ImsValueStatus::Valid;
        flags.value = value->dword;
    } else if (value->kind == RegistryValueKind::Bytes && value->type == kRegDword &&
               value->bytes.size() == 4) {
        // hex(4):xx,xx,xx,xx is a REG_DWORD written byte by byte, little-endian.
        flags.status = ImsValueStatus::Valid;
        for (int i = 3; i >= 0; --i)
            flags.value = (flags.value << 8) |
                          static_cast<unsigned char>(value->bytes[static_cast<std::size_t>(i)]);
    } else {
        flags.status = ImsValueStatus::Invalid;
        flags.reason = "RelayFlags is " + typeName(*value) +
                       (value->type == kRegDword
                            ? " of " + std::to_string(value->bytes.size()) + " bytes instead of 4"
                            : ", not a REG_DWORD") +
                       "; how the IMS reads it is unknown";
    }
    return flags;
}

void readList(const RegistryValue* value, RegistryFormat format, ImsRelayList& list) {
    if (!value)
        return;
    list.line = value->line;
    if (value->kind != RegistryValueKind::Bytes || value->type != kRegMultiSz) {
        list.status = ImsValueStatus::Invalid;
        list.reason = list.valueName + " is " + typeName(*value) +
                      ", not a REG_MULTI_SZ (hex(7):); how the IMS reads it is unknown";
        return;
    }
    auto strings = decodeMultiString(value->bytes, format);
    list.status = ImsValueStatus::Valid;
    for (auto& text : strings.strings) {
        ImsListEntry entry;
        auto decoded = parseImsRelayEntry(text);
        if (decoded.ok()) {
            entry.decoded = decoded.value();
        } else {
            entry.reason = decoded.error().describe();
            if (list.status == ImsValueStatus::Valid) {
                list.status = ImsValueStatus::Invalid;
                list.reason = "entry " + std::to_string(list.entries.size() + 1) +
                              " is not network;mask: " + entry.reason;
            }
        }
        entry.text = std::move(text);
        list.entries.push_back(std::move(entry));
    }
    if (strings.problem) {
        list.status = ImsValueStatus::Invalid;
        list.reason = list.valueName + ": " + *strings.problem;
    }
}

} // namespace

ImsRead readImsParameters(std::string_view bytes) {
    ImsRead result;
    auto parsed = parseRegistryExport(bytes);
    if (parsed.error) {
        result.error = std::move(parsed.error);
        return result;
    }
    auto& parameters = result.parameters;
    parameters.format = parsed.exported.format;
    parameters.encoding = parsed.exported.encoding;

    // The key's values as an import would leave them: later lines replace earlier ones, "=-"
    // and [-key] remove.
    bool keyPresent = false;
    std::map<std::string, const RegistryValue*> values; // by lower-case name
    for (const auto& key : parsed.exported.keys) {
        if (!isParametersKey(key.path))
            continue;
        parameters.keyLine = key.line;
        if (key.deletion) {
            keyPresent = false;
            values.clear();
            continue;
        }
        keyPresent = true;
        for (const auto& value : key.values) {
            if (value.kind == RegistryValueKind::Deletion)
                values.erase(toLowerAscii(value.name));
            else
                values[toLowerAscii(value.name)] = &value;
        }
    }
    if (!keyPresent) {
        result.error = RegistryError{
            0,
            "the export holds no [" + std::string(kImsParametersKey) +
                "] key, so it says nothing about the Internet Mail Service",
            "on the Exchange 5.5 server run: reg export "
            "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters EXCH55.reg"};
        return result;
    }
    auto find = [&](const char* name) -> const RegistryValue* {
        auto it = values.find(toLowerAscii(name));
        return it == values.end() ? nullptr : it->second;
    };
    parameters.relayFlags = readRelayFlags(find("RelayFlags"));
    for (auto* list : {&parameters.denyList, &parameters.allowList, &parameters.localIpList})
        readList(find(list->valueName.c_str()), parameters.format, *list);
    return result;
}

} // namespace relayaudit
