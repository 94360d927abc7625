// The regedit export reader (collect/ims/registry_export), the IMS Parameters reader
// (ims_parameters) and the net;mask decoder (decode/ims_relay_entry): both encodings, with and
// without each value, continuations, comments, several keys, and every way a file can be broken.
#include "ims_parameters.h"
#include "ims_relay_entry.h"
#include "registry_builder.h"
#include "registry_export.h"
#include "split_mix64.h"

#include <QtTest/QtTest>

using namespace relayaudit;
using testsupport::multiSzLine;
using testsupport::parametersExport;
using testsupport::regFile;

namespace {

const bool kFormats[] = {false, true}; // REGEDIT4, version 5.00

ImsParameters readOk(const std::string& bytes) {
    auto read = readImsParameters(bytes);
    if (read.error)
        qFatal("unexpected error: %s", read.error->describe("t.reg").c_str());
    return read.parameters;
}

RegistryError readError(const std::string& bytes) {
    auto read = readImsParameters(bytes);
    if (!read.error)
        qFatal("expected an error");
    return *read.error;
}

std::vector<std::string> entryTexts(const ImsRelayList& list) {
    std::vector<std::string> texts;
    for (const auto& entry : list.entries)
        texts.push_back(entry.text);
    return texts;
}

} // namespace

class TestImsRegistry : public QObject {
    Q_OBJECT

private slots:
    // --- both formats, each value present and absent ---
    void relayFlagsDwordIsReadInBothFormats() {
        for (bool v5 : kFormats) {
            auto p = readOk(parametersExport(v5, {"\"RelayFlags\"=dword:0000000a"}));
            QCOMPARE(p.relayFlags.status, ImsValueStatus::Valid);
            QCOMPARE(p.relayFlags.value, 10u);
            QCOMPARE(p.relayFlags.line, 4u);
            QCOMPARE(p.format, v5 ? RegistryFormat::Version5 : RegistryFormat::Regedit4);
            QCOMPARE(p.encoding, v5 ? RegistryEncoding::Utf16Le : RegistryEncoding::Windows1252);
        }
    }
    void absentValuesAreAbsentNotDefaulted() {
        for (bool v5 : kFormats) {
            auto p = readOk(parametersExport(v5, {"\"ServerName\"=\"EXCH55\""}));
            QCOMPARE(p.relayFlags.status, ImsValueStatus::Absent);
            for (auto* list : {&p.denyList, &p.allowList, &p.localIpList})
                QCOMPARE(list->status, ImsValueStatus::Absent);
        }
    }
    void eachListIsReadInBothFormats() {
        for (bool v5 : kFormats) {
            auto p = readOk(parametersExport(
                v5, {multiSzLine("RelayDenyList", {"192.0.2.0;255.255.255.0"}, v5),
                     multiSzLine("RelayAllowList", {"10.1.2.25", "10.0.0.0;255.0.0.0"}, v5),
                     multiSzLine("RelayLocalIPList", {"10.1.2.1"}, v5)}));
            QCOMPARE(p.denyList.status, ImsValueStatus::Valid);
            QCOMPARE(entryTexts(p.allowList),
                     (std::vector<std::string>{"10.1.2.25", "10.0.0.0;255.0.0.0"}));
            QCOMPARE(p.allowList.entries[1].decoded->addressCount, 16777216.0);
            QCOMPARE(p.allowList.entries[0].decoded->addressCount, 1.0);
            QCOMPARE(entryTexts(p.localIpList), std::vector<std::string>{"10.1.2.1"});
        }
    }
    void emptyMultiStringIsAnEmptyValidList() {
        for (bool v5 : kFormats) {
            auto p = readOk(parametersExport(v5, {"\"RelayAllowList\"=hex(7):00,00"}));
            QCOMPARE(p.allowList.status, ImsValueStatus::Valid);
            QVERIFY(p.allowList.entries.empty());
        }
    }
    void utf8ExportsWithAndWithoutByteOrderMarkAreRead() {
        std::string text = "Windows Registry Editor Version 5.00\n\n" +
                           std::string(testsupport::kParametersKey) +
                           "\n\"RelayFlags\"=dword:00000002\n";
        for (const std::string& bytes : {text, "\xEF\xBB\xBF" + text}) {
            auto p = readOk(bytes);
            QCOMPARE(p.relayFlags.value, 2u);
            QCOMPARE(p.encoding, RegistryEncoding::Utf8);
        }
    }
    void utf16WithoutByteOrderMarkIsRead() {
        auto bytes = parametersExport(true, {"\"RelayFlags\"=dword:00000004"}).substr(2);
        QCOMPARE(readOk(bytes).relayFlags.value, 4u);
    }
    void regedit4IsWindows1252() {
        auto bytes = regFile(false, {"[HKEY_CURRENT_USER\\Test]", "\"Name\"=\"f\xFC\x72 \x80\""});
        auto parsed = parseRegistryExport(bytes);
        QVERIFY(!parsed.error);
        QCOMPARE(parsed.exported.keys.at(0).values.at(0).text,
                 std::string("f\xC3\xBCr \xE2\x82\xAC"));
    }
    void regedit4MultiStringInAnsiAndInUtf16() {
        auto ansi =
            readOk(parametersExport(false, {multiSzLine("RelayAllowList", {"10.0.0.1"}, false)}));
        auto wide =
            readOk(parametersExport(false, {multiSzLine("RelayAllowList", {"10.0.0.1"}, true)}));
        QCOMPARE(entryTexts(ansi.allowList), std::vector<std::string>{"10.0.0.1"});
        QCOMPARE(entryTexts(wide.allowList), std::vector<std::string>{"10.0.0.1"});
    }

