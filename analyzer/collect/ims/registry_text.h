#pragma once
// The text of a regedit export, whatever its encoding, as UTF-8 (docs/exchange-relay-facts.md
// section 6): "REGEDIT4" files are ANSI (read as Windows-1252), "Windows Registry Editor Version
// 5.00" files are UTF-16LE with a byte-order mark (UTF-8, with or without one, is accepted too).
// Also the two character sets of REG_MULTI_SZ data, shared with the value reader.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace relayaudit {

// A problem in an export: the line (1-based; 0 = the file as a whole), what is wrong, and what
// the user can do about it.
struct RegistryError {
    std::size_t line = 0;
    std::string problem;
    std::string advice;
    // "EXCH55.reg:12: the hex data ...; export the key again ..."
    std::string describe(const std::string& file) const;
};

enum class RegistryEncoding { Windows1252, Utf16Le, Utf8 };

struct RegistryText {
    RegistryEncoding encoding = RegistryEncoding::Utf8;
    std::string utf8;
};

// Decodes the bytes of a whole file. Lines in errors count the line breaks decoded so far.
std::optional<RegistryError> decodeRegistryText(std::string_view bytes, RegistryText& text);

// Windows-1252 to UTF-8. The five bytes the code page leaves undefined (0x81, 0x8D, 0x8F, 0x90,
// 0x9D) become the C1 controls of the same number, as the WHATWG decoder does.
std::string windows1252ToUtf8(std::string_view bytes);

// UTF-16LE to UTF-8; nullopt when the byte count is odd or a surrogate is unpaired, with the
// byte offset of the problem in errorOffset.
std::optional<std::string> utf16LeToUtf8(std::string_view bytes, std::size_t& errorOffset);

} // namespace relayaudit
