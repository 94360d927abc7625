// Every file input is read in chunks within --max-input-size (docs/design.md, "Inputs are
// streamed and bounded"): endless, huge or binary input ends in a clear error (exit 1) that
// names the input, and the previous reports stay as they were.
#include "directory_builder.h"
#include "input_file.h"
#include "relayaudit_process.h"
#include "scratch_files.h"
#include "shell_run.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using testsupport::readText;
using testsupport::runRelayaudit;
using testsupport::runShell;
using testsupport::writeFile;

namespace {

// An existing XML and HTML report that a failed run must leave alone.
struct PreviousReports {
    explicit PreviousReports(const QTemporaryDir& directory)
        : xml(writeFile(directory, "report.xml", "previous xml")),
          html(writeFile(directory, "report.html", "previous html")) {}
    bool unchanged() const {
        return readText(xml) == "previous xml" && readText(html) == "previous html";
    }
    QString xml;
    QString html;
};

const char* kReportArguments = " --xml report.xml --html report.html";

QString sparseFile(const QTemporaryDir& directory, qint64 size) {
    QString path = directory.filePath("sparse.ldif");
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.resize(size); // a hole: no block is written
    return path;
}

} // namespace

class TestInputLimits : public QObject {
    Q_OBJECT

private slots:
    void sizesTakeBinarySuffixes() {
        using relayaudit::parseByteSize;
        QCOMPARE(parseByteSize("1000"), std::optional<std::uint64_t>(1000));
        QCOMPARE(parseByteSize("512M"), std::optional<std::uint64_t>(512ull << 20));
        QCOMPARE(parseByteSize("2G"), std::optional<std::uint64_t>(2ull << 30));
        QCOMPARE(parseByteSize("2g"), std::optional<std::uint64_t>(2ull << 30));
        QCOMPARE(parseByteSize("64KiB"), std::optional<std::uint64_t>(64ull << 10));
        QCOMPARE(parseByteSize("1T"), std::optional<std::uint64_t>(1ull << 40));
        for (const char* bad : {"", "0", "G", "1.5G", "12X", "-1", "1 G", "99999999999999999"})
            QVERIFY2(!parseByteSize(bad), bad);
        QCOMPARE(relayaudit::describeByteSize(1ull << 30), std::string("1 GiB"));
        QCOMPARE(relayaudit::describeByteSize(1536), std::string("1.5 KiB"));
    }

    void malformedLimitIsAUsageError() {
        auto run = runRelayaudit({"analyze", "--ldif", "x.ldif", "--max-input-size", "12X"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("--max-input-size '12X' is not a size"), qPrintable(run.err));
    }

    void helpDocumentsTheLimit() {
        for (const char* command : {"analyze", "audit", "rules"}) {
            auto run = runRelayaudit({command, "--help"});
            QVERIFY2(run.out.contains("--max-input-size SIZE"), command);
        }
    }

    void endlessStandardInputStopsAtTheLimit() {
        QTemporaryDir directory;
        PreviousReports previous(directory);
        auto run = runShell("(echo 'dn: CN=x,DC=corp'; yes 'description: x') | \"$RELAYAUDIT\" "
                            "analyze --ldif - --max-input-size 1M" +
                                QString(kReportArguments),
                            directory.path());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("(standard input) is larger than the input size limit of 1 MiB "
                                  "(stopped after reading 1048577 bytes)"),
                 qPrintable(run.err));
        QVERIFY2(run.err.contains("raise --max-input-size"), qPrintable(run.err));
        QVERIFY(previous.unchanged());
    }

