// "relayaudit probe" against scripted SMTP stubs (tests/probe/fake_smtp.py) on loopback, started
// and stopped by this test by PID on fixed ports of the probe's range (39100-39199): each class
// comes out, the per-endpoint timeout holds, and the stub logs prove nothing was sent after RCPT
// but RSET and QUIT (never DATA or BDAT).
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Stub {
    QProcess process;
    QString log;
};

struct ProbeRun {
    int exitCode = -1;
    QString output;
    qint64 milliseconds = 0;
};

// Starts the stub and waits until it printed its port (it is listening then).
bool startStub(Stub& stub, int port, const QString& mode, const QString& dir) {
    stub.log = dir + "/" + mode + ".log";
    stub.process.start("python3", {RELAYAUDIT_SOURCE_DIR "/tests/probe/fake_smtp.py",
                                   QString::number(port), mode, stub.log});
    if (!stub.process.waitForStarted(5000) || !stub.process.waitForReadyRead(5000))
        return false;
    return stub.process.readLine().trimmed() == QByteArray::number(port);
}

void stopStub(Stub& stub) {
    stub.process.kill(); // by its PID: only the process this test started
    stub.process.waitForFinished(5000);
}

ProbeRun probe(const QStringList& arguments) {
    QProcess relayaudit;
    QElapsedTimer timer;
    timer.start();
    relayaudit.start(RELAYAUDIT_BINARY, QStringList{"probe"} + arguments);
    relayaudit.waitForFinished(60000);
    return {relayaudit.exitCode(), QString::fromUtf8(relayaudit.readAllStandardOutput()),
            timer.elapsed()};
}

QStringList logged(const Stub& stub) {
    QFile file(stub.log);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
}

// Nothing after RCPT but RSET and QUIT, and never DATA or BDAT.
bool onlyRsetQuitAfterRcpt(const QStringList& commands) {
    bool afterRcpt = false;
    for (const auto& command : commands) {
        auto verb = command.section(' ', 0, 0).toUpper();
        if (verb == "DATA" || verb == "BDAT")
            return false;
        if (afterRcpt && verb != "RSET" && verb != "QUIT")
            return false;
        afterRcpt = afterRcpt || verb == "RCPT";
    }
    return true;
}

} // namespace

