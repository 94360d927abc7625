// AtomicFileSet: a run's outputs are replaced all together or not at all, temporaries never
// outlive the set, and file modes are what an administrator expects.
#include "atomic_file.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <iostream>
#include <sstream>
#include <sys/stat.h>

using namespace relayaudit;

namespace {

QByteArray contentOf(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "(missing)";
    return file.readAll();
}

void writeFile(const QString& path, const QByteArray& content, mode_t mode) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode), 0);
}

mode_t modeOf(const QString& path) {
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return info.st_mode & 07777;
}

// Everything in the directory: a leftover temporary shows up here.
QStringList entriesOf(const QTemporaryDir& dir) {
    return QDir(dir.path())
        .entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// Catches what AtomicFileSet writes to std::cout.
class CapturedStdout {
public:
    CapturedStdout() : saved_(std::cout.rdbuf(buffer_.rdbuf())) {}
    ~CapturedStdout() { std::cout.rdbuf(saved_); }
    std::string text() const { return buffer_.str(); }

private:
    std::ostringstream buffer_;
    std::streambuf* saved_;
};

// The umask for one test, restored afterwards (it is process-wide).
class ScopedUmask {
public:
    explicit ScopedUmask(mode_t mask) : saved_(::umask(mask)) {}
    ~ScopedUmask() { ::umask(saved_); }

private:
    mode_t saved_;
};

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT

private slots:
    void commitReplacesEveryTarget() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.filePath("report.xml"), "old xml", 0644);
        {
            AtomicFileSet outputs;
            QVERIFY(!outputs.stage(dir.filePath("report.xml").toStdString(), "new xml"));
            QVERIFY(!outputs.stage(dir.filePath("report.html").toStdString(), "new html"));
            QVERIFY(!outputs.commit());
        }
        QCOMPARE(contentOf(dir.filePath("report.xml")), QByteArray("new xml"));
        QCOMPARE(contentOf(dir.filePath("report.html")), QByteArray("new html"));
        QCOMPARE(entriesOf(dir), QStringList({"report.html", "report.xml"}));
    }
    void stagedTargetsStayUntouchedUntilCommit() {
        QTemporaryDir dir;
        writeFile(dir.filePath("report.xml"), "old xml", 0644);
        AtomicFileSet outputs;
        QVERIFY(!outputs.stage(dir.filePath("report.xml").toStdString(), "new xml"));
        QVERIFY(!outputs.stage(dir.filePath("report.html").toStdString(), "new html"));
        QCOMPARE(contentOf(dir.filePath("report.xml")), QByteArray("old xml"));
        QVERIFY(!QFile::exists(dir.filePath("report.html")));
    }
    void failingStageLeavesEveryTargetAsItWas() {
        QTemporaryDir dir;
        writeFile(dir.filePath("snapshot.xml"), "old snapshot", 0600);
        writeFile(dir.filePath("report.xml"), "old xml", 0644);
        {
            AtomicFileSet outputs;
            QVERIFY(!outputs.stage(dir.filePath("snapshot.xml").toStdString(), "new snapshot"));
            QVERIFY(!outputs.stage(dir.filePath("report.xml").toStdString(), "new xml"));
            auto problem = outputs.stage(dir.filePath("missing/report.html").toStdString(), "x");
            QVERIFY(problem);
            QVERIFY2(problem->find("missing/report.html") != std::string::npos, problem->c_str());
        } // the run gives up: the set is destroyed without commit
        QCOMPARE(contentOf(dir.filePath("snapshot.xml")), QByteArray("old snapshot"));
        QCOMPARE(contentOf(dir.filePath("report.xml")), QByteArray("old xml"));
        QCOMPARE(modeOf(dir.filePath("snapshot.xml")), mode_t(0600));
    }
    void failingStageLeavesNoTemporaries() {
        QTemporaryDir dir;
        {
            AtomicFileSet outputs;
            QVERIFY(!outputs.stage(dir.filePath("report.xml").toStdString(), "new xml"));
            QVERIFY(outputs.stage(dir.filePath("missing/report.html").toStdString(), "x"));
        }
        QCOMPARE(entriesOf(dir), QStringList());
    }
    void uncommittedSetRemovesItsTemporaries() {
        QTemporaryDir dir;
        {
            AtomicFileSet outputs;
            QVERIFY(!outputs.stage(dir.filePath("report.xml").toStdString(), "new xml"));
            QCOMPARE(entriesOf(dir).size(), 1); // the temporary, beside its target
            QVERIFY(entriesOf(dir).front().startsWith("report.xml.tmp."));
        }
        QCOMPARE(entriesOf(dir), QStringList());
    }
    void replacedFileKeepsItsMode() {
        QTemporaryDir dir;
        ScopedUmask umask(022);
        writeFile(dir.filePath("snapshot.xml"), "old", 0600);
        writeFile(dir.filePath("report.html"), "old", 0640);
        AtomicFileSet outputs;
        QVERIFY(!outputs.stage(dir.filePath("snapshot.xml").toStdString(), "new"));
        QVERIFY(!outputs.stage(dir.filePath("report.html").toStdString(), "new"));
        QVERIFY(!outputs.commit());
        QCOMPARE(modeOf(dir.filePath("snapshot.xml")), mode_t(0600));
        QCOMPARE(modeOf(dir.filePath("report.html")), mode_t(0640));
    }
    void newFileGetsTheUmaskMode() {
        QTemporaryDir dir;
        {
            ScopedUmask umask(022);
            QVERIFY(!writeFileAtomically(dir.filePath("a.xml").toStdString(), "a"));
        }
        {
            ScopedUmask umask(077);
            QVERIFY(!writeFileAtomically(dir.filePath("b.xml").toStdString(), "b"));
        }
        {
            ScopedUmask umask(002);
            QVERIFY(!writeFileAtomically(dir.filePath("c.xml").toStdString(), "c"));
        }
        QCOMPARE(modeOf(dir.filePath("a.xml")), mode_t(0644));
        QCOMPARE(modeOf(dir.filePath("b.xml")), mode_t(0600));
        QCOMPARE(modeOf(dir.filePath("c.xml")), mode_t(0664));
    }
    void standardOutputIsWrittenOnlyAtCommit() {
        QTemporaryDir dir;
        CapturedStdout captured;
        AtomicFileSet outputs;
        QVERIFY(!outputs.stage("-", "the report\n"));
        QVERIFY(!outputs.stage(dir.filePath("snapshot.xml").toStdString(), "snapshot"));
        QCOMPARE(captured.text(), std::string());
        QVERIFY(!outputs.commit());
        QCOMPARE(captured.text(), std::string("the report\n"));
        QCOMPARE(contentOf(dir.filePath("snapshot.xml")), QByteArray("snapshot"));
    }
    void standardOutputIsNotWrittenWhenAStageFails() {
        QTemporaryDir dir;
        CapturedStdout captured;
        {
            AtomicFileSet outputs;
            QVERIFY(!outputs.stage("-", "the report\n"));
            QVERIFY(outputs.stage(dir.filePath("missing/x.xml").toStdString(), "x"));
        }
        QCOMPARE(captured.text(), std::string());
        QVERIFY(!QFile::exists(dir.filePath("-")));
    }
    void emptyContentReplacesTheTarget() {
        QTemporaryDir dir;
        writeFile(dir.filePath("report.xml"), "old", 0644);
        QVERIFY(!writeFileAtomically(dir.filePath("report.xml").toStdString(), ""));
        QCOMPARE(contentOf(dir.filePath("report.xml")), QByteArray());
    }
    void readWholeFileReadsBinaryContent() {
        QTemporaryDir dir;
        QByteArray binary("a\0b\r\n\xFF", 6);
        writeFile(dir.filePath("data.bin"), binary, 0644);
        std::string content;
        QVERIFY(!readWholeFile(dir.filePath("data.bin").toStdString(), content));
        QCOMPARE(QByteArray::fromStdString(content), binary);
    }
    void readWholeFileRefusesDirectoriesAndDevices() {
        QTemporaryDir dir;
        std::string content;
        auto directory = readWholeFile(dir.path().toStdString(), content);
        QVERIFY(directory && directory->find("directory") != std::string::npos);
        auto device = readWholeFile("/dev/zero", content);
        QVERIFY(device && device->find("device") != std::string::npos);
        QVERIFY(readWholeFile(dir.filePath("absent").toStdString(), content));
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomic_file.moc"
