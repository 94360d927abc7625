// AtomicFileSet: a run's outputs are replaced all together or not at all, temporaries never
// outlive the set, and file modes are what an administrator expects.
#include "atomic_file.h"
#include "input_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <iostream>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

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

uid_t ownerOf(const QString& path) {
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return uid_t(-1);
    return info.st_uid;
}

// Removes the temporary staged for `name`, so that its rename fails at commit: the way to make
// the middle of a commit fail on any file system, as root too.
void removeTemporaryOf(const QTemporaryDir& dir, const QString& name) {
    const auto entries = QDir(dir.path()).entryList({name + ".tmp.*"}, QDir::Files | QDir::Hidden);
    QCOMPARE(entries.size(), 1);
    QVERIFY(QFile::remove(dir.filePath(entries.front())));
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
    // A file sink starts the write-back of every megabyte written (a hint for the fsync before
    // the rename): the file still gets every byte in order, and a pipe, which refuses the hint,
    // is written without an error.
    void largeOutputIsWrittenWholeToFilesAndPipes() {
        std::string expected;
        for (int i = 0; expected.size() < 3 * 1024 * 1024 + 17; ++i)
            expected += "<item id=\"" + std::to_string(i) + "\"/>\n";
        auto writeInPieces = [&expected](OutputSink& out) {
            for (std::size_t at = 0; at < expected.size(); at += 1000)
                out.append(std::string_view(expected).substr(at, 1000));
            out.append(std::string(2 * OutputSink::kBufferSize, 'x')); // written through
        };
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("large.xml");
        QVERIFY(!writeFileAtomically(path.toStdString(), writeInPieces));
        QCOMPARE(contentOf(path), QByteArray::fromStdString(
                                      expected + std::string(2 * OutputSink::kBufferSize, 'x')));

        int pipeEnds[2];
        QCOMPARE(::pipe(pipeEnds), 0);
        std::string received;
        std::thread reader([&] {
            char block[65536];
            for (ssize_t n; (n = ::read(pipeEnds[0], block, sizeof block)) > 0;)
                received.append(block, std::size_t(n));
        });
        int error = 0;
        {
            OutputSink out(pipeEnds[1]);
            writeInPieces(out);
            error = out.flush();
        }
        ::close(pipeEnds[1]);
        reader.join();
        ::close(pipeEnds[0]);
        QCOMPARE(error, 0);
        QCOMPARE(received.size(), expected.size() + 2 * OutputSink::kBufferSize);
    }
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
    void failedRenamePutsBackTheTargetsAlreadyReplaced() {
        QTemporaryDir dir;
        writeFile(dir.filePath("snapshot.xml"), "old snapshot", 0600);
        writeFile(dir.filePath("report.xml"), "old xml", 0644);
        writeFile(dir.filePath("report.html"), "old html", 0644);
        AtomicFileSet outputs;
        QVERIFY(!outputs.stage(dir.filePath("snapshot.xml").toStdString(), "new snapshot"));
        QVERIFY(!outputs.stage(dir.filePath("report.xml").toStdString(), "new xml"));
        QVERIFY(!outputs.stage(dir.filePath("report.html").toStdString(), "new html"));
        removeTemporaryOf(dir, "report.html");
        auto problem = outputs.commit();
        QVERIFY(problem);
        QVERIFY2(problem->find("report.html") != std::string::npos, problem->c_str());
        QCOMPARE(contentOf(dir.filePath("snapshot.xml")), QByteArray("old snapshot"));
        QCOMPARE(contentOf(dir.filePath("report.xml")), QByteArray("old xml"));
        QCOMPARE(contentOf(dir.filePath("report.html")), QByteArray("old html"));
        QCOMPARE(modeOf(dir.filePath("snapshot.xml")), mode_t(0600));
        QCOMPARE(entriesOf(dir), QStringList({"report.html", "report.xml", "snapshot.xml"}));
    }
    void failedRenameRemovesTargetsThatDidNotExistBefore() {
        QTemporaryDir dir;
        writeFile(dir.filePath("report.html"), "old html", 0644);
        {
            AtomicFileSet outputs;
            QVERIFY(!outputs.stage(dir.filePath("report.xml").toStdString(), "new xml"));
            QVERIFY(!outputs.stage(dir.filePath("report.html").toStdString(), "new html"));
            removeTemporaryOf(dir, "report.html");
            QVERIFY(outputs.commit());
        }
        QCOMPARE(entriesOf(dir), QStringList({"report.html"}));
        QCOMPARE(contentOf(dir.filePath("report.html")), QByteArray("old html"));
    }
    void directoryTargetFailsTheCommitBeforeAnythingIsReplaced() {
        QTemporaryDir dir;
        writeFile(dir.filePath("report.xml"), "old xml", 0644);
        QVERIFY(QDir(dir.path()).mkdir("report.html"));
        {
            AtomicFileSet outputs;
            QVERIFY(!outputs.stage(dir.filePath("report.xml").toStdString(), "new xml"));
            QVERIFY(!outputs.stage(dir.filePath("report.html").toStdString(), "new html"));
            auto problem = outputs.commit();
            QVERIFY(problem);
            QVERIFY2(problem->find("directory") != std::string::npos, problem->c_str());
        }
        QCOMPARE(contentOf(dir.filePath("report.xml")), QByteArray("old xml"));
        QVERIFY(QFileInfo(dir.filePath("report.html")).isDir());
        QCOMPARE(entriesOf(dir), QStringList({"report.xml"}));
    }
    void successfulCommitLeavesNoBackups() {
        QTemporaryDir dir;
        writeFile(dir.filePath("report.xml"), "old", 0644);
        QVERIFY(!writeFileAtomically(dir.filePath("report.xml").toStdString(), "new"));
        QCOMPARE(entriesOf(dir), QStringList({"report.xml"}));
        struct stat info {};
        QCOMPARE(::stat(QFile::encodeName(dir.filePath("report.xml")).constData(), &info), 0);
        QCOMPARE(info.st_nlink, nlink_t(1));
    }
    void symlinkTargetIsReplacedByARegularFileWithTheUmaskMode() {
        QTemporaryDir dir;
        ScopedUmask umask(022);
        writeFile(dir.filePath("elsewhere.xml"), "not ours to change", 0600);
        QVERIFY(QFile::link(dir.filePath("elsewhere.xml"), dir.filePath("report.xml")));
        QVERIFY(!writeFileAtomically(dir.filePath("report.xml").toStdString(), "new"));
        QVERIFY(!QFileInfo(dir.filePath("report.xml")).isSymLink());
        QCOMPARE(contentOf(dir.filePath("report.xml")), QByteArray("new"));
        QCOMPARE(modeOf(dir.filePath("report.xml")), mode_t(0644)); // not the 0600 pointed to
        QCOMPARE(contentOf(dir.filePath("elsewhere.xml")), QByteArray("not ours to change"));
    }
    void failedCommitPutsBackASymlinkTarget() {
        QTemporaryDir dir;
        writeFile(dir.filePath("elsewhere.xml"), "pointed to", 0644);
        QVERIFY(QFile::link(dir.filePath("elsewhere.xml"), dir.filePath("report.xml")));
        {
            AtomicFileSet outputs;
            QVERIFY(!outputs.stage(dir.filePath("report.xml").toStdString(), "new xml"));
            QVERIFY(!outputs.stage(dir.filePath("report.html").toStdString(), "new html"));
            removeTemporaryOf(dir, "report.html");
            QVERIFY(outputs.commit());
        }
        QCOMPARE(QFileInfo(dir.filePath("report.xml")).symLinkTarget(),
                 dir.filePath("elsewhere.xml"));
        QCOMPARE(contentOf(dir.filePath("elsewhere.xml")), QByteArray("pointed to"));
    }
    void setuidSetgidStickyAndExecuteBitsAreNeverCarriedOver() {
        QTemporaryDir dir;
        ScopedUmask umask(022);
        writeFile(dir.filePath("setuid.xml"), "old", 04644);
        writeFile(dir.filePath("setgid.xml"), "old", 02640);
        writeFile(dir.filePath("sticky.xml"), "old", 01600);
        writeFile(dir.filePath("exec.xml"), "old", 0755);
        for (const char* name : {"setuid.xml", "setgid.xml", "sticky.xml", "exec.xml"})
            QVERIFY(!writeFileAtomically(dir.filePath(name).toStdString(), "new"));
        QCOMPARE(modeOf(dir.filePath("setuid.xml")), mode_t(0644));
        QCOMPARE(modeOf(dir.filePath("setgid.xml")), mode_t(0640));
        QCOMPARE(modeOf(dir.filePath("sticky.xml")), mode_t(0600));
        QCOMPARE(modeOf(dir.filePath("exec.xml")), mode_t(0644));
    }
    // Someone else's file (here: nobody's, 65534) gives neither its mode nor its owner: the new
    // report is the runner's, with 0666 & ~umask. chown needs root, which CI has.
    void anotherUsersFileGetsTheRunnersOwnershipAndTheUmaskMode() {
        QVERIFY2(::geteuid() == 0,
                 "this test gives a file to another user (chown): run it as root");
        QTemporaryDir dir;
        ScopedUmask umask(027);
        writeFile(dir.filePath("report.xml"), "old", 0666);
        QCOMPARE(::chown(QFile::encodeName(dir.filePath("report.xml")).constData(), 65534, 65534),
                 0);
        QVERIFY(!writeFileAtomically(dir.filePath("report.xml").toStdString(), "new"));
        QCOMPARE(contentOf(dir.filePath("report.xml")), QByteArray("new"));
        QCOMPARE(ownerOf(dir.filePath("report.xml")), ::geteuid());
        QCOMPARE(modeOf(dir.filePath("report.xml")), mode_t(0640));
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
