// An attribute of a search result entry off the wire (readPartialAttribute): any bytes in; what
// it reads is what libldap's own reader (ber_scanf "{mM}") reads, values lie in order inside the
// bytes, and an error names a byte inside them. The one difference on purpose: bytes after the
// value set are an error here, where libldap stops reading before them.
#include "ber_attribute.h"
#include "ber_attribute_oracle.h"
#include "fuzz_check.h"

using namespace relayaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view contents = fuzzsupport::textOf(data, size);
    std::string_view type;
    std::vector<std::string_view> values;
    const auto problem = readPartialAttribute(contents, type, values);
    const auto reference = testsupport::libldapReadsAttribute(contents);
    if (problem) {
        FUZZ_CHECK(problem->offset <= size, "error offset inside the bytes");
        FUZZ_CHECK(!reference.ok || reference.bytesAfterValueSet,
                   "an attribute libldap reads whole is read: " + problem->describe());
        return 0;
    }
    FUZZ_CHECK(reference.ok && !reference.bytesAfterValueSet, "libldap reads it too");
    FUZZ_CHECK(std::string(type) == reference.type, "the same type as libldap");
    FUZZ_CHECK(values.size() == reference.values.size(), "as many values as libldap");
    const char* previousEnd = type.data() + type.size();
    for (std::size_t i = 0; i < values.size(); ++i) {
        FUZZ_CHECK(std::string(values[i]) == reference.values[i], "the same values as libldap");
        FUZZ_CHECK(values[i].data() >= previousEnd &&
                       values[i].data() + values[i].size() <= contents.data() + size,
                   "values in order inside the bytes");
        previousEnd = values[i].data() + values[i].size();
    }
    return 0;
}
