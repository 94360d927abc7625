#pragma once
// A reader of regedit exports (.reg files), any key: "REGEDIT4" and "Windows Registry Editor
// Version 5.00", [key] and [-key] lines, "name"="string" (\\ and \" escapes), dword:xxxxxxxx,
// hex: and hex(N): data with '\' line continuations, "name"=- deletions, ';' comments and blank
// lines. Pure: bytes in, keys or one precise error out; it never throws and never reads past its
// limits. What a value means is for the reader of a particular key (ims_parameters.h).
#include "registry_text.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

// The limits that keep memory bounded whatever the file holds. A Parameters key is a few KB.
inline constexpr std::size_t kMaxRegistryFileBytes = 16u * 1024 * 1024;
inline constexpr std::size_t kMaxRegistryLineBytes = 1024u * 1024; // after continuations

enum class RegistryFormat { Regedit4, Version5 };

enum class RegistryValueKind { String, Dword, Bytes, Deletion };

// REG_* type numbers (winnt.h) a reader may compare RegistryValue::type with.
inline constexpr std::uint32_t kRegSz = 1;
inline constexpr std::uint32_t kRegExpandSz = 2;
inline constexpr std::uint32_t kRegBinary = 3;
inline constexpr std::uint32_t kRegDword = 4;
inline constexpr std::uint32_t kRegMultiSz = 7;

struct RegistryValue {
    std::string name; // UTF-8; empty for the default value ("@")
    std::size_t line = 0;
    RegistryValueKind kind = RegistryValueKind::String;
    // REG_* number: 1 for "string", 4 for dword:, 3 for hex:, N for hex(N):. Types regedit does
    // not name (hex(N) with any N) are kept with their number and bytes, never dropped: the
    // reader of the key decides whether it can use them.
    std::uint32_t type = 0;
    std::string text;        // String
    std::uint32_t dword = 0; // Dword
    std::string bytes;       // Bytes: the raw data
};

struct RegistryKey {
    std::string path; // as written between the brackets, UTF-8
    std::size_t line = 0;
    bool deletion = false; // [-path]: the key and its values are removed
    std::vector<RegistryValue> values;
};

struct RegistryExport {
    RegistryEncoding encoding = RegistryEncoding::Utf8;
    RegistryFormat format = RegistryFormat::Version5;
    std::vector<RegistryKey> keys; // in file order, one per [key] line
};

struct RegistryParse {
    RegistryExport exported;
    std::optional<RegistryError> error; // set: exported is incomplete and must not be used
};

RegistryParse parseRegistryExport(std::string_view bytes);

// REG_MULTI_SZ data as strings. Version 5.00 exports hold UTF-16LE; REGEDIT4 exports hold either
// ANSI bytes or UTF-16LE (both exist in the wild): UTF-16LE is taken when the byte count is even
// and every second byte is zero, which single-byte ANSI text ending in its two NULs cannot be.
// The list ends at its first empty string; data after it, a missing terminator or an odd UTF-16
// byte count is a problem (a damaged or truncated value).
struct MultiString {
    std::vector<std::string> strings;
    std::optional<std::string> problem;
};
MultiString decodeMultiString(std::string_view bytes, RegistryFormat format);

} // namespace relayaudit
