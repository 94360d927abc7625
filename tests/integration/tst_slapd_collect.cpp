// relayaudit against a real OpenLDAP slapd that behaves like AD where it matters: a size limit
// of 1000 per search and per page, TLS with a self-signed certificate, a non-administrative
// reader. Paging, ldaps:// and StartTLS, and the failures: wrong CA, wrong password, plain-text
// bind, a server that stops answering (SIGSTOP) and a server stopped in the middle of a paged
// search. The server is started and stopped by the ctest fixture (fixtures.sh).
#include "integration_support.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <functional>

using namespace integration;

namespace {

constexpr int kTimeoutSeconds = 3;
// How long a failing run may take beyond --timeout: process start, the connection, the reads
// before the hang, and a loaded CI machine.
constexpr qint64 kSlackMs = 7000;

// A TCP relay between relayaudit and slapd that counts the bytes coming back from the server.
// Once the count reaches the threshold it stops relaying the server's data and runs an action
// (stop or pause the real server); then it hangs up on relayaudit ("stop") or stays silent
// ("pause"). This is what makes "in the middle of a paged search" deterministic: the run is
// cut at a known place and never finishes early by winning a race against the script.
class CuttingProxy {
public:
    enum class After { HangUp, StaySilent };

    CuttingProxy(quint16 upstreamPort, qint64 threshold, std::function<void()> action, After after)
        : upstreamPort_(upstreamPort), threshold_(threshold), action_(std::move(action)),
          after_(after) {
        QObject::connect(&server_, &QTcpServer::newConnection, [this] { accept(); });
    }

    bool listen() { return server_.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return server_.serverPort(); }
    qint64 downstreamBytes() const { return downstream_; }
    bool fired() const { return fired_; }

private:
    void accept() {
        while (QTcpSocket* client = server_.nextPendingConnection()) {
            auto* upstream = new QTcpSocket(client); // dies with the client socket
            upstream->connectToHost(QHostAddress::LocalHost, upstreamPort_);
            if (!upstream->waitForConnected(5000)) {
                client->abort();
                continue;
            }
            QObject::connect(client, &QTcpSocket::readyRead, upstream,
                             [client, upstream] { upstream->write(client->readAll()); });
            QObject::connect(upstream, &QTcpSocket::readyRead, client, [this, client, upstream] {
                QByteArray data = upstream->readAll();
                if (fired_)
                    return; // cut: nothing more reaches relayaudit
                downstream_ += data.size();
                if (downstream_ < threshold_) {
                    client->write(data);
                    return;
                }
                fired_ = true;
                action_();
                if (after_ == After::HangUp)
                    client->abort();
            });
            QObject::connect(upstream, &QTcpSocket::disconnected, client, [this, client] {
                if (!fired_ || after_ == After::HangUp)
                    client->disconnectFromHost();
            });
            QObject::connect(client, &QTcpSocket::disconnected, upstream,
                             [upstream] { upstream->disconnectFromHost(); });
            if (client->bytesAvailable() > 0)
                upstream->write(client->readAll());
        }
    }

    QTcpServer server_;
    quint16 upstreamPort_;
    qint64 threshold_;
    std::function<void()> action_;
    After after_;
    qint64 downstream_ = 0;
    bool fired_ = false;
};

quint16 portOf(const QString& uri) {
    return quint16(QUrl(uri).port());
}

int countOf(const QString& text, const QString& needle) {
    return int(text.count(needle));
}

} // namespace

class TstSlapdCollect : public QObject {
    Q_OBJECT

private:
    QString dir_ = SLAPD_SERVER_DIR;
    Env env_;
    QTemporaryDir work_;
    QString otherCa_;
    qint64 fullCollectionBytes_ = 0;
    bool paused_ = false;

    QStringList reader() const {
        return {"--bind-dn", env_["SLAPD_READER_DN"], "--password-file",
                env_["SLAPD_READER_PASSWORD_FILE"]};
    }
    QStringList ldaps(quint16 port = 0) const {
        QString uri = env_["SLAPD_LDAPS_URI"];
        if (port != 0)
            uri = QString("ldaps://127.0.0.1:%1").arg(port);
        return QStringList{"--uri", uri, "--ca-file", env_["SLAPD_CA"]} + reader();
    }
    int expectedVirtualServers() const {
        return countOf(readText(dir_ + "/data.ldif"), "objectClass: protocolCfgSMTPServer\n");
    }
    void pause() {
        auto run = runScript("scripts/test-servers/slapd.sh", {"pause", dir_});
        paused_ = run.exitCode == 0;
        QVERIFY2(paused_, qPrintable("slapd.sh pause failed: " + run.describe()));
    }
    void resume() {
        if (!paused_)
            return;
        auto run = runScript("scripts/test-servers/slapd.sh", {"resume", dir_});
        paused_ = false;
        QVERIFY2(run.exitCode == 0, qPrintable("slapd.sh resume failed: " + run.describe()));
    }