    void devZeroOnStandardInputFailsAtLineOne() {
        QTemporaryDir directory;
        PreviousReports previous(directory);
        auto run =
            runShell("\"$RELAYAUDIT\" analyze --ldif - < /dev/zero" + QString(kReportArguments),
                     directory.path());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("invalid LDIF: (standard input):1: line 1 holds a NUL byte at "
                                  "column 1"),
                 qPrintable(run.err));
        QVERIFY(previous.unchanged());
    }

    void devZeroOnStandardInputWithASmallLimitNamesTheLimit() {
        QTemporaryDir directory;
        auto run = runShell("\"$RELAYAUDIT\" analyze --ldif - --max-input-size 16K < /dev/zero",
                            directory.path());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("larger than the input size limit of 16 KiB"),
                 qPrintable(run.err));
    }

    void sparseFileOverTheLimitIsRefusedUnread() {
        QTemporaryDir directory;
        PreviousReports previous(directory);
        auto path = sparseFile(directory, 2ll << 30);
        auto run = runRelayaudit(
            {"analyze", "--ldif", path, "--xml", previous.xml, "--html", previous.html});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(path + " is 2147483648 bytes (2 GiB), larger than the input "
                                         "size limit of 1 GiB; nothing was read"),
                 qPrintable(run.err));
        QVERIFY(previous.unchanged());
    }

    void sparseFileWithinARaisedLimitFailsAtLineOne() {
        QTemporaryDir directory;
        PreviousReports previous(directory);
        auto path = sparseFile(directory, 2ll << 30);
        auto run = runRelayaudit({"analyze", "--ldif", path, "--max-input-size", "4G", "--xml",
                                  previous.xml, "--html", previous.html});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(path + ":1: line 1 holds a NUL byte"), qPrintable(run.err));
        QVERIFY(previous.unchanged());
    }

    void overLongLineIsNamedByNumber() {
        QTemporaryDir directory;
        PreviousReports previous(directory);
        QByteArray text = "dn: CN=x,DC=corp\ndescription: ";
        text.append(QByteArray(65 << 20, 'x'));
        text.append("\n");
        auto path = writeFile(directory, "long.ldif", text);
        auto run = runRelayaudit(
            {"analyze", "--ldif", path, "--xml", previous.xml, "--html", previous.html});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(path + ":2: line 2 is longer than 64 MiB"), qPrintable(run.err));
        QVERIFY(previous.unchanged());
    }

    void everyFileInputObeysTheLimit() {
        QTemporaryDir directory;
        PreviousReports previous(directory);
        auto big = writeFile(directory, "big.xml", QByteArray(4096, ' '));
        auto ldif = writeFile(directory, "small.ldif",
                              testsupport::forestWithSafeVirtualServer().ldif().substr(0, 900));
        const QList<QStringList> runs = {
            {"analyze", "--ldif", big},
            {"analyze", "--snapshot", big},
            {"analyze", "--ldif", ldif, "--waivers", big},
            {"analyze", "--ldif", ldif, "--baseline", big},
            {"analyze", "--ldif", ldif, "--rules", big},
            {"analyze", "--ims-server", "IMS", "--ims-registry", big},
            {"rules", "--rules", big},
        };
        for (auto arguments : runs) {
            arguments << "--max-input-size"
                      << "1K";
            if (arguments.front() == "analyze")
                arguments << "--xml" << previous.xml << "--html" << previous.html;
            auto run = runRelayaudit(arguments);
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(big + " is 4096 bytes (4 KiB), larger than the input size "
                                            "limit of 1 KiB"),
                     qPrintable(arguments.join(' ') + ": " + run.err));
            QVERIFY(previous.unchanged());
        }
    }

    void snapshotOnStandardInputObeysTheLimit() {
        auto run = runRelayaudit({"analyze", "--snapshot", "-", "--max-input-size", "1K"},
                                 QByteArray(4096, ' '));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("(standard input) is larger than the input size limit of 1 KiB"),
                 qPrintable(run.err));
    }

    void inputWithinTheLimitIsRead() {
        QTemporaryDir directory;
        auto text = testsupport::forestWithSafeVirtualServer().ldif();
        auto path = writeFile(directory, "forest.ldif", text);
        auto run = runRelayaudit(
            {"analyze", "--ldif", path, "--max-input-size", QString::number(text.size())});
        QCOMPARE(run.exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestInputLimits)
#include "tst_input_limits.moc"
