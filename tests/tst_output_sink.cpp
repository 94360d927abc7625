// OutputSink (base/output_sink.h): whatever the sizes of the pieces (empty, one byte, just
// filling the buffer, larger than it), a string or a file gets exactly the bytes appended, in
// order, once flushed; nothing after discard().
#include "output_sink.h"

#include <QtTest>
#include <csignal>
#include <fcntl.h>
#include <random>
#include <string>
#include <unistd.h>

using relayaudit::OutputSink;

namespace {

// Appends pieces of awkward sizes to `out`; returns what was appended.
std::string appendPieces(OutputSink& out) {
    std::mt19937 random(7);
    std::string expected;
    const std::size_t buffer = OutputSink::kBufferSize;
    const std::size_t sizes[] = {0, 1, 7, buffer - 8, buffer, 1, buffer + 1, 3 * buffer, 0, 2};
    char next = 'a';
    for (int round = 0; round < 3; ++round) {
        for (std::size_t size : sizes) {
            std::string piece(size, next);
            next = next == 'z' ? 'a' : char(next + 1);
            out.append(piece);
            expected += piece;
            if (random() % 2) {
                out.push_back('.');
                expected.push_back('.');
            }
        }
        for (int i = 0; i < 5000; ++i) { // many small pieces across buffer ends
            std::string piece(random() % 40, char('A' + random() % 26));
            out += piece;
            expected += piece;
        }
    }
    return expected;
}

} // namespace

class TestOutputSink : public QObject {
    Q_OBJECT
private slots:
    void aStringGetsEveryByteOnceFlushed() {
        std::string target = "kept:";
        OutputSink out(target);
        const std::string expected = "kept:" + appendPieces(out);
        QCOMPARE(out.flush(), 0);
        QCOMPARE(target.size(), expected.size());
        QVERIFY(target == expected);
        out.append("more"); // a sink goes on after a flush
        out.flush();
        QVERIFY(target == expected + "more");
    }

    void theDestructorFlushes() {
        std::string target;
        std::string expected;
        {
            OutputSink out(target);
            expected = appendPieces(out);
        }
        QVERIFY(target == expected);
    }

    void aFileGetsEveryByte() {
        QTemporaryDir directory;
        const auto path = directory.filePath("out").toStdString();
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        QVERIFY(fd >= 0);
        std::string expected;
        {
            OutputSink out(fd);
            expected = appendPieces(out);
            QCOMPARE(out.flush(), 0);
        }
        ::close(fd);
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().toStdString() == expected);
    }

    void nothingIsWrittenAfterDiscard() {
        std::string target;
        {
            OutputSink out(target);
            out.append(std::string(OutputSink::kBufferSize + 10, 'x')); // written through
            out.append("buffered");
            out.discard();
            out.append("after");
            out.push_back('!');
            out.append(std::string(3 * OutputSink::kBufferSize, 'y'));
            QVERIFY(out.flush() != 0);
        }
        QCOMPARE(target, std::string(OutputSink::kBufferSize + 10, 'x'));
    }

    void aFailedWriteIsReportedAndLaterWritesAreDropped() {
        int pipeEnds[2];
        QVERIFY(::pipe(pipeEnds) == 0);
        ::close(pipeEnds[0]); // writing to a pipe nobody reads fails (EPIPE; SIGPIPE ignored)
        ::signal(SIGPIPE, SIG_IGN);
        OutputSink out(pipeEnds[1]);
        out.append(std::string(2 * OutputSink::kBufferSize, 'x'));
        out.append("more");
        QCOMPARE(out.flush(), EPIPE);
        QCOMPARE(out.error(), EPIPE);
        ::close(pipeEnds[1]);
    }
};

QTEST_APPLESS_MAIN(TestOutputSink)
#include "tst_output_sink.moc"
