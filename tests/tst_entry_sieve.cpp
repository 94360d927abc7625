// The entry sieve (analyzer/collect/entry_sieve.h): the snapshot built from the entries it keeps
// is the snapshot built from every entry, so letting the others go while reading changes nothing
// but memory.
#include "directory_builder.h"
#include "entry_sieve.h"
#include "ldif_reader.h"
#include "snapshot.h"
#include "snapshot_builder.h"

#include <QFile>
#include <QtTest>
#include <string>
#include <vector>

using namespace relayaudit;
using testsupport::Forest;

namespace {

std::string snapshotText(const std::vector<DirectoryEntry>& entries,
                         const CollectionContext& context) {
    pugi::xml_document document;
    buildSnapshot(entries, context, document);
    return snapshotToString(document);
}

// The snapshot from all entries and the one from the sieved entries, for comparison.
std::pair<std::string, std::string> bothWays(const std::vector<DirectoryEntry>& entries) {
    auto whole = snapshotText(entries, testsupport::fixedContext());
    SnapshotEntrySieve sieve;
    for (auto entry : entries)
        sieve.add(std::move(entry));
    auto context = testsupport::fixedContext();
    auto kept = sieve.finish(context);
    return {whole, snapshotText(kept, context)};
}

std::vector<DirectoryEntry> readSample(const char* name) {
    QFile file(QString(RELAYAUDIT_SOURCE_DIR "/samples/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    auto text = file.readAll().toStdString();
    return parseLdif(text, name).entries;
}

DirectoryEntry user(const std::string& dn) {
    return {dn, "test", {{"objectClass", {"top", "person", "user"}}, {"cn", {"someone"}}}};
}

} // namespace

class TestEntrySieve : public QObject {
    Q_OBJECT

private slots:
    void samplesGiveTheSameSnapshotSieved() {
        std::vector<DirectoryEntry> all;
        for (const char* name : {"corp-config.ldif", "corp-domain.ldif", "child-domain.ldif"}) {
            auto entries = readSample(name);
            QVERIFY2(!entries.empty(), name);
            all.insert(all.end(), entries.begin(), entries.end());
            auto [whole, sieved] = bothWays(all);
            QCOMPARE(sieved, whole);
        }
    }

    void usersAreLetGoButCounted() {
        auto forest = testsupport::forestWithSafeVirtualServer();
        for (int i = 0; i < 50; ++i)
            forest.entries.push_back(
                user("CN=user" + std::to_string(i) + ",CN=Users," + forest.base));
        SnapshotEntrySieve sieve;
        for (auto entry : forest.entries)
            sieve.add(std::move(entry));
        QCOMPARE(sieve.entriesRead(), forest.entries.size());
        QCOMPARE(sieve.entriesKept(), forest.entries.size() - 50);
        auto [whole, sieved] = bothWays(forest.entries);
        QCOMPARE(sieved, whole);
    }

    void firstCopyOfADnWinsEvenWhenLetGo() {
        auto forest = testsupport::forestWithSafeVirtualServer();
        // The same DN first as a plain user, then as a virtual server: the first copy wins, as
        // buildSnapshot decides, so the second must not appear.
        auto server = forest.entries.back();
        forest.entries.insert(forest.entries.end() - 1, user(server.dn));
        forest.entries.push_back(forest.entries[1]); // a duplicate of a kept entry too
        auto [whole, sieved] = bothWays(forest.entries);
        QCOMPARE(sieved, whole);
        QVERIFY(whole.find("duplicateEntries=\"2\"") != std::string::npos);
    }

    void malformedDnsOfAnyKindStayVisible() {
        auto forest = testsupport::forestWithoutServers();
        forest.entries.push_back(user("CN=broken,,DC=corp"));
        auto [whole, sieved] = bothWays(forest.entries);
        QCOMPARE(sieved, whole);
        QVERIFY(whole.find("malformedDn") != std::string::npos);
    }

    void configurationNcIsInferredFromTheFirstDnThatNamesIt() {
        Forest forest;
        // An entry no builder uses is the first to name a configuration NC; a later one names
        // another forest's.
        forest.entries.push_back(user("CN=x,CN=Configuration,DC=first,DC=example"));
        forest.entries.push_back(user("CN=y,CN=Configuration,DC=second,DC=example"));
        forest.organizationEntry();
        auto [whole, sieved] = bothWays(forest.entries);
        QCOMPARE(sieved, whole);
        QVERIFY(whole.find("configurationNC=\"CN=Configuration,DC=first,DC=example\"") !=
                std::string::npos);
    }

    void guestCandidatesAndTheExchangeContainerAreKept() {
        Forest forest;
        forest.domain();
        forest.guest("66048", "Renamed"); // enabled, found by SID
        forest.add("CN=Microsoft Exchange,CN=Services," + forest.configuration(),
                   {"top", "container"});
        for (const auto& entry : forest.entries)
            QVERIFY2(usedBySnapshot(entry), entry.dn.c_str());
        auto [whole, sieved] = bothWays(forest.entries);
        QCOMPARE(sieved, whole);
    }
};

QTEST_APPLESS_MAIN(TestEntrySieve)
#include "tst_entry_sieve.moc"
