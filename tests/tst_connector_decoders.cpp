// Decoders behind the receive-connector and SMTP-connector snapshot: remote IP ranges in every
// notation (IPv6 included), their union, bindings, and address spaces (routingList).
#include "address_space.h"
#include "ip_binding.h"
#include "ip_range.h"
#include "ip_range_union.h"

#include <QtTest>
#include <cmath>
#include <string>
#include <vector>

using namespace relayaudit;
using namespace std::string_literals;

namespace {

IpRange range(const char* text) {
    auto parsed = parseRemoteIpRange(text);
    if (!parsed.ok())
        qFatal("%s: %s", text, parsed.error().describe().c_str());
    return parsed.value();
}

RangeCoverage coverage(const std::vector<const char*>& texts) {
    std::vector<IpRange> ranges;
    for (const char* text : texts)
        ranges.push_back(range(text));
    return coverageOf(ranges);
}

} // namespace

class TestConnectorDecoders : public QObject {
    Q_OBJECT

private slots:
    // ---- IPv6 in the four notations ---------------------------------------------------------
    void ipv6MaskInParenthesesEqualsItsPrefix() {
        const auto masked = range("2001:db8::1(ffff:ffff:ffff:ffff::)");
        const auto prefixed = range("2001:db8::/64");
        QCOMPARE(masked.first, prefixed.first);
        QCOMPARE(masked.last, "2001:db8::ffff:ffff:ffff:ffff"s);
        QCOMPARE(masked.addressCount, std::ldexp(1.0, 64));
    }
    void ipv6RangeInEveryNotationHasItsSize() {
        QCOMPARE(range("2001:db8::7").addressCount, 1.0);
        QCOMPARE(range("2001:db8::/120").addressCount, 256.0);
        QCOMPARE(range("2001:db8::(ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00)").addressCount, 256.0);
        QCOMPARE(range("2001:db8::-2001:db8::1ff").addressCount, 512.0);
    }
    void windowsZoneIndexIsKeptAndCountsOneAddress() {
        // Microsoft's own example value for -RemoteIPRanges.
        const auto scoped = range("fe80::39bd:88f7:6969:d223%11");
        QVERIFY(scoped.ipv6);
        QCOMPARE(scoped.first, "fe80::39bd:88f7:6969:d223%11"s);
        QCOMPARE(scoped.addressCount, 1.0);
        QCOMPARE(range("[fe80::1%3]").first, "fe80::1%3"s);
        QCOMPARE(range("fe80::1%3-fe80::ff%3").addressCount, 255.0);
    }
    void malformedIpv6RangesAreRefusedAtTheirOffset_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("offset");
        QTest::newRow("empty zone") << "fe80::1%" << 7;
        QTest::newRow("zone not decimal") << "fe80::1%1a" << 7;
        QTest::newRow("zone on ipv4") << "10.0.0.1%3" << 8;
        QTest::newRow("ipv6 mask with holes") << "2001:db8::(ffff:0:ffff::)" << 11;
        QTest::newRow("ipv6 address ipv4 mask") << "2001:db8::(255.255.0.0)" << 10;
        QTest::newRow("ipv4 address ipv6 mask") << "10.0.0.0(ffff::)" << 8;
        QTest::newRow("zone in mask") << "fe80::(ffff::%2)" << 6;
        QTest::newRow("prefix 129") << "2001:db8::/129" << 11;
        QTest::newRow("ipv6 range reversed") << "2001:db8::9-2001:db8::1" << 12;
    }
    void malformedIpv6RangesAreRefusedAtTheirOffset() {
        QFETCH(QString, text);
        QFETCH(int, offset);
        const auto parsed = parseRemoteIpRange(text.toStdString());
        QVERIFY2(!parsed.ok(), qPrintable(text));
        QCOMPARE(parsed.error().offset, static_cast<std::size_t>(offset));
    }

    // ---- Union of ranges ----------------------------------------------------------------------
    void severalSmallRangesAddUp() {
        const auto both = coverage({"192.0.2.0/24", "198.51.100.7"});
        QCOMPARE(static_cast<std::uint64_t>(both.ipv4.addresses), std::uint64_t(257));
        QVERIFY(both.ipv4.moreThan(256));
        QCOMPARE(static_cast<std::uint64_t>(both.ipv6.addresses), std::uint64_t(0));
    }
    void duplicateAndOverlappingRangesCountOnce() {
        const auto twice =
            coverage({"192.0.2.0/24", "192.0.2.0(255.255.255.0)", "192.0.2.10-192.0.2.20"});
        QCOMPARE(static_cast<std::uint64_t>(twice.ipv4.addresses), std::uint64_t(256));
        QVERIFY(!twice.ipv4.moreThan(256));
    }
    void adjacentRangesMerge() {
        const auto halves = coverage({"0.0.0.0/1", "128.0.0.0-255.255.255.255"});
        QVERIFY(halves.ipv4.everything);
        QCOMPARE(static_cast<std::uint64_t>(halves.ipv4.addresses), std::uint64_t(1) << 32);
    }
    void familiesAreCountedApart() {
        const auto mixed = coverage({"192.0.2.0/24", "2001:db8::/120"});
        QCOMPARE(static_cast<std::uint64_t>(mixed.ipv4.addresses), std::uint64_t(256));
        QCOMPARE(static_cast<std::uint64_t>(mixed.ipv6.addresses), std::uint64_t(256));
        QVERIFY(!mixed.ipv4.moreThan(256) && !mixed.ipv6.moreThan(256));
        QVERIFY(coverage({"2001:db8::/119"}).ipv6.moreThan(256));
    }
    void wholeIpv6SpaceSaturatesAndIsEverything() {
        const auto all = coverage({"::/1", "8000::/1", "2001:db8::/32"});
        QVERIFY(all.ipv6.everything);
        QVERIFY(all.ipv6.moreThan(UINT64_MAX));
        QCOMPARE(all.ipv6.approximate(), std::ldexp(1.0, 128));
        QVERIFY(!all.ipv4.everything);
    }
    void noRangesCoverNothing() {
        const auto none = coverageOf({});
        QVERIFY(!none.ipv4.everything && !none.ipv6.everything);
        QVERIFY(!none.ipv4.moreThan(0));
    }

    // ---- Bindings ---------------------------------------------------------------------------
    void bindingsGiveAddressAndPort() {
        auto any = parseBinding("0.0.0.0:25");
        QVERIFY(any.ok());
        QCOMPARE(any.value().port, 25u);
        QVERIFY(any.value().anyAddress());
        auto v6 = parseBinding("[::]:25");
        QVERIFY(v6.ok());
        QVERIFY(v6.value().address.ipv6 && v6.value().anyAddress());
        auto scoped = parseBinding("[fe80::1%4]:587");
        QVERIFY(scoped.ok());
        QCOMPARE(formatIpAddress(scoped.value().address), "fe80::1%4"s);
        QVERIFY(!scoped.value().anyAddress());
    }
    void malformedBindingsAreRefused_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("offset");
        QTest::newRow("no port") << "10.0.0.1" << 8;
        QTest::newRow("ipv6 without brackets") << "::1:25" << 0;
        QTest::newRow("port zero") << "10.0.0.1:0" << 9;
        QTest::newRow("port too large") << "10.0.0.1:65536" << 9;
        QTest::newRow("port not a number") << "10.0.0.1:2x" << 10;
        QTest::newRow("bad address") << "10.0.0.256:25" << 7;
    }
    void malformedBindingsAreRefused() {
        QFETCH(QString, text);
        QFETCH(int, offset);
        auto parsed = parseBinding(text.toStdString());
        QVERIFY2(!parsed.ok(), qPrintable(text));
        QCOMPARE(parsed.error().offset, static_cast<std::size_t>(offset));
        QCOMPARE(parsed.error().field, "binding"s);
    }

    // ---- Address spaces -------------------------------------------------------------------------
    void smtpAddressSpaceGivesTypeAddressAndCost() {
        auto star = parseAddressSpace("SMTP:*;1");
        QVERIFY(star.ok());
        QCOMPARE(star.value().type, "SMTP"s);
        QVERIFY(star.value().everyDomain());
        QCOMPARE(star.value().cost, 1u);
        QVERIFY(!star.value().routingGroupScope);
    }
    void localPrefixMeansRoutingGroupScope() {
        auto local = parseAddressSpace("Local:SMTP:*.contoso.com;10");
        QVERIFY(local.ok());
        QVERIFY(local.value().routingGroupScope);
        QCOMPARE(local.value().address, "*.contoso.com"s);
        QVERIFY(!local.value().everyDomain());
    }
    void addressWithSemicolonsKeepsThemUpToTheCost() {
        auto x400 = parseAddressSpace("X400:c=US;a= ;p=Org;o=Site;100");
        QVERIFY(x400.ok());
        QCOMPARE(x400.value().type, "X400"s);
        QCOMPARE(x400.value().address, "c=US;a= ;p=Org;o=Site"s);
        QCOMPARE(x400.value().cost, 100u);
    }
    void malformedAddressSpacesAreRefused_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("no type") << "*;1";
        QTest::newRow("no cost") << "SMTP:*";
        QTest::newRow("cost zero") << "SMTP:*;0";
        QTest::newRow("cost above 100") << "SMTP:*;101";
        QTest::newRow("cost not a number") << "SMTP:*;1a";
        QTest::newRow("empty address") << "SMTP:;1";
        QTest::newRow("local only") << "Local:";
    }
    void malformedAddressSpacesAreRefused() {
        QFETCH(QString, text);
        QVERIFY2(!parseAddressSpace(text.toStdString()).ok(), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestConnectorDecoders)
#include "tst_connector_decoders.moc"