    // --- syntax: continuations, comments, keys, deletions, escapes ---
    void hexContinuationsAcrossManyLinesAreJoined() {
        std::vector<std::string> many;
        for (int i = 1; i <= 20; ++i)
            many.push_back("10.0.0." + std::to_string(i));
        for (bool v5 : kFormats) {
            auto p = readOk(parametersExport(v5, {multiSzLine("RelayAllowList", many, v5, 7)}));
            QCOMPARE(entryTexts(p.allowList), many);
        }
    }
    void commentsAndBlankLinesAreSkipped() {
        auto p = readOk(parametersExport(true, {"; a comment", "", "   ; indented comment",
                                                "\"RelayFlags\"=dword:00000002 ; trailing", ""}));
        QCOMPARE(p.relayFlags.value, 2u);
    }
    void otherKeysParseButDoNotCount() {
        auto bytes = regFile(
            true,
            {"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC]",
             "\"RelayFlags\"=dword:00000000", testsupport::kParametersKey,
             "\"RelayFlags\"=dword:00000002",
             "[HKEY_LOCAL_"
             "MACHINE\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters\\Queue]",
             "\"RelayFlags\"=dword:00000000", "@=\"default\""});
        QCOMPARE(readOk(bytes).relayFlags.value, 2u);
    }
    void keyAndValueNamesAreCaseInsensitive() {
        auto bytes = regFile(
            false,
            {"[hkey_local_machine\\system\\currentcontrolset\\services\\msexchangeimc\\parameters]",
             "\"relayflags\"=dword:00000008"});
        QCOMPARE(readOk(bytes).relayFlags.value, 8u);
    }
    void laterValuesReplaceEarlierOnesAndDeletionsRemove() {
        auto p = readOk(regFile(true, {testsupport::kParametersKey, "\"RelayFlags\"=dword:00000002",
                                       testsupport::kParametersKey, "\"RelayFlags\"=dword:00000008",
                                       multiSzLine("RelayAllowList", {"10.0.0.1"}, true),
                                       "\"RelayAllowList\"=-"}));
        QCOMPARE(p.relayFlags.value, 8u);
        QCOMPARE(p.allowList.status, ImsValueStatus::Absent);
    }
    void deletedKeyIsNoKey() {
        auto error = readError(regFile(
            true, {testsupport::kParametersKey, "\"RelayFlags\"=dword:00000002",
                   "[-HKEY_LOCAL_"
                   "MACHINE\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters]"}));
        QVERIFY(error.problem.find("holds no [HKEY_LOCAL_MACHINE") != std::string::npos);
    }
    void stringEscapesAreDecoded() {
        auto parsed = parseRegistryExport(
            regFile(true, {"[HKEY_CURRENT_USER\\T]", "\"a\\\\b\\\"c\"=\"C:\\\\x \\\"y\\\"\""}));
        QVERIFY(!parsed.error);
        const auto& value = parsed.exported.keys.at(0).values.at(0);
        QCOMPARE(value.name, std::string("a\\b\"c"));
        QCOMPARE(value.text, std::string("C:\\x \"y\""));
    }