class TestProbeStubs : public QObject {
    Q_OBJECT

private slots:
    void eachStubProducesItsClass_data() {
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("open") << 39101 << "open"
                              << "open-relay (at RCPT, reply 250" << 2;
        QTest::newRow("closed554") << 39102 << "closed554"
                                   << "refused (at RCPT, reply 554" << 0;
        QTest::newRow("closed454") << 39103 << "closed454"
                                   << "temporary-refusal (at RCPT" << 0;
        QTest::newRow("tls-required") << 39104 << "tls-required"
                                      << "tls-required (at MAIL" << 0;
        QTest::newRow("auth-required") << 39105 << "auth-required"
                                       << "auth-required (at RCPT" << 0;
        QTest::newRow("banner421") << 39106 << "banner421"
                                   << "temporary-refusal (at banner" << 0;
        QTest::newRow("banner554") << 39107 << "banner554"
                                   << "refused (at banner" << 0;
        QTest::newRow("close-rcpt") << 39108 << "close-rcpt"
                                    << "dropped (at RCPT" << 0;
        QTest::newRow("silent") << 39109 << "silent"
                                << "timeout (at banner" << 0;
        QTest::newRow("hang-ehlo") << 39110 << "hang-ehlo"
                                   << "timeout (at EHLO" << 0;
        QTest::newRow("noaccept") << 39111 << "noaccept"
                                  << "timeout (at banner" << 0;
        QTest::newRow("flood") << 39112 << "flood"
                               << "inconclusive (at banner" << 0;
    }
    void eachStubProducesItsClass() {
        QFETCH(int, port);
        QFETCH(QString, mode);
        QFETCH(QString, expected);
        QFETCH(int, exitCode);
        QTemporaryDir dir;
        Stub stub;
        QVERIFY2(startStub(stub, port, mode, dir.path()),
                 qPrintable("the stub did not start on port " + QString::number(port) +
                            " (python3 missing or port in use)"));
        auto run =
            probe({"--target", "127.0.0.1:" + QString::number(port), "--probe-timeout", "2"});
        stopStub(stub);
        QVERIFY2(run.output.contains("127.0.0.1:" + QString::number(port) + "  " + expected),
                 qPrintable(run.output));
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.milliseconds < 4500, qPrintable(QString::number(run.milliseconds)));
        QVERIFY2(onlyRsetQuitAfterRcpt(logged(stub)), qPrintable(logged(stub).join(" | ")));
    }
    void openRelayDialogueIsExactlyEhloMailRcptRsetQuit() {
        QTemporaryDir dir;
        Stub stub;
        QVERIFY(startStub(stub, 39113, "open", dir.path()));
        probe({"--target", "127.0.0.1:39113", "--probe-timeout", "2"});
        stopStub(stub);
        QStringList expected = {"CONNECT",
                                "EHLO relayaudit-probe.example.com",
                                "MAIL FROM:<relayaudit-probe@example.com>",
                                "RCPT TO:<relay-test@example.net>",
                                "RSET",
                                "QUIT"};
        QCOMPARE(logged(stub), expected);
    }
    void nothingListeningIsConnectionRefused() {
        auto run = probe({"--target", "127.0.0.1:39199", "--probe-timeout", "2"});
        QVERIFY2(run.output.contains("127.0.0.1:39199  connection-refused (at connect"),
                 qPrintable(run.output));
    }
    void slowEndpointsRunInParallelWithinTheTimeout() {
        QTemporaryDir dir;
        Stub first, second, third;
        QVERIFY(startStub(first, 39114, "silent", dir.path()));
        QVERIFY(startStub(second, 39115, "noaccept", dir.path()));
        QVERIFY(startStub(third, 39116, "hang-ehlo", dir.path()));
        auto run = probe({"--target", "127.0.0.1:39114", "--target", "127.0.0.1:39115", "--target",
                          "127.0.0.1:39116", "--probe-timeout", "2"});
        stopStub(first);
        stopStub(second);
        stopStub(third);
        QCOMPARE(run.output.count("timeout (at"), 3);
        QVERIFY2(run.milliseconds < 4500, qPrintable(QString::number(run.milliseconds)));
    }
    void guestOptionFindsAServerAcceptingAnyCredentials() {
        QTemporaryDir dir;
        Stub stub;
        QVERIFY(startStub(stub, 39117, "accept-any-auth", dir.path()));
        auto run = probe({"--target", "127.0.0.1:39117", "--probe-timeout", "2", "--probe-guest"});
        stopStub(stub);
        QVERIFY2(run.output.contains("guest: random credentials ACCEPTED, then open-relay"),
                 qPrintable(run.output));
        QCOMPARE(run.exitCode, 2);
        auto commands = logged(stub);
        // After the last RCPT only RSET and QUIT; never DATA or BDAT; the credentials were sent
        // to the server but never printed.
        auto lastRcpt = commands.lastIndexOf(QRegularExpression("^RCPT.*"));
        QVERIFY(lastRcpt > 0);
        QVERIFY(onlyRsetQuitAfterRcpt(commands.mid(lastRcpt)));
        auto auth = commands.filter(QRegularExpression("^AUTH PLAIN ")).value(0);
        QVERIFY(!auth.isEmpty());
        QVERIFY(!run.output.contains(auth.mid(11)));
    }
    void formsAllTriesEachBypassFormWithRsetBetween() {
        QTemporaryDir dir;
        Stub stub;
        QVERIFY(startStub(stub, 39118, "closed554", dir.path()));
        auto run =
            probe({"--target", "127.0.0.1:39118", "--probe-timeout", "3", "--probe-forms", "all"});
        stopStub(stub);
        QVERIFY2(
            run.output.contains("form percent-hack <relay-test%example.net@[127.0.0.1]>: refused"),
            qPrintable(run.output));
        QVERIFY(run.output.contains(
            "form source-route <@[127.0.0.1]:relay-test@example.net>: refused"));
        auto commands = logged(stub);
        QCOMPARE(commands.filter(QRegularExpression("^RCPT")).size(), 5);
        QVERIFY(commands.filter(QRegularExpression("^(DATA|BDAT)")).isEmpty());
        QCOMPARE(commands.last(), QString("QUIT"));
    }
    void probeFromCannotInjectACommand() {
        auto run = probe({"--target", "127.0.0.1:39199", "--probe-from", "a@b>\r\nDATA"});
        QCOMPARE(run.exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestProbeStubs)
#include "tst_probe_stubs.moc"
