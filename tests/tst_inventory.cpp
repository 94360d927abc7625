// The inventory: what the reporters list as examined, read from a small snapshot document.
#include "inventory.h"

#include <QtTest/QtTest>

using namespace relayaudit;

namespace {

const char* kSnapshot = R"(<snapshot formatVersion="1">
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
    <receiveConnector dn="CN=R,CN=EX2" name="Relay" server="EX2" enabled="true" authMechanism="1">
      <permissions status="valid"/>
    </receiveConnector>
    <smtpConnector dn="CN=C" name="Internet"/>
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
                                     "receive-connector", "smtp-connector"}));
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
        QCOMPARE(line(items[5]), QString("receive-connector | CN=R,CN=EX2 | Relay | server EX2; "
                                         "enabled true; AuthMechanism 1; permissions valid"));
        QCOMPARE(line(items[6]), QString("smtp-connector | CN=C | Internet | listed, not judged"));
    }
    void emptySnapshotHasAnEmptyInventory() {
        pugi::xml_document snapshot;
        snapshot.load_string("<snapshot formatVersion=\"1\"/>");
        QVERIFY(inventoryOf(snapshot).empty());
    }
};

QTEST_GUILESS_MAIN(TestInventory)
#include "tst_inventory.moc"
