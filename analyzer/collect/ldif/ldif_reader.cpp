#include "ldif_reader.h"

#include "attribute_options.h"
#include "input_file.h"
#include "ldif_lines.h"
#include "string_helpers.h"
#include "text_encoding.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <unordered_map>
#include <utility>

// Hand-written on purpose: libldap's ldif_* functions would fetch ":<" URLs and report errors
// without line numbers. Grammar references below are to RFC 2849 ("The LDAP Data Interchange
// Format"); attribute-name syntax is RFC 4512 section 1.4.
//
// Structure: PhysicalLineReader reads the input in chunks and splits it into lines (LF or
// CRLF), LogicalLineReader unfolds continuation lines (ldif_lines.h), and the parser groups
// logical lines into records, handing out each record when it ends. Each line is copied once
// into a reused buffer, so the whole parse is linear in the size of the file and holds one
// record at a time.

namespace relayaudit {
namespace {

using ldif::fail;
using ldif::LdifFailure;
using ldif::LogicalLine;

constexpr std::string_view kContentRecordAdvice =
    "export the directory with ldapsearch or ldifde -f (content records)";

bool isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
}

// A byte rendered for a message: printable ASCII as itself in quotes, anything else as hex, so
// an error message never carries control characters or broken UTF-8 to the terminal.
std::string describeByte(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == ' ')
        return "a space";
    if (c == '\t')
        return "a tab";
    if (byte >= 0x21 && byte <= 0x7e)
        return std::string("character '") + c + "'";
    std::string out = "byte 0x";
    appendHexByte(out, byte);
    return out;
}

// Start of a line for a message, printable and short.
std::string excerpt(std::string_view text) {
    constexpr std::size_t kMaxShown = 40;
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        out += (byte >= 0x20 && byte <= 0x7e) ? text[i] : '?';
    }
    if (text.size() > kMaxShown)
        out += "...";
    return out;
}

enum class ValueEncoding { Plain, Base64, Url };

// "name;options: value" split into its parts (RFC 2849 attrval-spec / dn-spec).
struct AttributeLine {
    std::string_view name;   // without options
    bool hasOptions = false; // e.g. ";binary"
    ValueEncoding encoding = ValueEncoding::Plain;
    std::string_view rawValue;      // after the separator and leading spaces, still encoded
    std::size_t rawValueOffset = 0; // offset of rawValue in the logical line, for columns
};

// RFC 4512 1.4: descr = ALPHA *( ALPHA / DIGIT / HYPHEN ); numericoid = number 1*( DOT number ).
// A bare number is accepted as a one-arc OID, as OpenLDAP does.
bool isValidAttributeName(std::string_view name) {
    if (name.empty())
        return false;
    if (isAsciiLetter(name.front())) {
        for (char c : name)
            if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != '-')
                return false;
        return true;
    }
    bool previousWasDigit = false;
    for (char c : name) {
        if (isAsciiDigit(c)) {
            previousWasDigit = true;
        } else if (c == '.' && previousWasDigit) {
            previousWasDigit = false;
        } else {
            return false;
        }
    }
    return previousWasDigit;
}

bool isValidAttributeOption(std::string_view option) {
    if (option.empty())
        return false;
    // AD's range retrieval option ("member;range=0-1499") appears in real ldapsearch exports of
    // large groups; it is not an RFC 4512 keychar option, but harmless.
    if (parseRangeOption(option))
        return true;
    for (char c : option)
        if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != '-')
            return false;
    return true;
}

