// The whole offline pipeline as "relayaudit analyze --ldif" runs it: LDIF -> snapshot -> the
// built-in rule packs -> inventory -> XML, HTML and JSON reports. Properties: the snapshot and the
// XML report are well-formed XML that pugixml reads back; the HTML and JSON reports are UTF-8; a
// report never carries a raw directory control character (everything is escaped).
#include "fuzz_check.h"
#include "inventory.h"
#include "ldif_reader.h"
#include "manual_checks.h"
#include "reporters.h"
#include "rules.h"
#include "snapshot.h"
#include "snapshot_builder.h"

#include <pugixml.hpp>

using namespace relayaudit;

namespace {

// Large enough for the bundled samples, small enough that one run stays in milliseconds.
constexpr std::size_t kMaxInputBytes = 48 * 1024;

const RuleCatalogue& builtinCatalogue() {
    static RuleCatalogue catalogue = [] {
        RuleCatalogue loaded;
        std::vector<RulePackError> errors;
        FUZZ_CHECK(loaded.loadBuiltin(errors), "the built-in rule packs load");
        return loaded;
    }();
    return catalogue;
}

void checkXml(const std::string& text, const char* what) {
    pugi::xml_document document;
    auto result = document.load_buffer(text.data(), text.size());
    FUZZ_CHECK(result, std::string(what) + " parses back as XML: " + result.description());
}

// No C0 control other than tab, newline and carriage return (the XML and HTML way to say the
// document could carry a directory value unescaped).
void checkNoRawControls(const std::string& text, const char* what) {
    for (unsigned char c : text)
        FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n' || c == '\r',
                   std::string(what) + " holds a raw control byte " + std::to_string(c));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > kMaxInputBytes)
        return 0;
    const RuleCatalogue& catalogue = builtinCatalogue();
    auto parsed = parseLdif(fuzzsupport::textOf(data, size), "fuzz.ldif");
    if (parsed.error)
        return 0;
    CollectionContext context;
    context.sourceKind = "ldif";
    context.inputs.push_back("fuzz.ldif");
    pugi::xml_document snapshot;
    buildSnapshot(parsed.entries, context, snapshot);
    checkXml(snapshotToString(snapshot), "the snapshot");

    AuditReport report;
    report.run.toolVersion = "fuzz";
    report.run.generatedAt = "2026-01-01T00:00:00Z";
    report.run.target = "fuzz.ldif";
    report.findings = catalogue.evaluate(snapshot);
    report.rules = catalogue.rules();
    auto manual = takeManualFindings(report.findings, catalogue);
    report.manualChecks = manualCheckTexts(manual);
    report.inventory = inventoryOf(snapshot);

    const std::string xml = renderXmlReport(report);
    checkXml(xml, "the XML report");
    checkNoRawControls(xml, "the XML report");
    const std::string html = renderHtmlReport(report);
    FUZZ_CHECK(fuzzsupport::isValidUtf8(html), "the HTML report is UTF-8");
    checkNoRawControls(html, "the HTML report");
    const std::string json = renderJsonReport(report);
    FUZZ_CHECK(fuzzsupport::isValidUtf8(json), "the JSON report is UTF-8");
    checkNoRawControls(json, "the JSON report");
    return 0;
}
