// The LDIF reader: any text in. Property: the entries it yields, written back as LDIF with every
// DN and value in base64, read back to the same entries (so no value is altered on the way in),
// and an error names a line of the input.
#include "base64.h"
#include "fuzz_check.h"
#include "ldif_reader.h"

#include <algorithm>

using namespace relayaudit;

namespace {

// The reader's limits are for files; a fuzz input stays small so each run is fast.
constexpr std::size_t kMaxInputBytes = 64 * 1024;

std::string ldifOf(const std::vector<DirectoryEntry>& entries) {
    std::string out;
    for (const auto& entry : entries) {
        out += "dn:: " + base64Encode(entry.dn) + "\n";
        for (const auto& attribute : entry.attributes)
            for (const auto& value : attribute.values)
                out += attribute.name + ":: " + base64Encode(value) + "\n";
        out += "\n";
    }
    return out;
}

bool sameEntries(const std::vector<DirectoryEntry>& a, const std::vector<DirectoryEntry>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
        return x.dn == y.dn &&
               std::equal(x.attributes.begin(), x.attributes.end(), y.attributes.begin(),
                          y.attributes.end(), [](const auto& p, const auto& q) {
                              return p.name == q.name && p.values == q.values;
                          });
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > kMaxInputBytes)
        return 0;
    const std::string_view text = fuzzsupport::textOf(data, size);
    auto parsed = parseLdif(text, "fuzz.ldif");
    if (parsed.error) {
        const auto lines = std::size_t(std::count(text.begin(), text.end(), '\n')) + 1;
        FUZZ_CHECK(parsed.error->line <= lines, "error line inside the input");
        return 0;
    }
    for (const auto& entry : parsed.entries)
        FUZZ_CHECK(entry.origin.rfind("fuzz.ldif:", 0) == 0, "origin names the file");
    const std::string written = ldifOf(parsed.entries);
    auto again = parseLdif(written, "written.ldif");
    FUZZ_CHECK(!again.error,
               "written-back LDIF parses: " + (again.error ? again.error->describe() : ""));
    FUZZ_CHECK(sameEntries(parsed.entries, again.entries), "entries round trip through LDIF");
    return 0;
}
