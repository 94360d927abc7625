// Memory stays bounded on endless, binary and large input (docs/design.md, "Inputs are
// streamed and bounded"): the binary runs under `prlimit --as` (util-linux), an address-space
// cap that reading the input whole would exceed. A run that hit the cap would end in "out of
// memory" or a crash instead of the expected message.
#include "directory_builder.h"
#include "relayaudit_process.h"
#include "shell_run.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using testsupport::runShell;

namespace {

// The command prefix that caps the address space of relayaudit at `megabytes`.
QString capped(int megabytes) {
    return "prlimit --as=" + QString::number(qint64(megabytes) << 20) + " -- \"$RELAYAUDIT\" ";
}

// An LDIF of `users` user entries of about 1 KiB each around one safe virtual server, written
// in blocks so that generating 120 MB takes well under a second.
void writeLargeExport(const QString& path, int users) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray::fromStdString(testsupport::forestWithSafeVirtualServer().ldif()));
    const QByteArray padding(1000, 'p');
    QByteArray block;
    for (int i = 0; i < users; ++i) {
        block += "dn: CN=user" + QByteArray::number(i) +
                 ",CN=Users,DC=corp,DC=example\n"
                 "objectClass: top\nobjectClass: person\nobjectClass: user\n"
                 "description: " +
                 padding + "\n\n";
        if (block.size() > (1 << 20)) {
            file.write(block);
            block.clear();
        }
    }
    file.write(block);
}

} // namespace

class TestInputMemory : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY2(!QStandardPaths::findExecutable("prlimit").isEmpty(),
                 "prlimit (util-linux) is needed: scripts/bootstrap test installs it");
        QTemporaryDir directory;
        // A binary that cannot even start under the cap (a sanitizer build reserves terabytes
        // of shadow memory) cannot show anything here: say so rather than fail obscurely.
        auto run = runShell(capped(96) + "--version", directory.path());
        QVERIFY2(run.exitCode == 0, qPrintable("relayaudit does not start under prlimit --as=96M "
                                               "(a sanitizer build?): " +
                                               run.err));
    }

    void devZeroStopsAtLineOneWithinACap() {
        QTemporaryDir directory;
        auto run = runShell(capped(96) + "analyze --ldif - < /dev/zero", directory.path());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("(standard input):1: line 1 holds a NUL byte"),
                 qPrintable(run.err));
    }

    void sparseFileStopsAtLineOneWithinACap() {
        QTemporaryDir directory;
        QFile sparse(directory.filePath("sparse.ldif"));
        QVERIFY(sparse.open(QIODevice::WriteOnly));
        sparse.resize(2ll << 30);
        sparse.close();
        auto run = runShell(capped(96) + "analyze --max-input-size 4G --ldif sparse.ldif",
                            directory.path());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("sparse.ldif:1: line 1 holds a NUL byte"), qPrintable(run.err));
    }

    // Endless lines that each look valid: one record grows until the record limit (256 MiB as
    // held) refuses it; memory stays under 1 GiB, where reading it whole would grow forever.
    void endlessRecordStopsAtTheRecordLimitWithinACap() {
        QTemporaryDir directory;
        auto run = runShell("(echo 'dn: CN=x,DC=corp'; yes 'description: x') | " + capped(1024) +
                                "analyze --ldif -",
                            directory.path());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("the record that starts at (standard input):1 holds more than "
                                  "256 MiB"),
                 qPrintable(run.err));
    }

    void endlessRecordStopsAtTheSizeLimitWithinACap() {
        QTemporaryDir directory;
        auto run = runShell("(echo 'dn: CN=x,DC=corp'; yes 'description: x') | " + capped(400) +
                                "analyze --ldif - --max-input-size 48M",
                            directory.path());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("(standard input) is larger than the input size limit of 48 MiB"),
                 qPrintable(run.err));
    }

    // 110,000 users (about 120 MB) under a 96 MiB address-space cap: read whole, the text alone
    // would not fit (the whole-file reader needed more than 300 MiB for this file). The sieve
    // lets the users go, and the run still judges the virtual server.
    void largeExportIsStreamedWithinACapSmallerThanTheFile() {
        QTemporaryDir directory;
        const QString path = directory.filePath("large.ldif");
        writeLargeExport(path, 110000);
        QVERIFY(QFileInfo(path).size() > (112ll << 20));
        auto run = runShell(capped(96) + "analyze --ldif large.ldif --snapshot-out snapshot.xml",
                            directory.path());
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("read 110004 entries from 1 LDIF file(s)"), qPrintable(run.err));
        QFile snapshot(directory.filePath("snapshot.xml"));
        QVERIFY(snapshot.open(QIODevice::ReadOnly));
        const QByteArray text = snapshot.readAll();
        QVERIFY(text.contains("entries=\"110004\""));
        QVERIFY(text.contains("<virtualServer"));
    }
};

QTEST_GUILESS_MAIN(TestInputMemory)
#include "tst_input_memory.moc"