AttributeLine splitAttributeLine(const LogicalLine& line) {
    const std::string_view content = line.content;
    const std::size_t colon = content.find(':');
    if (colon == std::string_view::npos) {
        fail(line.firstLine,
             "line '" + excerpt(content) +
                 "' has no ':' between attribute name and value; every line of a record must be "
                 "'name: value' (if this is the rest of a wrapped value, it needs one leading "
                 "space)");
    }
    AttributeLine result;
    const std::string_view description = content.substr(0, colon);
    const AttributeDescription parts = splitAttributeDescription(description);
    result.name = parts.type;
    if (!isValidAttributeName(result.name)) {
        fail(line.firstLine, "line '" + excerpt(content) +
                                 "' does not start with a valid attribute name (letters, digits "
                                 "and '-' starting with a "
                                 "letter, or a numeric OID); fix the line or re-export the file");
    }
    result.hasOptions = !parts.options.empty();
    for (std::string_view option : parts.options) {
        if (!isValidAttributeOption(option)) {
            fail(line.firstLine, "attribute '" + std::string(result.name) +
                                     "' has an invalid option in '" + excerpt(description) +
                                     "' (options are letters, digits and '-' after ';', or "
                                     "Active Directory's 'range=<low>-<high>' or "
                                     "'range=<low>-*'); "
                                     "fix the line or re-export the file");
        }
    }

    std::size_t valueStart = colon + 1;
    if (valueStart < content.size() && content[valueStart] == ':') {
        result.encoding = ValueEncoding::Base64;
        ++valueStart;
    } else if (valueStart < content.size() && content[valueStart] == '<') {
        result.encoding = ValueEncoding::Url;
        ++valueStart;
    }
    // RFC 2849: FILL = *SPACE between the separator and the value.
    while (valueStart < content.size() && content[valueStart] == ' ')
        ++valueStart;
    result.rawValue = content.substr(valueStart);
    result.rawValueOffset = valueStart;
    return result;
}

int base64Digit(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

// Strict RFC 4648 base64: only the alphabet, '=' padding only at the end and only as much as the
// length needs; unpadded input is accepted too (some writers omit it). Spaces are not skipped:
// the folding spaces were already removed, so any other space means a damaged value.
std::string decodeBase64(const LogicalLine& line, const AttributeLine& attribute,
                         std::string_view what) {
    const std::string_view input = attribute.rawValue;
    auto invalid = [&](std::size_t offset, const std::string& problem) {
        const auto [lineNumber, column] = line.locate(attribute.rawValueOffset + offset);
        fail(lineNumber, std::string(what) + " is not valid base64 (" + problem + " at column " +
                             std::to_string(column) + "); re-export the file or fix the value");
    };

    std::size_t dataLength = input.size();
    while (dataLength > 0 && input[dataLength - 1] == '=')
        --dataLength;
    const std::size_t padding = input.size() - dataLength;

    std::string output;
    output.reserve(dataLength / 4 * 3 + 2);
    std::uint32_t accumulator = 0;
    int bits = 0;
    for (std::size_t i = 0; i < dataLength; ++i) {
        const int digit = base64Digit(input[i]);
        if (digit < 0) {
            invalid(i, input[i] == '=' ? std::string("padding '=' before the end")
                                       : describeByte(input[i]));
        }
        accumulator = (accumulator << 6) | std::uint32_t(digit);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            output.push_back(static_cast<char>((accumulator >> bits) & 0xFF));
        }
    }
    const std::size_t leftover = dataLength % 4;
    const std::size_t expectedPadding = leftover == 0 ? 0 : 4 - leftover;
    if (leftover == 1) {
        // Six bits cannot make a byte: a character was lost, typically a cut-off line.
        invalid(dataLength - 1, "truncated: a lone final character");
    }
    if (padding != 0 && padding != expectedPadding) {
        invalid(dataLength, "wrong padding: " + std::to_string(padding) + " '=' where " +
                                std::to_string(expectedPadding) + " are needed,");
    }
    return output;
}

// RFC 2849 requires distinguished names in UTF-8. Returns the offset of the first byte that
// breaks UTF-8 (overlongs, surrogates and values above U+10FFFF included), or npos.
std::size_t findInvalidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t codePoint = 0;
        const std::size_t length = decodeUtf8(text, i, codePoint);
        if (length == 0)
            return i;
        i += length;
    }
    return std::string_view::npos;
}

constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

} // namespace

class LdifReader::Parser {
public:
    Parser(LdifSource source, std::string fileName, const LdifLimits& limits)
        : physical_(std::move(source), limits), lines_(physical_, limits),
          fileName_(std::move(fileName)), limits_(limits) {}

    bool next(DirectoryEntry& entry) {
        if (error_)
            return false;
        try {
            return readRecord(entry);
        } catch (const LdifFailure& failure) {
            refuse(failure.line, failure.message);
        } catch (const std::bad_alloc&) {
            refuse(0, "not enough memory to read the file; free memory or split the export");
        } catch (const std::exception& exception) {
            refuse(0, std::string("internal error while reading the file: ") + exception.what());
        }
        return false;
    }

    const std::optional<LdifError>& error() const { return error_; }

private:
    void refuse(std::size_t line, std::string message) {
        error_ = LdifError{fileName_, line, std::move(message)};
    }

    // ldifde can start the file with a UTF-8 byte order mark; it is not part of the text.
    void checkByteOrderMark() {
        const std::string_view start = physical_.peek(kUtf8ByteOrderMark.size());
        if (start.starts_with(kUtf8ByteOrderMark))
            physical_.skip(kUtf8ByteOrderMark.size());
        else if (start.starts_with("\xFF\xFE") || start.starts_with("\xFE\xFF"))
            fail(1, "file is UTF-16 encoded (as 'ldifde -u' writes it); LDIF must be UTF-8, "
                    "convert it (e.g. 'iconv -f UTF-16 -t UTF-8') or export without -u");
    }

    // Reads lines until the current record ends (blank line or end of input).
    bool readRecord(DirectoryEntry& entry) {
        if (atFileStart_ && !byteOrderMarkChecked_) {
            byteOrderMarkChecked_ = true;
            checkByteOrderMark();
        }
        while (lines_.next(line_)) {
            if (line_.blank) {
                if (inRecord_) {
                    inRecord_ = false;
                    entry = std::move(current_);
                    return true;
                }
                continue;
            }
            // RFC 2849 allows comments anywhere; a folded comment was already joined with its
            // continuation lines, so it is skipped as a whole.
            if (line_.content.front() == '#')
                continue;

            const AttributeLine attribute = splitAttributeLine(line_);
            if (!inRecord_) {
                if (atFileStart_ && equalsIgnoreCase(attribute.name, "version")) {
                    checkVersion(line_, attribute);
                    atFileStart_ = false;
                    continue;
                }
                atFileStart_ = false;
                startRecord(line_, attribute);
                inRecord_ = true;
                linesInRecord_ = 1;
                continue;
            }
            ++linesInRecord_;
            addToRecord(line_, attribute, linesInRecord_);
        }
        if (!inRecord_)
            return false;
        inRecord_ = false;
        entry = std::move(current_);
        return true;
    }

    // The record as held in memory, checked against LdifLimits::maxRecordBytes.
    void countRecordBytes(const LogicalLine& line, std::size_t bytes) {
        recordBytes_ += bytes;
        if (recordBytes_ > limits_.maxRecordBytes)
            fail(line.firstLine, "the record that starts at " + current_.origin +
                                     " holds more than " +
                                     describeByteSize(limits_.maxRecordBytes) +
                                     " of values (each value counted with 32 bytes of "
                                     "bookkeeping), the limit of one record; no Exchange object "
                                     "is that large: check the file, or leave such objects out "
                                     "of the export");
    }

private:
    void checkVersion(const LogicalLine& line, const AttributeLine& attribute) {
        const std::string version = decodeValue(line, attribute, "version");
        if (version != "1") {
            fail(line.firstLine, "LDIF version '" + excerpt(version) +
                                     "' is not supported (only 'version: 1', RFC 2849); "
                                     "re-export the file with ldapsearch or ldifde");
        }
    }