    // --- unknown and wrong types ---
    void unknownHexTypesAreKeptWithTheirNumber() {
        auto parsed = parseRegistryExport(
            regFile(true, {"[HKEY_CURRENT_USER\\T]", "\"Odd\"=hex(12345678):01,02"}));
        QVERIFY(!parsed.error);
        const auto& value = parsed.exported.keys.at(0).values.at(0);
        QCOMPARE(value.type, 0x12345678u);
        QCOMPARE(value.bytes, std::string("\x01\x02"));
    }
    void relayFlagsOfTheWrongTypeIsInvalidNotGuessed() {
        for (const char* line :
             {"\"RelayFlags\"=\"2\"", "\"RelayFlags\"=hex(b):02,00,00,00,00,00,00,00",
              "\"RelayFlags\"=hex:02,00,00,00", "\"RelayFlags\"=hex(4):02,00"}) {
            auto p = readOk(parametersExport(true, {line}));
            QVERIFY2(p.relayFlags.status == ImsValueStatus::Invalid, line);
            QVERIFY(p.relayFlags.reason.find("RelayFlags is") == 0);
        }
    }
    void relayFlagsAsFourHexBytesIsADword() {
        auto p = readOk(parametersExport(true, {"\"RelayFlags\"=hex(4):0a,00,00,00"}));
        QCOMPARE(p.relayFlags.status, ImsValueStatus::Valid);
        QCOMPARE(p.relayFlags.value, 10u);
    }
    void listOfTheWrongTypeIsInvalid() {
        auto p = readOk(parametersExport(true, {"\"RelayAllowList\"=\"10.0.0.0;255.0.0.0\""}));
        QCOMPARE(p.allowList.status, ImsValueStatus::Invalid);
        QVERIFY(p.allowList.reason.find("not a REG_MULTI_SZ") != std::string::npos);
    }
    void listEntryThatIsNotAnAddressMakesTheListInvalidButKeepsTheOthers() {
        auto p = readOk(parametersExport(
            true, {multiSzLine("RelayAllowList", {"10.0.0.1", "mail.example", "10.0.0.0;255.0.0.0"},
                               true)}));
        QCOMPARE(p.allowList.status, ImsValueStatus::Invalid);
        QVERIFY(p.allowList.reason.find("entry 2") == 0);
        QVERIFY(p.allowList.entries.at(2).decoded.has_value());
    }
    void multiStringWithoutTerminatorIsInvalid() {
        auto p = readOk(parametersExport(true, {"\"RelayAllowList\"=hex(7):31,00,30,00"}));
        QCOMPARE(p.allowList.status, ImsValueStatus::Invalid);
        QVERIFY(p.allowList.reason.find("does not end with a NUL") != std::string::npos);
    }
    void multiStringWithOddUtf16ByteCountIsInvalid() {
        auto p = readOk(parametersExport(true, {"\"RelayAllowList\"=hex(7):31,00,30,00,00"}));
        QCOMPARE(p.allowList.status, ImsValueStatus::Invalid);
        QVERIFY(p.allowList.reason.find("odd number of bytes") != std::string::npos);
    }
    void multiStringWithTextAfterAnEmptyStringIsInvalid() {
        auto p = readOk(parametersExport(
            true, {multiSzLine("RelayAllowList", {"10.0.0.1", "", "0.0.0.0;0.0.0.0"}, true)}));
        QCOMPARE(p.allowList.status, ImsValueStatus::Invalid);
        QVERIFY(p.allowList.reason.find("empty string") != std::string::npos);
    }

