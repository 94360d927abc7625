// Security descriptor decoder: any bytes in; what it yields is well-formed (SIDs in S-1- text
// that the SID helpers read, GUIDs in their 36-character lowercase form), a DACL never claims more
// ACEs than the bytes can hold, and an error names a byte inside the input.
#include "fuzz_check.h"
#include "security_descriptor.h"
#include "sid.h"

using namespace relayaudit;

namespace {

void checkSidText(const std::string& sid) {
    FUZZ_CHECK(sid.rfind("S-1-", 0) == 0, "SID text: " + sid);
    FUZZ_CHECK(sid.size() <= 4 + 14 + 15 * 11, "SID text length: " + sid);
}

void checkGuidText(const std::string& guid) {
    FUZZ_CHECK(guid.size() == 36, "GUID text length: " + guid);
    for (std::size_t i = 0; i < guid.size(); ++i) {
        const char c = guid[i];
        if (i == 8 || i == 13 || i == 18 || i == 23)
            FUZZ_CHECK(c == '-', "GUID dash: " + guid);
        else
            FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'), "GUID digit: " + guid);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto decoded = decodeSecurityDescriptor(std::span<const std::uint8_t>(data, size));
    if (!decoded.ok()) {
        FUZZ_CHECK(decoded.error().offset <= size, "error offset inside the input");
        return 0;
    }
    const auto& descriptor = decoded.value();
    if (descriptor.owner)
        checkSidText(*descriptor.owner);
    if (descriptor.group)
        checkSidText(*descriptor.group);
    // An ACE takes at least 8 bytes (header and mask) besides the 20-byte descriptor header.
    FUZZ_CHECK(descriptor.dacl.size() * 8 <= size, "ACE count fits the bytes");
    for (const auto& ace : descriptor.dacl) {
        const bool grantsOrDenies = ace.type == kAceAccessAllowed || ace.type == kAceAccessDenied ||
                                    ace.type == kAceAccessAllowedObject ||
                                    ace.type == kAceAccessDeniedObject;
        if (grantsOrDenies)
            checkSidText(ace.trustee);
        if (ace.objectType)
            checkGuidText(*ace.objectType);
        if (ace.inheritedObjectType)
            checkGuidText(*ace.inheritedObjectType);
        const bool objectAce =
            ace.type == kAceAccessAllowedObject || ace.type == kAceAccessDeniedObject;
        FUZZ_CHECK(objectAce || (!ace.objectType && !ace.inheritedObjectType),
                   "only object ACEs carry GUIDs");
    }
    return 0;
}
