#pragma once
// The shared error type of the pure decoders: where in the input, which field, and why.
#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace relayaudit {

struct DecodeError {
    std::size_t offset = 0; // byte offset into the decoded value
    std::string field;      // e.g. "grant address list header"
    std::string reason;     // e.g. "entry count 4000000 does not fit in 84 bytes"

    // "byte 24 (grant address list header): entry count 4000000 does not fit in 84 bytes"
    std::string describe() const {
        return "byte " + std::to_string(offset) + " (" + field + "): " + reason;
    }
};

// A decoder either yields a value or says precisely why it could not. Decoders never throw.
template <class T> class Decoded {
public:
    Decoded(T value) : state_(std::move(value)) {}
    Decoded(DecodeError error) : state_(std::move(error)) {}
    bool ok() const { return state_.index() == 0; }
    const T& value() const { return std::get<0>(state_); }
    const DecodeError& error() const { return std::get<1>(state_); }

private:
    std::variant<T, DecodeError> state_;
};

} // namespace relayaudit
