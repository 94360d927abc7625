#pragma once
// The property checks of the fuzz targets: a violated property is a finding like a crash, so it
// prints what was expected and aborts (libFuzzer then saves the input as a reproducer).
#include "text_encoding.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#define FUZZ_CHECK(condition, what)                                                                \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "fuzz property violated at %s:%d: %s\n  (%s)\n", __FILE__,        \
                         __LINE__, std::string(what).c_str(), #condition);                         \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

namespace fuzzsupport {

inline std::string_view textOf(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

inline std::span<const std::uint8_t> bytesOf(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Every byte belongs to a well-formed UTF-8 sequence.
inline bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t codePoint = 0;
        std::size_t length = relayaudit::decodeUtf8(text, i, codePoint);
        if (length == 0)
            return false;
        i += length;
    }
    return true;
}

// The input split at NUL bytes into up to `count` fields (the last one takes the rest), so one
// input can drive a decoder several times.
template <std::size_t count>
std::array<std::string_view, count> splitFields(std::string_view text) {
    std::array<std::string_view, count> fields{};
    for (std::size_t i = 0; i + 1 < count; ++i) {
        std::size_t nul = text.find('\0');
        if (nul == std::string_view::npos) {
            fields[i] = text;
            return fields;
        }
        fields[i] = text.substr(0, nul);
        text.remove_prefix(nul + 1);
    }
    fields[count - 1] = text;
    return fields;
}

} // namespace fuzzsupport
