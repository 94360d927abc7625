// "relayaudit probe" and "analyze --probe" against private Postfix instances (open, closed 554,
// closed 454, TLS required) that tests/probe/postfix_fixture.sh starts on loopback ports
// 39140-39143 before this test and stops after it. Postfix logs every command the client sent
// (debug_peer_list), so the test proves the probe sent nothing after RCPT but RSET and QUIT.
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kServers = POSTFIX_SERVER_DIR;

QString probe(int port, const QStringList& extra = {}) {
    QProcess relayaudit;
    relayaudit.start(RELAYAUDIT_BINARY,
                     QStringList{"probe", "--target", "127.0.0.1:" + QString::number(port),
                                 "--probe-timeout", "5"} +
                         extra);
    relayaudit.waitForFinished(60000);
    return QString::fromUtf8(relayaudit.readAllStandardOutput());
}

// The commands the instance logged, in order ("EHLO ...", "MAIL FROM:<...>", ...).
QStringList commandsLogged(const QString& mode) {
    QFile log(kServers + "/" + mode + "/maillog");
    if (!log.open(QIODevice::ReadOnly))
        return {};
    QStringList commands;
    QRegularExpression sent(R"(: < unknown\[127\.0\.0\.1\]: (.*)$)");
    for (const auto& line : QString::fromUtf8(log.readAll()).split('\n')) {
        auto match = sent.match(line);
        if (match.hasMatch())
            commands << match.captured(1);
    }
    return commands;
}

bool nothingButRsetQuitAfterRcpt(const QStringList& commands) {
    bool afterRcpt = false;
    for (const auto& command : commands) {
        auto verb = command.section(' ', 0, 0).section(':', 0, 0).toUpper();
        if (verb == "DATA" || verb == "BDAT" || (afterRcpt && verb != "RSET" && verb != "QUIT"))
            return false;
        afterRcpt = afterRcpt || verb == "RCPT";
    }
    return true;
}

QString analyzeAgainst(int port) {
    QTemporaryDir dir;
    QFile sample(RELAYAUDIT_SOURCE_DIR "/samples/corp-config.ldif");
    if (!sample.open(QIODevice::ReadOnly))
        return {};
    auto text = QString::fromUtf8(sample.readAll());
    text.replace("msExchServerBindings:: OjI1MDI6",
                 "msExchServerBindings: :" + QString::number(port) + ":");
    QFile config(dir.path() + "/config.ldif");
    if (!config.open(QIODevice::WriteOnly))
        return {};
    config.write(text.toUtf8());
    config.close();
    QProcess relayaudit;
    relayaudit.start(RELAYAUDIT_BINARY,
                     {"analyze", "--list", "--ldif", config.fileName(), "--ldif",
                      RELAYAUDIT_SOURCE_DIR "/samples/corp-domain.ldif", "--probe", "--probe-map",
                      "exch001.corp.example=127.0.0.1", "--probe-map",
                      "exch002.corp.example=127.0.0.1", "--probe-map",
                      "exmbx001.corp.example=127.0.0.1", "--probe-map", "10.0.0.5=127.0.0.1",
                      "--probe-timeout", "3"});
    relayaudit.waitForFinished(60000);
    return QString::fromUtf8(relayaudit.readAllStandardOutput());
}

} // namespace

class TestProbePostfix : public QObject {
    Q_OBJECT

private slots:
    void eachPostfixModeGivesItsClass_data() {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("expected");
        QTest::newRow("open") << "open" << 39140 << "open-relay (at RCPT, reply 250";
        QTest::newRow("closed554") << "closed554" << 39141 << "refused (at RCPT, reply 554";
        QTest::newRow("closed454")
            << "closed454" << 39142 << "temporary-refusal (at RCPT, reply 454";
        QTest::newRow("tls") << "tls" << 39143 << "tls-required (at MAIL, reply 530";
    }
    void eachPostfixModeGivesItsClass() {
        QFETCH(QString, mode);
        QFETCH(int, port);
        QFETCH(QString, expected);
        auto output = probe(port);
        QVERIFY2(output.contains(expected), qPrintable(output));
        auto commands = commandsLogged(mode);
        QVERIFY2(!commands.isEmpty(), "Postfix logged no client command");
        QVERIFY2(nothingButRsetQuitAfterRcpt(commands), qPrintable(commands.join(" | ")));
    }
    void starttlsWithTheRightTrustAnchorReachesRcptInsideTls() {
        // The certificate names relaytest.invalid: probe that name, mapped to loopback.
        QProcess relayaudit;
        relayaudit.start(RELAYAUDIT_BINARY,
                         {"probe", "--target", "relaytest.invalid:39143", "--probe-map",
                          "relaytest.invalid=127.0.0.1", "--probe-starttls", "--ca-file",
                          kServers + "/tls/postfix/cert.pem", "--probe-timeout", "5"});
        relayaudit.waitForFinished(60000);
        auto output = QString::fromUtf8(relayaudit.readAllStandardOutput());
        QVERIFY2(output.contains("relaytest.invalid:39143  refused (at RCPT, reply 554"),
                 qPrintable(output));
        QVERIFY(output.contains("STARTTLS: established"));
        QVERIFY(output.contains("(TLS established; certificate verified)"));
    }
    void starttlsWithAnUntrustedCertificateStopsBeforeMail() {
        auto output = probe(39143, {"--probe-starttls"});
        QVERIFY2(output.contains("inconclusive (at EHLO") && output.contains("STARTTLS: failed") &&
                     output.contains("certificate"),
                 qPrintable(output));
        QVERIFY(!output.contains("C: MAIL FROM"));
    }
    void starttlsCertificateMustNameTheEndpoint() {
        // Trusted anchor, but the endpoint is 127.0.0.1 and the certificate says relaytest.invalid.
        auto output =
            probe(39143, {"--probe-starttls", "--ca-file", kServers + "/tls/postfix/cert.pem"});
        QVERIFY2(output.contains("STARTTLS: failed") && output.contains("does not match"),
                 qPrintable(output));
    }
    void openPostfixConfirmsTheOpenRelayFinding() {
        auto output = analyzeAgainst(39140);
        QVERIFY2(
            output.contains(QRegularExpression(
                "PRB-OPEN-RELAY\t[^\n]*exch001.corp.example:39140\t[^\n]*confirmed on the wire")),
            qPrintable(output));
    }
    void closedPostfixContradictsTheOpenRelayFinding() {
        auto output = analyzeAgainst(39141);
        QVERIFY2(output.contains(QRegularExpression("PRB-CONTRADICTS-CONFIG\t[^\n]*exch001.corp."
                                                    "example:39141\t[^\n]*but the wire refused")),
                 qPrintable(output));
    }
};

QTEST_GUILESS_MAIN(TestProbePostfix)
#include "tst_probe_postfix.moc"
