// The inventory: what the reporters list as examined, read from a small snapshot document.
#include "inventory.h"

#include <QtTest/QtTest>

using namespace relayaudit;

namespace {

const char* kSnapshot = R"(<snapshot formatVersion="2">
  <domains>
    <domain dn="DC=corp,DC=example" dnsName="corp.example" sid="S-1-5-21-1-2-3" guestStatus="found">
      <guest userAccountControl="66080" enabled="true"/>
    </domain>
    <domain dn="DC=child,DC=corp,DC=example" dnsName="child.corp.example" guestStatus="not-in-input" reason="no entries"/>
  </domains>
  <exchange>
    <organization dn="CN=Org" name="Org"/>
    <server dn="CN=EX1" name="EX1" version="Version 6.5"/>
    <virtualServer dn="CN=1,CN=EX1" name="Default" server="EX1" relayForAuth="true" authFlags="7" requireTls="false">
      <relayList summary="only the list below: nobody"/>
    </virtualServer>
    <receiveConnector dn="CN=R,CN=EX2" name="Relay" server="EX2" enabled="true" authMechanism="37"
        authMechanismNames="Tls, BasicAuth, ExternalAuthoritative" remoteRangesPresent="true"
        remoteIpv4Addresses="257" remoteIpv6Addresses="340282366920938463463374607431768211456">
      <binding value="10.0.0.5:25"/><binding value="[::]:25"/>
      <remoteIpRange value="192.0.2.0/24"/><remoteIpRange value="198.51.100.7"/>
      <remoteIpRange value="::/0"/>
      <permissions status="valid">
        <extendedRight trustee="S-1-5-7" trusteeName="ANONYMOUS LOGON" right="ms-Exch-SMTP-Accept-Any-Recipient" effective="allow"/>
        <extendedRight trustee="S-1-5-11" trusteeName="Authenticated Users" right="ms-Exch-SMTP-Accept-Any-Recipient" effective="deny"/>
        <extendedRight trustee="S-1-5-21-9-9-9-1105" trusteeName="" right="ms-Exch-SMTP-Accept-Any-Recipient" effective="allow"/>
        <extendedRight trustee="S-1-1-0" trusteeName="Everyone" right="ms-Exch-SMTP-Submit" effective="allow"/>
      </permissions>
    </receiveConnector>
    <receiveConnector dn="CN=D,CN=EX2" name="Default" server="EX2" enabled="false" authMechanism="0"
        authMechanismNames="None" remoteRangesPresent="false"
        remoteIpv4Addresses="4294967296" remoteIpv6Addresses="340282366920938463463374607431768211456">
      <permissions status="absent"/>
    </receiveConnector>
    <smtpConnector dn="CN=C" name="Internet" routingGroup="RG" everyDomain="true" routingGroupScope="true">
      <addressSpace value="SMTP:*;1"/><addressSpace value="Local:SMTP:corp.example;10"/>
      <addressSpace value="SMTP:a;1"/><addressSpace value="SMTP:b;1"/><addressSpace value="SMTP:c;1"/>
      <addressSpace value="SMTP:d;1"/><addressSpace value="SMTP:e;1"/>
      <smartHost host="[192.0.2.25]"/><smartHost host="relay.example.com"/>
    </smtpConnector>
  </exchange>
</snapshot>)";

std::vector<InventoryItem> inventory() {
    pugi::xml_document snapshot;
    snapshot.load_string(kSnapshot);
    return inventoryOf(snapshot);
}

QString line(const InventoryItem& item) {
    return QString::fromStdString(item.kind + " | " + item.dn + " | " + item.name + " | " +
                                  item.detail);
}

} // namespace

