// The one reader of attribute options (analyzer/collect/attribute_options.h), shared by the LDIF
// reader and the LDAP searches: what Active Directory's range retrieval says, read exactly.
#include "attribute_options.h"

#include <QtTest>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

using namespace relayaudit;
using namespace std::string_view_literals;

class TestAttributeOptions : public QObject {
    Q_OBJECT

private slots:
    void boundedRangeGivesBothBounds() {
        const auto range = parseRangeOption("range=0-1499");
        QVERIFY(range);
        QCOMPARE(range->low, std::uint64_t(0));
        QCOMPARE(range->high, std::optional<std::uint64_t>(1499));
    }

    void starMarksTheLastRange() {
        const auto range = parseRangeOption("range=1500-*");
        QVERIFY(range);
        QCOMPARE(range->low, std::uint64_t(1500));
        QVERIFY(!range->high);
        QVERIFY(!range->nextLow());
    }

    void boundedRangeAsksForTheValuesAfterItsHighBound() {
        QCOMPARE(parseRangeOption("range=0-1499")->nextLow(), std::optional<std::uint64_t>(1500));
    }

    void highBoundAtTheTopOfSixtyFourBitsDoesNotWrapToZero() {
        const auto range = parseRangeOption("range=0-18446744073709551615");
        QVERIFY(range);
        QVERIFY(!range->nextLow());
    }

    void prefixIsCaseInsensitive() {
        QVERIFY(parseRangeOption("Range=2-*"));
        QVERIFY(parseRangeOption("RANGE=0-*"));
    }

    void malformedRangesAreNotRanges() {
        for (auto option :
             {"range=x-1"sv, "range=0-"sv, "range=-1499"sv, "range=0-1499x"sv, "range=0-**"sv,
              "range=0+1499"sv, "range="sv, "ranges=0-1"sv, "range=+1-2"sv, "range= 1-2"sv,
              "range=1-2-3"sv, "binary"sv, ""sv, "range=18446744073709551616-*"sv})
            QVERIFY2(!parseRangeOption(option), option.data());
    }

    void optionForTheRestStartsAtLowAndEndsInStar() {
        QCOMPARE(rangeOptionFrom(1500), std::string("range=1500-*"));
        const auto range = parseRangeOption(rangeOptionFrom(3000));
        QVERIFY(range && range->low == 3000 && !range->high);
    }

    void descriptionWithoutOptionsIsAllType() {
        const auto description = splitAttributeDescription("member");
        QCOMPARE(description.type, "member"sv);
        QVERIFY(description.options.empty());
        QVERIFY(!description.range);
    }

    void descriptionSplitsTypeOptionsAndRange() {
        const auto description = splitAttributeDescription("member;lang-en;range=0-1499");
        QCOMPARE(description.type, "member"sv);
        QCOMPARE(description.options, (std::vector<std::string_view>{"lang-en", "range=0-1499"}));
        QVERIFY(description.range);
        QCOMPARE(description.range->high, std::optional<std::uint64_t>(1499));
    }

    void emptyOptionsAreKeptForTheCallerToJudge() {
        QCOMPARE(splitAttributeDescription("member;range=0-1;").options,
                 (std::vector<std::string_view>{"range=0-1", ""}));
        QCOMPARE(splitAttributeDescription("cn;;x").options,
                 (std::vector<std::string_view>{"", "x"}));
    }

    void firstWellFormedRangeCounts() {
        const auto description = splitAttributeDescription("member;range=x-1;range=5-*;range=0-1");
        QVERIFY(description.range);
        QCOMPARE(description.range->low, std::uint64_t(5));
    }
};

QTEST_APPLESS_MAIN(TestAttributeOptions)
#include "tst_attribute_options.moc"
