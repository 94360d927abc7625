// "relayaudit probe" and "analyze --probe" against private Postfix instances (open, closed 554,
// closed 454, TLS required, AUTH required, TLS+AUTH) that tests/probe/postfix_fixture.sh starts on
// loopback ports 39140-39145 before this test and stops after it. Postfix logs every command the
// client sent (debug_peer_list), so the test proves the probe sent nothing after RCPT but RSET and
// QUIT.
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

// The commands the instance logged, one list per client session in the order sent ("EHLO ...",
// "MAIL FROM:<...>", ...). analyze --probe opens several sessions at once, so their lines
// interleave: a session is one smtpd process (by PID) from its "connect from" line on.
QList<QStringList> sessionsLogged(const QString& mode) {
    QFile log(kServers + "/" + mode + "/maillog");
    if (!log.open(QIODevice::ReadOnly))
        return {};
    QList<QStringList> sessions;
    QMap<QString, qsizetype> openSession; // smtpd PID -> index in sessions
    QRegularExpression connect(R"(postfix/smtpd\[(\d+)\]: connect from )");
    QRegularExpression sent(R"(postfix/smtpd\[(\d+)\]: < unknown\[127\.0\.0\.1\]: (.*)$)");
    for (const auto& line : QString::fromUtf8(log.readAll()).split('\n')) {
        if (auto match = connect.match(line); match.hasMatch()) {
            openSession[match.captured(1)] = sessions.size();
            sessions.append(QStringList{});
        } else if (auto command = sent.match(line); command.hasMatch()) {
            auto pid = command.captured(1);
            if (!openSession.contains(pid)) { // no "connect from" seen: keep it anyway
                openSession[pid] = sessions.size();
                sessions.append(QStringList{});
            }
            sessions[openSession[pid]] << command.captured(2);
        }
    }
    return sessions;
}

QString describe(const QList<QStringList>& sessions) {
    QStringList text;
    for (const auto& session : sessions)
        text << "[" + session.join(" | ") + "]";
    return text.join(" ");
}

bool nothingButRsetQuitAfterRcpt(const QList<QStringList>& sessions) {
    for (const auto& commands : sessions) {
        bool afterRcpt = false;
        for (const auto& command : commands) {
            auto verb = command.section(' ', 0, 0).section(':', 0, 0).toUpper();
            if (verb == "DATA" || verb == "BDAT" || (afterRcpt && verb != "RSET" && verb != "QUIT"))
                return false;
            afterRcpt = afterRcpt || verb == "RCPT";
        }
    }
    return true;
}

QString analyzeAgainst(int port, const QStringList& extra = {}) {
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
                     QStringList{"analyze", "--list", "--ldif", config.fileName(), "--ldif",
                                 RELAYAUDIT_SOURCE_DIR "/samples/corp-domain.ldif", "--probe",
                                 "--probe-map", "exch001.corp.example=127.0.0.1", "--probe-map",
                                 "exch002.corp.example=127.0.0.1", "--probe-map",
                                 "exmbx001.corp.example=127.0.0.1", "--probe-map",
                                 "10.0.0.5=127.0.0.1", "--probe-timeout", "3"} +
                         extra);
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
        QTest::newRow("authreq") << "authreq" << 39144 << "auth-required (at RCPT, reply 530";
        // "530 5.7.0 Must issue a STARTTLS command first": the STARTTLS wording wins over the 530.
        QTest::newRow("tlsauth") << "tlsauth" << 39145 << "tls-required (at MAIL, reply 530";
    }
    void eachPostfixModeGivesItsClass() {
        QFETCH(QString, mode);
        QFETCH(int, port);
        QFETCH(QString, expected);
        auto output = probe(port);
        QVERIFY2(output.contains(expected), qPrintable(output));
        auto sessions = sessionsLogged(mode);
        QVERIFY2(!sessions.isEmpty(), "Postfix logged no client command");
        QVERIFY2(nothingButRsetQuitAfterRcpt(sessions), qPrintable(describe(sessions)));
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
    void tlsauthOffersAuthOnlyInsideTlsAndStillRefusesRelay() {
        QProcess relayaudit;
        relayaudit.start(RELAYAUDIT_BINARY,
                         {"probe", "--target", "relaytest.invalid:39145", "--probe-map",
                          "relaytest.invalid=127.0.0.1", "--probe-starttls", "--ca-file",
                          kServers + "/tlsauth/postfix/cert.pem", "--probe-timeout", "5"});
        relayaudit.waitForFinished(60000);
        auto output = QString::fromUtf8(relayaudit.readAllStandardOutput());
        QVERIFY2(output.contains("relaytest.invalid:39145  refused (at RCPT, reply 554"),
                 qPrintable(output));
        QVERIFY2(
            output.contains(QRegularExpression("\n  offered: ESMTP, STARTTLS(, SIZE \\d+)?\n")),
            qPrintable(output)); // no AUTH before TLS
        QVERIFY2(output.contains("STARTTLS: established; AUTH after TLS: PLAIN LOGIN"),
                 qPrintable(output));
        auto sessions = sessionsLogged("tlsauth");
        QVERIFY2(!sessions.isEmpty() && sessions.last().contains("STARTTLS"),
                 qPrintable(describe(sessions)));
        QVERIFY2(nothingButRsetQuitAfterRcpt(sessions), qPrintable(describe(sessions)));
    }
    void authreqOffersAuthInClearText() {
        auto output = analyzeAgainst(39144);
        QVERIFY2(output.contains(
                     QRegularExpression("PRB-AUTH-CLEARTEXT\t[^\n]*exch001.corp.example:39144\t")),
                 qPrintable(output));
        auto sessions = sessionsLogged("authreq");
        QVERIFY2(nothingButRsetQuitAfterRcpt(sessions), qPrintable(describe(sessions)));
    }
    void tlsauthKeepsAuthCleartextSilent() {
        auto output = analyzeAgainst(
            39145, {"--probe-starttls", "--ca-file", kServers + "/tlsauth/postfix/cert.pem"});
        QVERIFY2(output.contains("exch001.corp.example:39145"), qPrintable(output));
        QVERIFY2(!output.contains("PRB-AUTH-CLEARTEXT"), qPrintable(output));
        QVERIFY2(!output.contains("PRB-OPEN-RELAY"), qPrintable(output));
        auto sessions = sessionsLogged("tlsauth");
        QVERIFY2(nothingButRsetQuitAfterRcpt(sessions), qPrintable(describe(sessions)));
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