    void startRecord(const LogicalLine& line, const AttributeLine& attribute) {
        if (!equalsIgnoreCase(attribute.name, "dn")) {
            std::string hint = "add the record's 'dn:' line or the missing blank line above it";
            if (equalsIgnoreCase(attribute.name, "version"))
                hint = "'version:' may only be the first line of the file; if files were "
                       "concatenated, remove this line";
            else if (equalsIgnoreCase(attribute.name, "search") ||
                     equalsIgnoreCase(attribute.name, "result"))
                hint = "this looks like the search-result trailer of plain ldapsearch output; "
                       "export with 'ldapsearch -LLL' or delete the trailer";
            fail(line.firstLine, "record starts with '" + excerpt(attribute.name) +
                                     ":' but every record must start with 'dn:' (RFC 2849); " +
                                     hint);
        }
        if (attribute.hasOptions) {
            fail(line.firstLine, "'dn' cannot have attribute options ('" +
                                     excerpt(line.content.substr(0, line.content.find(':'))) +
                                     "'); write the line as 'dn: <distinguished name>'");
        }
        std::string dn = decodeValue(line, attribute, "distinguished name");
        if (const std::size_t bad = findInvalidUtf8(dn); bad != std::string_view::npos) {
            const std::string where =
                attribute.encoding == ValueEncoding::Plain
                    ? " at column " +
                          std::to_string(line.locate(attribute.rawValueOffset + bad).second)
                    : " (byte " + std::to_string(bad + 1) + " of the decoded name)";
            fail(line.firstLine, "distinguished name is not valid UTF-8 (" + describeByte(dn[bad]) +
                                     where +
                                     "); RFC 2849 requires UTF-8, re-export the file or fix "
                                     "its encoding");
        }
        current_ = DirectoryEntry{};
        current_.dn = std::move(dn);
        current_.origin = fileName_ + ":" + std::to_string(line.firstLine);
        attributeIndex_.clear();
        recordBytes_ = 0;
        countRecordBytes(line, current_.dn.size());
    }

    void addToRecord(const LogicalLine& line, const AttributeLine& attribute,
                     std::size_t linesInRecord) {
        if (equalsIgnoreCase(attribute.name, "dn")) {
            fail(line.firstLine, "second 'dn:' line inside a record (the record started at " +
                                     current_.origin + "); separate records with a blank line");
        }
        if (equalsIgnoreCase(attribute.name, "control")) {
            fail(line.firstLine, "'control:' lines (LDAP controls of change records) are not "
                                 "supported; " +
                                     std::string(kContentRecordAdvice));
        }
        if (equalsIgnoreCase(attribute.name, "changetype")) {
            checkChangeType(line, attribute, linesInRecord);
            return;
        }

        std::string value =
            decodeValue(line, attribute, "value of '" + std::string(attribute.name) + "'");
        countRecordBytes(line, value.size() + sizeof(std::string));
        auto& attributes = current_.attributes;
        // Lower-cased in place in a reused buffer: no allocation per line for long names.
        lowerNameBuffer_.assign(attribute.name);
        for (char& c : lowerNameBuffer_)
            if (c >= 'A' && c <= 'Z')
                c = char(c - 'A' + 'a');
        const auto known = attributeIndex_.find(lowerNameBuffer_);
        if (known != attributeIndex_.end()) {
            attributes[known->second].values.push_back(std::move(value));
            return;
        }
        attributeIndex_.emplace(lowerNameBuffer_, attributes.size());
        DirectoryAttribute added;
        added.name = std::string(attribute.name);
        added.values.push_back(std::move(value));
        attributes.push_back(std::move(added));
    }