    // --- broken files: precise errors, never a crash ---
    void truncatedContinuationNamesTheLastLine() {
        // The file ends right after the continuation: there is no next line to continue with.
        auto error = readError(
            regFile(true, {testsupport::kParametersKey, "\"RelayAllowList\"=hex(7):31,00,\\"}));
        QCOMPARE(error.line, 4u);
        QVERIFY(error.problem.find("continues with '\\' but the file ends") != std::string::npos);
        QVERIFY(error.advice.find("reg export") != std::string::npos);
    }
    void fileCutInsideAHexByteIsRefused() {
        std::string text = "REGEDIT4\r\n" + std::string(testsupport::kParametersKey) +
                           "\r\n\"RelayAllowList\"=hex(7):31,30,2e,3";
        auto error = readError(text);
        QCOMPARE(error.line, 3u);
        QVERIFY(error.problem.find("'3' is not a byte") != std::string::npos);
    }
    void fileCutInsideAStringOrAKeyIsRefused() {
        auto error = readError("REGEDIT4\r\n" + std::string(testsupport::kParametersKey) +
                               "\r\n\"ServerName\"=\"EXC");
        QCOMPARE(error.line, 3u);
        QVERIFY(error.problem.find("not closed by '\"'") != std::string::npos);
        error = readError("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Curr");
        QCOMPARE(error.line, 2u);
        QVERIFY(error.problem.find("not closed by ']'") != std::string::npos);
    }
    void oddUtf16ByteCountIsATruncatedFile() {
        auto bytes = parametersExport(true, {"\"RelayFlags\"=dword:00000002"});
        auto error = readError(bytes.substr(0, bytes.size() - 1));
        QVERIFY(error.problem.find("odd number of bytes") != std::string::npos);
        QCOMPARE(error.line, 5u);
    }
    void unpairedSurrogateIsRefusedWithItsLine() {
        auto bytes = parametersExport(true, {"\"ServerName\"=\"a\""});
        auto at = bytes.find(std::string("a\0\"\0", 4));
        bytes.replace(at, 2, std::string("\x00\xD8", 2));
        auto error = readError(bytes);
        QCOMPARE(error.line, 4u);
        QVERIFY(error.problem.find("surrogate") != std::string::npos);
    }
    void badHexIsRefusedWithItsLine() {
        for (const char* data :
             {"hex(7):31,zz,00", "hex:1,2", "hex(7):31,,00", "hex(q):00", "hex(7:00"}) {
            auto error = readError(parametersExport(
                false, {"\"ServerName\"=\"x\"", std::string("\"RelayAllowList\"=") + data}));
            QVERIFY2(error.line == 5u, data);
        }
    }
    void dwordNeedsEightDigits() {
        for (const char* data : {"dword:0000002", "dword:000000021", "dword:0000000g", "dword:"}) {
            auto error = readError(parametersExport(true, {std::string("\"RelayFlags\"=") + data}));
            QVERIFY2(error.line == 4u &&
                         error.problem.find("8 hexadecimal digits") != std::string::npos,
                     data);
        }
    }
    void unknownDataSyntaxIsRefused() {
        auto error = readError(parametersExport(true, {"\"RelayFlags\"=qword:0000000000000002"}));
        QCOMPARE(error.line, 4u);
        QVERIFY(error.problem.find("unknown value data") != std::string::npos);
    }
    void unknownEscapeInAStringIsRefused() {
        auto error = readError(parametersExport(true, {"\"Path\"=\"C:\\temp\""}));
        QCOMPARE(error.line, 4u);
        QVERIFY(error.problem.find("\\t in the string value") != std::string::npos);
    }
    void textAfterAValueIsRefused() {
        auto error = readError(parametersExport(true, {"\"A\"=\"x\" junk"}));
        QCOMPARE(error.line, 4u);
    }
    void valueBeforeAnyKeyIsRefused() {
        auto error = readError(regFile(false, {"\"RelayFlags\"=dword:00000000"}));
        QCOMPARE(error.line, 3u);
        QVERIFY(error.problem.find("before the first [key]") != std::string::npos);
    }
    void wrongHeaderEmptyFileAndBigEndianAreRefusedOnLineOne() {
        for (const std::string& bytes :
             {std::string("REGEDIT5\r\n"), std::string(), std::string("\xFE\xFF\0W", 4),
              std::string("[HKEY_LOCAL_MACHINE\\X]\r\n")}) {
            auto error = readError(bytes);
            QCOMPARE(error.line, 1u);
        }
    }
    void nulCharacterIsRefused() {
        auto error = readError("REGEDIT4\r\n" + std::string(testsupport::kParametersKey) +
                               "\r\n\"A\"=\"x" + std::string(1, '\0') + "\"\r\n");
        QCOMPARE(error.line, 3u);
        QVERIFY(error.problem.find("NUL") != std::string::npos);
    }
    void invalidUtf8InAVersion5FileIsRefused() {
        auto error =
            readError("Windows Registry Editor Version 5.00\r\n\r\n\"A\"=\"\xC3\x28\"\r\n");
        QCOMPARE(error.line, 3u);
    }
    void exportWithoutTheParametersKeyIsRefused() {
        auto error = readError(regFile(
            true, {"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Other]", "\"RelayFlags\"=dword:00000000"}));
        QCOMPARE(error.line, 0u);
        QVERIFY(error.advice.find(
                    "reg export "
                    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIMC\\Parameters") !=
                std::string::npos);
    }
    void hostileLongLineIsRefusedWithoutReadingOn() {
        std::string line = "\"A\"=\"" + std::string(kMaxRegistryLineBytes + 10, 'x') + "\"";
        auto error = readError(regFile(false, {testsupport::kParametersKey, line}));
        QCOMPARE(error.line, 4u);
        QVERIFY(error.problem.find("longer than") != std::string::npos);
    }
    void endlessContinuationIsRefused() {
        std::string line = "\"A\"=hex:";
        std::vector<std::string> lines = {testsupport::kParametersKey, line + "00,\\"};
        for (int i = 0; i < 40000; ++i)
            lines.push_back("  00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,\\");
        lines.push_back("  00");
        auto error = readError(regFile(false, lines));
        QVERIFY(error.problem.find("continues for more than") != std::string::npos);
    }
    void oversizedFileIsRefusedBeforeDecoding() {
        auto error = readError(std::string(kMaxRegistryFileBytes + 1, ';'));
        QCOMPARE(error.line, 0u);
        QVERIFY(error.problem.find("larger than") != std::string::npos);
    }
    void errorDescriptionNamesFileAndLine() {
        RegistryError error{7, "what", "what to do"};
        QCOMPARE(error.describe("EXCH55.reg"), std::string("EXCH55.reg:7: what; what to do"));
        RegistryError whole{0, "what", ""};
        QCOMPARE(whole.describe("f"), std::string("f: what"));
    }
    void hostileNamesInErrorsAreShownEscaped() {
        auto error = readError(parametersExport(false, {"\"A\"=bogus\x1b[31m"}));
        QVERIFY(error.problem.find('\x1b') == std::string::npos);
        QVERIFY(error.problem.find("\\1B") != std::string::npos);
    }

    // Mutated and cut exports (bytes flipped, inserted, deleted; truncated anywhere) in both
    // encodings: every one ends in parameters or a described error, never a crash or a throw.
    void mutatedExportsNeverCrash() {
        testsupport::SplitMix64 random(0x1A5);
        for (bool v5 : kFormats) {
            auto valid = parametersExport(
                v5, {"; comment", "\"RelayFlags\"=dword:0000000b",
                     multiSzLine("RelayDenyList", {"192.0.2.0;255.255.255.0"}, v5, 5),
                     multiSzLine("RelayAllowList", {"10.1.2.25", "10.0.0.0;255.0.0.0"}, v5, 7),
                     "\"Name\"=\"a\\\\b\"", "\"Gone\"=-", "\"Bin\"=hex:01,02"});
            for (int round = 0; round < 3000; ++round) {
                std::string bytes = valid;
                for (std::size_t n = 1 + random.below(4); n > 0; --n) {
                    auto at = random.below(bytes.size());
                    switch (random.below(4)) {
                    case 0:
                        bytes[at] = static_cast<char>(random.below(256));
                        break;
                    case 1:
                        bytes.insert(at, 1, "\\\",;[]-\r\n\0:("[random.below(12)]);
                        break;
                    case 2:
                        bytes.erase(at, 1 + random.below(3));
                        break;
                    default:
                        bytes.resize(at);
                    }
                }
                auto read = readImsParameters(bytes);
                if (read.error)
                    QVERIFY(!read.error->describe("m.reg").empty());
            }
        }
    }

    // --- net;mask entries ---
    void entriesCountTheirAddresses() {
        struct Case {
            const char* text;
            double addresses;
            bool contiguous;
        };
        for (auto c :
             {Case{"10.0.0.0;255.0.0.0", 16777216, true}, Case{"192.0.2.7", 1, true},
              Case{" 192.0.2.0 ; 255.255.255.0 ", 256, true},
              Case{"0.0.0.0;0.0.0.0", 4294967296.0, true},
              Case{"10.0.0.0;255.0.255.0", 65536, false}, Case{"10.1.2.3;255.255.0.0", 0, true}}) {
            auto entry = parseImsRelayEntry(c.text);
            QVERIFY2(entry.ok(), c.text);
            QCOMPARE(entry.value().addressCount, c.addresses);
            QCOMPARE(entry.value().contiguous, c.contiguous);
        }
        QVERIFY(parseImsRelayEntry("10.1.2.3;255.255.0.0").value().hostBitsSet);
        QCOMPARE(parseImsRelayEntry("192.0.2.7").value().mask, std::string("255.255.255.255"));
    }
    void ambiguousOrMalformedEntriesAreRefused() {
        for (const char* text :
             {"010.0.0.1", "10.1", "0x0a.0.0.1", "10.0.0.256", "10.0.0.1;", ";255.0.0.0",
              "10.0.0.1;255.0.0.0;1", "mail.example", "10.0.0.1/8", "::1", ""}) {
            auto entry = parseImsRelayEntry(text);
            QVERIFY2(!entry.ok(), text);
            QVERIFY(!entry.error().reason.empty());
        }
    }
};

QTEST_GUILESS_MAIN(TestImsRegistry)
#include "tst_ims_registry.moc"