class TestInventory : public QObject {
    Q_OBJECT

private slots:
    void listsEveryObjectKindInSnapshotOrder() {
        QStringList kinds;
        for (const auto& item : inventory())
            kinds << QString::fromStdString(item.kind);
        QCOMPARE(kinds, QStringList({"domain", "domain", "organization", "server", "virtual-server",
                                     "receive-connector", "receive-connector", "smtp-connector"}));
    }
    void domainDetailSaysSidAndGuestState() {
        auto items = inventory();
        QCOMPARE(line(items[0]), QString("domain | DC=corp,DC=example | corp.example | SID "
                                         "S-1-5-21-1-2-3; Guest: ENABLED (userAccountControl "
                                         "66080)"));
        QCOMPARE(line(items[1]),
                 QString("domain | DC=child,DC=corp,DC=example | child.corp.example "
                         "| SID unknown; Guest: not-in-input (no entries)"));
    }
    void exchangeObjectsCarryTheirRelaySettings() {
        auto items = inventory();
        QCOMPARE(line(items[3]), QString("server | CN=EX1 | EX1 | Version 6.5"));
        QCOMPARE(line(items[4]),
                 QString("virtual-server | CN=1,CN=EX1 | Default | server EX1; relay: only the "
                         "list below: nobody; relay for authenticated: true; authentication flags "
                         "7; TLS required: false"));
        QCOMPARE(line(items[5]),
                 QString("receive-connector | CN=R,CN=EX2 | Relay | server EX2; enabled true; "
                         "AuthMechanism Tls, BasicAuth, ExternalAuthoritative (37); bindings "
                         "10.0.0.5:25, [::]:25; remote IP ranges 192.0.2.0/24, 198.51.100.7, ::/0 "
                         "(IPv4: 257, IPv6: every address); permissions valid; "
                         "Accept-Any-Recipient for ANONYMOUS LOGON, S-1-5-21-9-9-9-1105"));
    }
    void receiveConnectorWithDefaultRangesSaysEveryAddress() {
        auto items = inventory();
        QCOMPARE(line(items[6]),
                 QString("receive-connector | CN=D,CN=EX2 | Default | server EX2; enabled false; "
                         "AuthMechanism None (0); bindings none; remote IP ranges every address "
                         "(attribute absent) (IPv4: every address, IPv6: every address); "
                         "permissions absent"));
    }
    void smtpConnectorShowsAddressSpacesAndSmartHosts() {
        auto items = inventory();
        QCOMPARE(line(items[7]),
                 QString("smtp-connector | CN=C | Internet | routing group RG; address spaces "
                         "SMTP:*;1, Local:SMTP:corp.example;10, SMTP:a;1, SMTP:b;1, SMTP:c;1 (+2 "
                         "more) (every domain) (routing-group scope); smart hosts [192.0.2.25], "
                         "relay.example.com"));
    }
    // From 2,048 virtual servers on, their items are made on two threads: still one per virtual
    // server, in document order, after the servers they are interleaved with.
    void manyVirtualServersKeepDocumentOrderPerKind() {
        pugi::xml_document snapshot;
        auto exchange = snapshot.append_child("snapshot").append_child("exchange");
        constexpr int kCount = 3001;
        for (int i = 0; i < kCount; ++i) {
            if (i % 100 == 0) {
                auto server = exchange.append_child("server");
                server.append_attribute("dn") = ("CN=EX" + std::to_string(i / 100)).c_str();
            }
            auto node = exchange.append_child("virtualServer");
            node.append_attribute("dn") = ("CN=" + std::to_string(i)).c_str();
            node.append_attribute("server") = ("EX" + std::to_string(i / 100)).c_str();
            node.append_attribute("authFlags") = std::to_string(i % 8).c_str();
        }
        auto items = inventoryOf(snapshot);
        QCOMPARE(int(items.size()), kCount + 31);
        for (int s = 0; s < 31; ++s)
            QCOMPARE(QString::fromStdString(items[std::size_t(s)].dn), QString("CN=EX%1").arg(s));
        for (int i = 0; i < kCount; ++i) {
            const auto& item = items[std::size_t(31 + i)];
            QCOMPARE(QString::fromStdString(item.kind), QString("virtual-server"));
            QCOMPARE(QString::fromStdString(item.dn), QString("CN=%1").arg(i));
            QVERIFY(item.detail.starts_with("server EX" + std::to_string(i / 100) + ";"));
            QVERIFY(item.detail.find("authentication flags " + std::to_string(i % 8) + ";") !=
                    std::string::npos);
        }
    }
    // A virtual server's attributes in any order: the first of a repeated name counts (as
    // xml_node::attribute and XPath give it), an absent one is empty.
    void virtualServerAttributesInAnyOrderFirstOfARepeatedName() {
        pugi::xml_document snapshot;
        QVERIFY(snapshot.load_string(
            "<snapshot><exchange><virtualServer requireTls='true' authFlags='5' server='EX1' "
            "name='Default' dn='CN=1' authFlags='7' dn='CN=2' dnx='no' relayForAuthx='no'>"
            "<relayList summary='only the list below: none'/></virtualServer></exchange>"
            "</snapshot>"));
        auto items = inventoryOf(snapshot);
        QCOMPARE(items.size(), std::size_t(1));
        QCOMPARE(line(items[0]),
                 QString("virtual-server | CN=1 | Default | server EX1; relay: only the list "
                         "below: none; relay for authenticated: ; authentication flags 5; TLS "
                         "required: true"));
    }
    void emptySnapshotHasAnEmptyInventory() {
        pugi::xml_document snapshot;
        snapshot.load_string("<snapshot formatVersion=\"2\"/>");
        QVERIFY(inventoryOf(snapshot).empty());
    }
};

QTEST_GUILESS_MAIN(TestInventory)
#include "tst_inventory.moc"
