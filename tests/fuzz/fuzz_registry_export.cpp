// The regedit export reader and the IMS Parameters reader on top of it: any bytes in. Properties:
// everything it yields is UTF-8 (whatever the file's encoding), line numbers are in file order,
// REG_MULTI_SZ data decodes to UTF-8 strings, and an error names a line.
#include "fuzz_check.h"
#include "ims_parameters.h"
#include "registry_export.h"

using namespace relayaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes = fuzzsupport::textOf(data, size);
    auto parse = parseRegistryExport(bytes);
    if (!parse.error) {
        std::size_t previousLine = 0;
        for (const auto& key : parse.exported.keys) {
            FUZZ_CHECK(fuzzsupport::isValidUtf8(key.path), "key path is UTF-8");
            FUZZ_CHECK(key.line > previousLine, "keys in file order");
            previousLine = key.line;
            for (const auto& value : key.values) {
                FUZZ_CHECK(fuzzsupport::isValidUtf8(value.name), "value name is UTF-8");
                FUZZ_CHECK(value.line >= key.line, "a value follows its key");
                if (value.kind == RegistryValueKind::String)
                    FUZZ_CHECK(fuzzsupport::isValidUtf8(value.text), "string value is UTF-8");
                if (value.kind == RegistryValueKind::Bytes) {
                    auto multi = decodeMultiString(value.bytes, parse.exported.format);
                    for (const auto& string : multi.strings)
                        FUZZ_CHECK(fuzzsupport::isValidUtf8(string),
                                   "REG_MULTI_SZ string is UTF-8");
                }
            }
        }
    }
    auto ims = readImsParameters(bytes);
    FUZZ_CHECK(!parse.error || ims.error, "the IMS reader refuses what the export reader refuses");
    if (!ims.error)
        for (const auto* list :
             {&ims.parameters.denyList, &ims.parameters.allowList, &ims.parameters.localIpList})
            FUZZ_CHECK(fuzzsupport::isValidUtf8(list->reason), "reason is UTF-8");
    return 0;
}
