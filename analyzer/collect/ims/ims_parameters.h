#pragma once
// The relay settings of an Exchange 5.5 Internet Mail Service, read from a regedit export of
// HKLM\SYSTEM\CurrentControlSet\Services\MSExchangeIMC\Parameters (docs/exchange-relay-facts.md
// section 6): RelayFlags and the three address lists. A file that is not a readable export of
// that key is an error (with its line); a value the IMS may read differently from us (wrong type,
// an entry that is not an address) is kept with status Invalid, for a could-not-judge finding.
#include "ims_relay_entry.h"
#include "registry_export.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relayaudit {

inline constexpr const char* kImsParametersKey =
    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters";

// RelayFlags bits (KB 193922).
inline constexpr std::uint32_t kImsUseDenyList = 0x1;
inline constexpr std::uint32_t kImsUseAllowList = 0x2;
inline constexpr std::uint32_t kImsUseLocalIpList = 0x4;
inline constexpr std::uint32_t kImsRelayForAuthenticated = 0x8;

enum class ImsValueStatus { Absent, Valid, Invalid };

struct ImsRelayFlags {
    ImsValueStatus status = ImsValueStatus::Absent;
    std::uint32_t value = 0; // Valid only
    std::size_t line = 0;    // where the value was read, 0 when absent
    std::string reason;      // Invalid only
};

struct ImsListEntry {
    std::string text; // the string as stored
    std::optional<ImsRelayEntry> decoded;
    std::string reason; // why it does not parse, when !decoded
};

struct ImsRelayList {
    explicit ImsRelayList(std::string name) : valueName(std::move(name)) {}
    std::string valueName; // "RelayAllowList"
    ImsValueStatus status = ImsValueStatus::Absent;
    std::size_t line = 0;
    std::string reason; // Invalid: the value as a whole, or the first entry that does not parse
    std::vector<ImsListEntry> entries;
};

struct ImsParameters {
    RegistryFormat format = RegistryFormat::Version5;
    RegistryEncoding encoding = RegistryEncoding::Utf16Le;
    std::size_t keyLine = 0; // the [key] line last read
    ImsRelayFlags relayFlags;
    ImsRelayList denyList{"RelayDenyList"};
    ImsRelayList allowList{"RelayAllowList"};
    ImsRelayList localIpList{"RelayLocalIPList"};
};

struct ImsRead {
    ImsParameters parameters;
    std::optional<RegistryError> error; // set: the file cannot be judged at all
};

// Reads the whole export. Other keys in it are parsed (a syntax error anywhere is an error) and
// otherwise ignored; the key may appear several times, applied in order as an import would.
ImsRead readImsParameters(std::string_view bytes);

} // namespace relayaudit