    // RFC 2849: a change record is dn, optional controls, then "changetype:". Only "add" carries
    // a complete entry (ldifde writes it for plain exports); the others describe edits.
    void checkChangeType(const LogicalLine& line, const AttributeLine& attribute,
                         std::size_t linesInRecord) {
        const std::string changeType = decodeValue(line, attribute, "changetype");
        if (linesInRecord != 2) {
            fail(line.firstLine, "'changetype:' must directly follow the 'dn:' line (RFC 2849); "
                                 "move it or " +
                                     std::string(kContentRecordAdvice));
        }
        if (equalsIgnoreCase(changeType, "add"))
            return;
        for (std::string_view known : {"modify", "delete", "modrdn", "moddn"}) {
            if (equalsIgnoreCase(changeType, known)) {
                fail(line.firstLine, "changetype '" + std::string(known) +
                                         "' records are not supported; " +
                                         std::string(kContentRecordAdvice));
            }
        }
        fail(line.firstLine, "unknown changetype '" + excerpt(changeType) +
                                 "' (RFC 2849 knows add, delete, modify, modrdn, moddn); " +
                                 std::string(kContentRecordAdvice));
    }

    std::string decodeValue(const LogicalLine& line, const AttributeLine& attribute,
                            const std::string& what) {
        switch (attribute.encoding) {
        case ValueEncoding::Url:
            fail(line.firstLine, what + ": values given by URL (':<') are not supported; export "
                                        "with the values inline");
        case ValueEncoding::Base64:
            return decodeBase64(line, attribute, what);
        case ValueEncoding::Plain:
            break;
        }
        // RFC 2849 SAFE-CHAR excludes NUL, CR and LF: such values must be base64. A CR here is
        // one not followed by LF, i.e. a file with old Mac line endings or a damaged value.
        const std::string_view value = attribute.rawValue;
        const std::size_t bad = value.find_first_of(std::string_view("\0\r", 2));
        if (bad != std::string_view::npos) {
            const auto [lineNumber, column] = line.locate(attribute.rawValueOffset + bad);
            fail(lineNumber,
                 what + " contains " +
                     (value[bad] == '\r' ? std::string("a carriage return without line feed")
                                         : std::string("a NUL byte")) +
                     " at column " + std::to_string(column) +
                     "; line endings must be LF or CRLF and binary values must be base64 "
                     "('name:: ...'), re-export the file");
        }
        return std::string(value);
    }

    ldif::PhysicalLineReader physical_;
    ldif::LogicalLineReader lines_;
    std::string fileName_;
    LdifLimits limits_;
    std::optional<LdifError> error_;
    LogicalLine line_;
    bool byteOrderMarkChecked_ = false;
    bool atFileStart_ = true; // no record and no version line seen yet
    bool inRecord_ = false;
    std::size_t linesInRecord_ = 0; // dn, changetype and attribute lines of the current record
    DirectoryEntry current_;
    std::size_t recordBytes_ = 0;
    // Lower-cased attribute name -> index in the current entry, so merging the values of one
    // attribute stays linear even for entries with many attributes.
    std::unordered_map<std::string, std::size_t> attributeIndex_;
    std::string lowerNameBuffer_;
};

LdifReader::LdifReader(LdifSource source, std::string fileName, LdifLimits limits)
    : parser_(std::make_unique<Parser>(std::move(source), std::move(fileName), limits)) {}

LdifReader::~LdifReader() = default;

bool LdifReader::next(DirectoryEntry& entry) {
    return parser_->next(entry);
}

const std::optional<LdifError>& LdifReader::error() const {
    return parser_->error();
}

LdifParseResult parseLdif(std::string_view text, std::string_view fileName,
                          const LdifLimits& limits) {
    std::size_t offset = 0;
    LdifSource source = [text, &offset](char* buffer, std::size_t capacity) {
        const std::size_t count = std::min(capacity, text.size() - offset);
        std::memcpy(buffer, text.data() + offset, count);
        offset += count;
        return count;
    };
    LdifReader reader(std::move(source), std::string(fileName), limits);
    LdifParseResult result;
    DirectoryEntry entry;
    while (reader.next(entry))
        result.entries.push_back(std::move(entry));
    if (reader.error()) {
        result.entries.clear();
        result.error = reader.error();
    }
    return result;
}

} // namespace relayaudit
