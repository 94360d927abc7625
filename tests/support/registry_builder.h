#pragma once
// Builds regedit exports (.reg) for the tests, in both of regedit's formats: "REGEDIT4" (single
// bytes, CRLF) and "Windows Registry Editor Version 5.00" (UTF-16LE with a byte-order mark). Hex
// data is wrapped the way regedit wraps it: ",\" at the end of a line, two spaces before the next.
#include <string>
#include <vector>

namespace testsupport {

// ASCII (or single bytes) to UTF-16LE; the tests' text is ASCII except where they say so.
inline std::string utf16le(const std::string& text) {
    std::string out;
    for (char c : text) {
        out += c;
        out += '\0';
    }
    return out;
}

// "xx,xx,..." with a continuation every perLine bytes (0: one line).
inline std::string hexList(const std::string& bytes, std::size_t perLine = 20) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto byte = static_cast<unsigned char>(bytes[i]);
        out += digits[byte >> 4];
        out += digits[byte & 15];
        if (i + 1 < bytes.size()) {
            out += ',';
            if (perLine && (i + 1) % perLine == 0)
                out += "\\\r\n  ";
        }
    }
    return out;
}

// REG_MULTI_SZ data: each string NUL-terminated, then one more NUL.
inline std::string multiSz(const std::vector<std::string>& strings, bool utf16) {
    std::string text;
    for (const auto& s : strings)
        text += s + '\0';
    text += '\0';
    return utf16 ? utf16le(text) : text;
}

// "RelayAllowList"=hex(7):... in the character set of the format.
inline std::string multiSzLine(const std::string& name, const std::vector<std::string>& strings,
                               bool version5, std::size_t perLine = 20) {
    return "\"" + name + "\"=hex(7):" + hexList(multiSz(strings, version5), perLine);
}

inline const char* kParametersKey =
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters]";

// A whole file: the header, then the lines, CRLF, encoded for the format.
inline std::string regFile(bool version5, const std::vector<std::string>& lines) {
    std::string text =
        std::string(version5 ? "Windows Registry Editor Version 5.00" : "REGEDIT4") + "\r\n\r\n";
    for (const auto& line : lines)
        text += line + "\r\n";
    return version5 ? "\xFF\xFE" + utf16le(text) : text;
}

// The Parameters key with the given value lines.
inline std::string parametersExport(bool version5, const std::vector<std::string>& values) {
    std::vector<std::string> lines = {kParametersKey};
    lines.insert(lines.end(), values.begin(), values.end());
    lines.push_back("");
    return regFile(version5, lines);
}

} // namespace testsupport
