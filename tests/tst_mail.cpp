// --mail-to: the MIME message relayaudit hands to sendmail, recorded by a fake sendmail; when
// a run is mailed (--mail-when); the outbox for the hardened unit; and headers that nothing
// from the directory or the command line can break.
#include "directory_builder.h"
#include "mail_message.h"
#include "relayaudit_process.h"
#include "run_failure.h"
#include "scratch_files.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using testsupport::Forest;
using testsupport::readText;
using testsupport::Run;
using testsupport::runRelayaudit;
using testsupport::writeFile;

namespace {

// The fake sendmail records its arguments and standard input, then exits with FAKE_EXIT.
const char* kFakeSendmail = "#!/bin/sh\n"
                            "printf '%s\\n' \"$@\" > \"$FAKE_DIR/argv\"\n"
                            "cat > \"$FAKE_DIR/message\"\n"
                            "exit ${FAKE_EXIT:-0}\n";

class FakeSendmail {
public:
    FakeSendmail() {
        path_ = writeFile(directory_, "sendmail", kFakeSendmail);
        QFile::setPermissions(path_, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    Run run(const QStringList& arguments, int exitStatus = 0) const {
        return runRelayaudit(QStringList{arguments.front(), "--no-config"} + arguments.mid(1),
                             {.environment = {{"RELAYAUDIT_SENDMAIL", path_},
                                              {"FAKE_DIR", directory_.path()},
                                              {"FAKE_EXIT", QString::number(exitStatus)}}});
    }
    bool called() const { return QFile::exists(directory_.filePath("message")); }
    // Forgets the recorded message, so the next run can be checked on its own.
    void reset() const {
        QFile::remove(directory_.filePath("message"));
        QFile::remove(directory_.filePath("argv"));
    }
    QString message() const { return read("message"); }
    QString argv() const { return read("argv"); }
    QString file(const QString& name, const QByteArray& content) const {
        return writeFile(directory_, name, content);
    }
    QString path(const QString& name) const { return directory_.filePath(name); }

private:
    QString read(const QString& name) const { return readText(directory_.filePath(name)); }
    QTemporaryDir directory_;
    QString path_;
};

QByteArray ldif(bool openRelay) {
    auto forest = testsupport::forestWithSafeVirtualServer();
    if (openRelay)
        forest.virtualServer("EXCH02", 1,
                             {{"msExchSmtpRelayIpList", testsupport::ipSecurityBlob({}, {})}});
    return QByteArray::fromStdString(forest.ldif());
}

// The headers: everything before the first empty line.
QStringList headerLines(const QString& message) {
    return message.left(message.indexOf("\n\n")).split('\n');
}

// The decoded body of the first (summary) part.
QString summaryOf(const QString& message) {
    auto start = message.indexOf("Content-Disposition: inline");
    auto body = message.indexOf("\n\n", start) + 2;
    auto end = message.indexOf("\n--", body);
    return QString::fromUtf8(QByteArray::fromBase64(message.mid(body, end - body).toLatin1()));
}

} // namespace

class TestMail : public QObject {
    Q_OBJECT

private slots:
    void findingsAreMailedWithSummaryAndBothReports() {
        FakeSendmail sendmail;
        auto input = sendmail.file("open.ldif", ldif(true));
        auto run = sendmail.run({"analyze", "--ldif", input, "--html", sendmail.path("r.html"),
                                 "--mail-to", "a@corp.example, b@corp.example", "--mail-from",
                                 "relayaudit@corp.example", "--mail-when", "findings"});
        QVERIFY2(run.exitCode == 2, qPrintable(run.err));
        QCOMPARE(sendmail.argv(), QString("-t\n-oi\n-f\nrelayaudit@corp.example\n"));
        auto message = sendmail.message();
        auto headers = headerLines(message);
        QVERIFY(headers.contains("From: relayaudit@corp.example"));
        QVERIFY(headers.contains("To: a@corp.example,"));
        QVERIFY(headers.contains(" b@corp.example"));
        QVERIFY(headers.contains("MIME-Version: 1.0"));
        QVERIFY(headers.contains("Date: Thu, 01 Jan 2026 00:00:00 +0000"));
        QVERIFY(message.contains("filename=\"relayaudit-report.html\""));
        QVERIFY(message.contains("filename=\"relayaudit-report.xml\""));
        auto summary = summaryOf(message);
        QVERIFY2(summary.contains("Verdict: ACTION NEEDED"), qPrintable(summary));
        QVERIFY(summary.contains("EXS-RELAY-OPEN"));
        QVERIFY(summary.contains("Report: " + sendmail.path("r.html")));
    }
    void cleanRunIsNotMailedWhenOnlyFindingsAre() {
        FakeSendmail sendmail;
        auto input = sendmail.file("clean.ldif", ldif(false));
        auto run = sendmail.run(
            {"analyze", "--ldif", input, "--mail-to", "a@corp.example", "--mail-when", "findings"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(!sendmail.called());
    }
    void withoutMailFromSendmailChoosesTheSender() {
        FakeSendmail sendmail;
        auto input = sendmail.file("open.ldif", ldif(true));
        QCOMPARE(sendmail.run({"analyze", "--ldif", input, "--mail-to", "a@corp.example"}).exitCode,
                 2);
        QCOMPARE(sendmail.argv(), QString("-t\n-oi\n"));
        QVERIFY(!headerLines(sendmail.message()).join('\n').contains("From:"));
    }
    void newFallsBackToFindingsAndSaysSo() {
        FakeSendmail sendmail;
        auto clean = sendmail.file("clean.ldif", ldif(false));
        QCOMPARE(sendmail.run({"analyze", "--ldif", clean, "--mail-to", "a@corp.example"}).exitCode,
                 0);
        QVERIFY(!sendmail.called());
        auto open = sendmail.file("open.ldif", ldif(true));
        QCOMPARE(sendmail.run({"analyze", "--ldif", open, "--mail-to", "a@corp.example"}).exitCode,
                 2);
        QVERIFY(summaryOf(sendmail.message()).contains("not tracked (no --history"));
    }
    void newWithHistoryMailsOnlyWhenSomethingIsNew() {
        FakeSendmail sendmail;
        auto open = sendmail.file("open.ldif", ldif(true));
        auto history = sendmail.path("history");
        QStringList arguments = {"analyze",   "--ldif",        open, "--history", history,
                                 "--mail-to", "a@corp.example"};
        // First run: every finding is new, so it is mailed and the summary counts them.
        QCOMPARE(sendmail.run(arguments).exitCode, 2);
        QVERIFY(sendmail.called());
        QVERIFY2(summaryOf(sendmail.message()).contains("Since the last run: "),
                 qPrintable(summaryOf(sendmail.message())));
        QVERIFY(summaryOf(sendmail.message()).contains("NEW"));
        // Second run over the same input: nothing new, so no mail although findings remain.
        sendmail.reset();
        QCOMPARE(sendmail.run(arguments).exitCode, 2);
        QVERIFY(!sendmail.called());
    }
    void alwaysMailsACleanRun() {
        FakeSendmail sendmail;
        auto input = sendmail.file("clean.ldif", ldif(false));
        auto run = sendmail.run(
            {"analyze", "--ldif", input, "--mail-to", "a@corp.example", "--mail-when", "always"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(summaryOf(sendmail.message()).contains("Verdict: nothing at or above warning"));
    }
    void failedRunMailsTheError() {
        FakeSendmail sendmail;
        auto run = sendmail.run({"analyze", "--ldif", "/nonexistent/config.ldif", "--mail-to",
                                 "a@corp.example", "--mail-when", "failure"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(sendmail.called());
        auto summary = summaryOf(sendmail.message());
        QVERIFY2(summary.contains("could not finish") &&
                     summary.contains("/nonexistent/config.ldif"),
                 qPrintable(summary));
    }
    void failingSendmailFailsTheRun() {
        FakeSendmail sendmail;
        auto input = sendmail.file("open.ldif", ldif(true));
        auto run = sendmail.run({"analyze", "--ldif", input, "--mail-to", "a@corp.example"}, 75);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("exited with status 75"), qPrintable(run.err));
    }
    void outboxHoldsTheMessageAndIsClearedWhenNoMailIsDue() {
        FakeSendmail sendmail;
        auto outbox = sendmail.path("report.eml");
        auto open = sendmail.file("open.ldif", ldif(true));
        QCOMPARE(sendmail
                     .run({"analyze", "--ldif", open, "--mail-to", "a@corp.example",
                           "--mail-outbox", outbox})
                     .exitCode,
                 2);
        QVERIFY(!sendmail.called());
        QVERIFY(QFile::exists(outbox));
        auto clean = sendmail.file("clean.ldif", ldif(false));
        QCOMPARE(sendmail
                     .run({"analyze", "--ldif", clean, "--mail-to", "a@corp.example",
                           "--mail-outbox", outbox})
                     .exitCode,
                 0);
        QVERIFY(!QFile::exists(outbox));
    }
    // The unit always passes --mail-outbox; a configuration without --mail-to must still run.
    void outboxWithoutRecipientsOnlyClearsIt() {
        FakeSendmail sendmail;
        auto outbox = sendmail.file("report.eml", "stale message");
        auto open = sendmail.file("open.ldif", ldif(true));
        auto run = sendmail.run({"analyze", "--ldif", open, "--mail-outbox", outbox});
        QVERIFY2(run.exitCode == 2, qPrintable(run.err));
        QVERIFY(!QFile::exists(outbox));
        QVERIFY(!sendmail.called());
    }
    void addressThatWouldAddAHeaderIsRefused() {
        FakeSendmail sendmail;
        auto input = sendmail.file("open.ldif", ldif(true));
        auto run = sendmail.run(
            {"analyze", "--ldif", input, "--mail-to", "a@corp.example\nBcc: evil@example.net"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(!sendmail.called());
        QVERIFY_THROWS_EXCEPTION(relayaudit::RunFailure,
                                 relayaudit::checkMailAddress("<a@b.example>", "--mail-to"));
        QVERIFY_THROWS_EXCEPTION(relayaudit::RunFailure,
                                 relayaudit::checkMailAddress("a b@c.example", "--mail-from"));
        relayaudit::checkMailAddress("relay.audit+x@corp.example", "--mail-to");
    }
    void unknownMailWhenIsRefused() {
        FakeSendmail sendmail;
        auto run = sendmail.run({"analyze", "--ldif", "x.ldif", "--mail-to", "a@corp.example",
                                 "--mail-when", "sometimes"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("--mail-when 'sometimes'"), qPrintable(run.err));
    }
    // A subject made from directory data (the forest name) cannot end the header block or add
    // a header: it becomes encoded words, control characters dropped.
    void hostileSubjectCannotBreakTheHeaders() {
        relayaudit::MailMessage message;
        message.to = {"a@corp.example"};
        message.subject = "DC=corp\r\nBcc: evil@example.net\n\nbody \xc2\x85 \xe2\x80\xae end "
                          "and a long tail to force folding over several encoded words";
        message.text = "x";
        auto text = QString::fromStdString(relayaudit::renderMailMessage(message));
        auto headers = headerLines(text);
        QRegularExpression headerLine("^([A-Za-z-]+: | )");
        for (const auto& line : headers) {
            QVERIFY2(headerLine.match(line).hasMatch(), qPrintable(line));
            QVERIFY2(!line.startsWith("Bcc"), qPrintable(line));
            QVERIFY2(line.size() <= 78, qPrintable(line));
        }
        QString decoded;
        QRegularExpression word("=\\?utf-8\\?B\\?([A-Za-z0-9+/=]+)\\?=");
        auto words = word.globalMatch(text.left(text.indexOf("\n\n")));
        while (words.hasNext())
            decoded +=
                QString::fromUtf8(QByteArray::fromBase64(words.next().captured(1).toLatin1()));
        QVERIFY2(decoded.startsWith("DC=corpBcc: evil@example.netbody  \u202e end"),
                 qPrintable(decoded));
    }
    void addressListsSplitAtCommas() {
        auto addresses = relayaudit::splitAddresses({"a@x.example, b@y.example", " c@z.example "});
        QCOMPARE(addresses,
                 (std::vector<std::string>{"a@x.example", "b@y.example", "c@z.example"}));
    }
};

QTEST_GUILESS_MAIN(TestMail)
#include "tst_mail.moc"