    // The message of a failed run: exit 1, one clear line, within the timeout, reports kept.
    void expectFailure(const Run& run, const QStringList& mustContain, const PreviousReport& xml,
                       const PreviousReport& html) {
        QString problem =
            problemWithFailedRun(run, mustContain, xml, html, env_["SLAPD_READER_PASSWORD_FILE"]);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

private slots:
    void initTestCase() {
        QVERIFY(work_.isValid());
        QString problem;
        env_ = readEnv(dir_ + "/env", &problem);
        QVERIFY2(problem.isEmpty(),
                 qPrintable("the slapd test server was not set up (" + problem +
                            "): see the output of ctest -R integration_slapd_setup; slapd log:\n" +
                            tailOf(dir_ + "/slapd.log")));
        QVERIFY2(processAlive(env_["SLAPD_PID"]),
                 qPrintable("slapd (PID " + env_["SLAPD_PID"] + ") is not running; log:\n" +
                            tailOf(dir_ + "/slapd.log")));
        QVERIFY2(expectedVirtualServers() > 1000,
                 "the test data must hold more virtual servers than the page limit of 1000");
        // A CA that did not sign the server's certificate.
        otherCa_ = work_.filePath("other-ca.pem");
        auto run = runProgram("openssl",
                              {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                               "-subj", "/CN=Some Other CA", "-keyout", work_.filePath("other.key"),
                               "-out", otherCa_},
                              QProcessEnvironment::systemEnvironment(), 60000);
        QVERIFY2(run.exitCode == 0, qPrintable("openssl failed: " + run.describe()));
    }

    // The server really enforces the limit: a client that does not page gets 1000 and error 4.
    void serverLimitsUnpagedSearches() {
        auto run = runProgram("ldapsearch",
                              {"-x", "-LLL", "-H", env_["SLAPD_URI"], "-D", env_["SLAPD_READER_DN"],
                               "-y", env_["SLAPD_READER_PASSWORD_FILE"], "-b",
                               "CN=Configuration," + env_["SLAPD_BASE"],
                               "(objectClass=protocolCfgSMTPServer)", "1.1"},
                              QProcessEnvironment::systemEnvironment(), 60000);
        QVERIFY2(run.exitCode == 4,
                 qPrintable("expected size limit exceeded (4): " + run.describe().left(500)));
        QCOMPARE(countOf(run.out, "dn: "), 1000);
    }

    // More than 1000 virtual servers, read as a non-administrative user over ldaps with the
    // CA file: all of them arrive, so paging works. Runs through the proxy to measure how many
    // bytes a whole collection takes (the fault tests cut at half of that).
    void pagingCollectsAllVirtualServers() {
        CuttingProxy proxy(
            portOf(env_["SLAPD_LDAPS_URI"]), std::numeric_limits<qint64>::max(), [] {},
            CuttingProxy::After::HangUp);
        QVERIFY(proxy.listen());
        QString snapshot = work_.filePath("paging-snapshot.xml");
        auto run = runRelayaudit(QStringList{"collect"} + ldaps(proxy.port()) +
                                 QStringList{"--snapshot-out", snapshot});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QString xml = readText(snapshot);
        QCOMPARE(countOf(xml, "<virtualServer "), expectedVirtualServers());
        QVERIFY(countOf(xml, "<virtualServer ") > 1000);
        QVERIFY2(xml.contains("<receiveConnector "), "no receive connector in the snapshot");
        QVERIFY2(xml.contains("<guest "), "the Guest account was not read");
        fullCollectionBytes_ = proxy.downstreamBytes();
        QVERIFY(fullCollectionBytes_ > 0);
        // The progress line counts the entries streamed to the builder (it once said 0).
        auto counted =
            QRegularExpression("Exchange objects: (\\d+) in (\\d+) pages").match(run.err);
        QVERIFY2(counted.hasMatch(), qPrintable(run.err.right(1500)));
        QVERIFY2(counted.captured(1).toInt() > expectedVirtualServers(),
                 qPrintable(counted.captured(0)));
        QVERIFY2(counted.captured(2).toInt() > 1, qPrintable(counted.captured(0)));
    }

    // The number of LDAP searches does not grow with the number of domains (issue 10): the
    // fixture holds DC=corp,DC=example and 600 child domains, each with its Guest. The heads come
    // in one paged search and the Guests in OR filters of 500 SIDs each: rootDSE, crossRefs,
    // Exchange objects, Exchange container, domain heads and 2 Guest batches are 7 searches
    // (one base read and one Guest search per domain made 1206).
    void searchesDoNotGrowWithDomains() {
        QString snapshot = work_.filePath("domains-snapshot.xml");
        auto run = runRelayaudit(QStringList{"collect"} + ldaps() +
                                 QStringList{"--snapshot-out", snapshot});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        int domains = countOf(readText(dir_ + "/data.ldif"), "objectClass: domainDNS\n") + 1;
        QVERIFY2(domains > 500, "the fixture must hold more domains than one batch of Guest SIDs");
        QString xml = readText(snapshot);
        QCOMPARE(countOf(xml, "guestStatus=\"found\""), domains);
        QVERIFY2(run.err.contains("collection done: 7 LDAP search operations"),
                 qPrintable(run.err.right(1500)));
    }

    void ldapsWithCaFileAudits() {
        auto run = runRelayaudit(QStringList{"audit", "--list"} + ldaps() +
                                 QStringList{"--fail-on", "critical"});
        // 0 or 2: the sample mix has findings; 1 would be a failed run.
        QVERIFY2(run.exitCode == 0 || run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.out.contains(" finding(s)"), qPrintable(run.describe()));
    }

    void startTlsWithCaFileCollects() {
        QString snapshot = work_.filePath("starttls-snapshot.xml");
        auto run =
            runRelayaudit(QStringList{"collect", "--uri", env_["SLAPD_URI"], "--starttls",
                                      "--ca-file", env_["SLAPD_CA"], "--snapshot-out", snapshot} +
                          reader());
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(countOf(readText(snapshot), "<virtualServer "), expectedVirtualServers());
    }

    void startTlsAndLdapsGiveTheSameFindings() {
        auto overLdaps = runRelayaudit(QStringList{"audit", "--list"} + ldaps());
        auto overStartTls = runRelayaudit(QStringList{"audit", "--list", "--uri", env_["SLAPD_URI"],
                                                      "--starttls", "--ca-file", env_["SLAPD_CA"]} +
                                          reader());
        QVERIFY2(overLdaps.exitCode == 2, qPrintable(overLdaps.describe()));
        QVERIFY2(overStartTls.exitCode == 2, qPrintable(overStartTls.describe()));
        QCOMPARE(findingLines(overStartTls.out), findingLines(overLdaps.out));
    }

    // Skipping certificate checks works, and every report says so.
    void tlsInsecureIsSaidInTheReports() {
        QString html = work_.filePath("insecure.html");
        QString xml = work_.filePath("insecure.xml");
        auto run = runRelayaudit(QStringList{"audit", "--list", "--uri", env_["SLAPD_LDAPS_URI"],
                                             "--tls-insecure", "--html", html, "--xml", xml} +
                                 reader());
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY(readText(html).contains("certificate checks were disabled"));
        QVERIFY(readText(xml).contains("certificate checks were disabled"));
    }

    void wrongCaFailsClearly_data() {
        QTest::addColumn<bool>("startTls");
        QTest::newRow("ldaps") << false;
        QTest::newRow("StartTLS") << true;
    }
    void wrongCaFailsClearly() {
        QFETCH(bool, startTls);
        PreviousReport xml(work_.filePath("wrong-ca.xml"), "<previous/>\n");
        PreviousReport html(work_.filePath("wrong-ca.html"), "<p>previous</p>\n");
        QStringList uri = startTls ? QStringList{"--uri", env_["SLAPD_URI"], "--starttls"}
                                   : QStringList{"--uri", env_["SLAPD_LDAPS_URI"]};
        auto run = runRelayaudit(
            QStringList{"audit", "--list"} + uri +
            QStringList{"--ca-file", otherCa_, "--xml", xml.path, "--html", html.path} + reader());
        expectFailure(run, {"certificate", "--ca-file", "127.0.0.1"}, xml, html);
    }

    void wrongPasswordFailsClearly() {
        QString wrong = work_.filePath("wrong.pw");
        writeText(wrong, "not-the-password\n");
        PreviousReport xml(work_.filePath("wrong-pw.xml"), "<previous/>\n");
        PreviousReport html(work_.filePath("wrong-pw.html"), "<p>previous</p>\n");
        auto run =
            runRelayaudit({"audit", "--list", "--uri", env_["SLAPD_LDAPS_URI"], "--ca-file",
                           env_["SLAPD_CA"], "--bind-dn", env_["SLAPD_READER_DN"],
                           "--password-file", wrong, "--xml", xml.path, "--html", html.path});
        expectFailure(run, {"LDAP 49", "invalid credentials", "password"}, xml, html);
        QVERIFY2(!run.err.contains("not-the-password"), "the message echoes the password");
    }

    void plainTextSimpleBindIsRefusedByTheClient() {
        PreviousReport xml(work_.filePath("plain.xml"), "<previous/>\n");
        PreviousReport html(work_.filePath("plain.html"), "<p>previous</p>\n");
        auto run = runRelayaudit(QStringList{"audit", "--list", "--uri", env_["SLAPD_URI"], "--xml",
                                             xml.path, "--html", html.path} +
                                 reader());
        expectFailure(run, {"use ldaps://, --starttls or --sasl gssapi"}, xml, html);
    }

    // The server accepts the connection but never answers: paused before the run (the TLS
    // handshake hangs) and paused in the middle of the paged search (a page never comes).
    void pausedServerTimesOut_data() {
        QTest::addColumn<bool>("midSearch");
        QTest::newRow("paused before the run") << false;
        QTest::newRow("paused in the middle of the paged search") << true;
    }
    void pausedServerTimesOut() {
        QFETCH(bool, midSearch);
        QVERIFY2(fullCollectionBytes_ > 0, "needs pagingCollectsAllVirtualServers first");
        PreviousReport xml(work_.filePath("paused.xml"), "<previous/>\n");
        PreviousReport html(work_.filePath("paused.html"), "<p>previous</p>\n");
        struct Resume {
            TstSlapdCollect* test;
            ~Resume() { test->resume(); } // also when a check below fails
        } resumeAtEnd{this};
        CuttingProxy proxy(
            portOf(env_["SLAPD_LDAPS_URI"]), fullCollectionBytes_ / 2, [this] { pause(); },
            CuttingProxy::After::StaySilent);
        QVERIFY(proxy.listen());
        if (!midSearch)
            pause();
        auto run =
            runRelayaudit(QStringList{"audit", "--list"} + ldaps(midSearch ? proxy.port() : 0) +
                          QStringList{"--timeout", QString::number(kTimeoutSeconds), "--page-size",
                                      "200", "--xml", xml.path, "--html", html.path});
        QVERIFY2(
            run.elapsedMs < kTimeoutSeconds * 1000 + kSlackMs,
            qPrintable(
                QString("took %1 ms with --timeout %2").arg(run.elapsedMs).arg(kTimeoutSeconds)));
        QVERIFY2(run.elapsedMs >= kTimeoutSeconds * 1000 - 500, qPrintable(run.describe()));
        expectFailure(
            run,
            {QString("timed out after %1 s").arg(kTimeoutSeconds), "did not answer", "--timeout"},
            xml, html);
        if (midSearch) {
            QVERIFY(proxy.fired());
            QVERIFY2(run.err.contains(QRegularExpression("paged search of .*\\(page [0-9]+\\)")),
                     qPrintable(run.err));
        }
    }

    // Last: the server is stopped for good (the cleanup fixture finds it stopped; fine).
    void serverStoppedMidPagedSearch() {
        QVERIFY2(fullCollectionBytes_ > 0, "needs pagingCollectsAllVirtualServers first");
        PreviousReport xml(work_.filePath("stopped.xml"), "<previous/>\n");
        PreviousReport html(work_.filePath("stopped.html"), "<p>previous</p>\n");
        Run stop;
        CuttingProxy proxy(
            portOf(env_["SLAPD_LDAPS_URI"]), fullCollectionBytes_ / 2,
            [this, &stop] {
                stop = runScript("scripts/test-servers/slapd.sh", {"stop", dir_});
            },
            CuttingProxy::After::HangUp);
        QVERIFY(proxy.listen());
        auto run =
            runRelayaudit(QStringList{"audit", "--list"} + ldaps(proxy.port()) +
                          QStringList{"--timeout", QString::number(kTimeoutSeconds), "--page-size",
                                      "200", "--xml", xml.path, "--html", html.path});
        QVERIFY(proxy.fired());
        QVERIFY2(stop.exitCode == 0, qPrintable("slapd.sh stop failed: " + stop.describe()));
        QVERIFY2(!processAlive(env_["SLAPD_PID"]), "slapd is still running after stop");
        QVERIFY2(run.elapsedMs < kTimeoutSeconds * 1000 + kSlackMs, qPrintable(run.describe()));
        expectFailure(run, {"paged search", "page ", "entries received so far", "incomplete"}, xml,
                      html);
    }

    void cleanupTestCase() { resume(); }
};

QTEST_GUILESS_MAIN(TstSlapdCollect)
#include "tst_slapd_collect.moc"
