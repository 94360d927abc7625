// The SMTP probe's dialogue and classifier (analyzer/probe) driven by scripted servers: every
// class comes out of the reply that should produce it, the dialogue stops after RCPT (never
// DATA/BDAT), and a hostile server cannot make it read without bound.
#include "probe_classifier.h"
#include "probe_runner.h"
#include "smtp_dialogue.h"

#include <QtTest>
#include <deque>
#include <string>
#include <vector>

using namespace relayaudit::probe;

namespace {

// A server as a list of lines it sends, one per readLine; "<timeout>" and "<closed>" stand for
// the deadline passing and the server closing. Running out of lines means closed.
class ScriptedServer final : public SmtpTransport {
public:
    explicit ScriptedServer(std::vector<std::string> lines) : lines_(lines.begin(), lines.end()) {}
    LineStatus readLine(std::string& line) override {
        if (lines_.empty())
            return LineStatus::Closed;
        line = lines_.front();
        lines_.pop_front();
        if (line == "<timeout>")
            return LineStatus::Timeout;
        if (line == "<closed>")
            return LineStatus::Closed;
        if (line.size() > kMaxLineLength)
            return LineStatus::TooLong;
        return LineStatus::Line;
    }
    bool writeLine(std::string_view line) override {
        received.emplace_back(line);
        return true;
    }
    std::vector<std::string> received;

private:
    std::deque<std::string> lines_;
};

const std::vector<std::string> kGreeting = {"220 mx.test ESMTP", "250-mx.test", "250 PIPELINING",
                                            "250 2.1.0 Ok"};

ProbeResult converse(std::vector<std::string> script, ScriptedServer** keep = nullptr,
                     bool tryGuest = false) {
    static std::unique_ptr<ScriptedServer> server;
    server = std::make_unique<ScriptedServer>(std::move(script));
    ProbeResult result;
    DialogueSettings settings;
    settings.tryGuest = tryGuest;
    runDialogue(*server, settings, result);
    if (keep)
        *keep = server.get();
    return result;
}

std::vector<std::string> greetingThen(std::vector<std::string> rest) {
    auto script = kGreeting;
    script.insert(script.end(), rest.begin(), rest.end());
    return script;
}

SmtpReply reply(std::vector<std::string> lines) {
    ScriptedServer server(std::move(lines));
    return readReply(server);
}

QString className(const ProbeResult& result) {
    return QString::fromStdString(std::string(toString(result.probeClass)));
}

} // namespace

class TestProbeDialogue : public QObject {
    Q_OBJECT

private slots:
    void rcptAcceptedIsAnOpenRelayAndEndsWithRsetQuit() {
        ScriptedServer* server = nullptr;
        auto result =
            converse(greetingThen({"250 2.1.5 Ok", "250 2.0.0 Ok", "221 2.0.0 Bye"}), &server);
        QCOMPARE(className(result), QString("open-relay"));
        QCOMPARE(QString::fromStdString(std::string(toString(result.phase))), QString("RCPT"));
        QCOMPARE(result.replyCode, 250);
        std::vector<std::string> expected = {"EHLO relayaudit-probe.example.com",
                                             "MAIL FROM:<relayaudit-probe@example.com>",
                                             "RCPT TO:<relay-test@example.net>", "RSET", "QUIT"};
        QCOMPARE(server->received, expected);
        QVERIFY(result.reason.find("delivery not verified") != std::string::npos);
    }
    void rcpt554IsRefused() {
        auto result =
            converse(greetingThen({"554 5.7.1 <relay-test@example.net>: Relay access denied"}));
        QCOMPARE(className(result), QString("refused"));
    }
    void rcpt454IsTemporaryRefusal() {
        auto result =
            converse(greetingThen({"454 4.7.1 <relay-test@example.net>: Relay access denied"}));
        QCOMPARE(className(result), QString("temporary-refusal"));
    }
    void mail530StarttlsIsTlsRequired() {
        auto result = converse(
            {"220 mx", "250-mx", "250 STARTTLS", "530 5.7.0 Must issue a STARTTLS command first"});
        QCOMPARE(className(result), QString("tls-required"));
        QCOMPARE(QString::fromStdString(std::string(toString(result.phase))), QString("MAIL"));
        QVERIFY(result.capabilities.startTls);
    }
    void rcpt530AuthenticationRequiredIsAuthRequired() {
        auto result = converse(greetingThen({"530 5.7.0 <relay-test@example.net>: Recipient "
                                             "address rejected: Authentication required"}));
        QCOMPARE(className(result), QString("auth-required"));
    }
    void rcpt550AuthenticationRequiredTextIsAuthRequired() {
        auto result = converse(
            greetingThen({"550 5.7.1 Client does not have permissions; authentication required"}));
        QCOMPARE(className(result), QString("auth-required"));
    }
    void senderRefusedAtMailIsInconclusive() {
        auto result = converse({"220 mx", "250 mx", "553 5.1.8 Sender address rejected"});
        QCOMPARE(className(result), QString("inconclusive"));
        QVERIFY(result.reason.find("could not be tested") != std::string::npos);
    }
    void banner421IsTemporaryRefusal() {
        auto result = converse({"421 4.3.2 Service not available"});
        QCOMPARE(className(result), QString("temporary-refusal"));
        QCOMPARE(QString::fromStdString(std::string(toString(result.phase))), QString("banner"));
    }
    void banner554IsRefusedAndOnlyQuitIsSent() {
        ScriptedServer* server = nullptr;
        auto result = converse({"554 5.7.1 No SMTP service here", "221 Bye"}, &server);
        QCOMPARE(className(result), QString("refused"));
        QCOMPARE(server->received, std::vector<std::string>{"QUIT"});
    }
    void silenceBeforeTheBannerIsATimeoutAndNothingIsSent() {
        ScriptedServer* server = nullptr;
        auto result = converse({"<timeout>"}, &server);
        QCOMPARE(className(result), QString("timeout"));
        QVERIFY(server->received.empty());
    }
    void hangAfterEhloIsATimeoutAndNothingMoreIsSent() {
        ScriptedServer* server = nullptr;
        auto result = converse({"220 mx", "<timeout>"}, &server);
        QCOMPARE(className(result), QString("timeout"));
        QCOMPARE(server->received.size(), std::size_t(1));
    }
    void closeAtRcptIsDroppedAndNothingMoreIsSent() {
        ScriptedServer* server = nullptr;
        auto result = converse(kGreeting, &server);
        QCOMPARE(className(result), QString("dropped"));
        QCOMPARE(server->received.back(), std::string("RCPT TO:<relay-test@example.net>"));
    }
    void nonSmtpBannerIsInconclusiveOutOfProtocol() {
        auto result = converse({"HTTP/1.1 400 Bad Request"});
        QCOMPARE(className(result), QString("inconclusive"));
        QVERIFY(result.reason.find("out of protocol") != std::string::npos);
    }
    void endlessMultilineReplyStopsAtTheLineLimit() {
        std::vector<std::string> flood(kMaxReplyLines + 50, "220-flood");
        auto result = converse(flood);
        QCOMPARE(className(result), QString("inconclusive"));
        QVERIFY(result.transcript.size() <= kMaxReplyLines + 3);
    }
    void overlongLineEndsTheDialogue() {
        auto result = converse({std::string(kMaxLineLength + 10, 'x')});
        QCOMPARE(className(result), QString("inconclusive"));
    }
    void ehloUnknownFallsBackToHelo() {
        ScriptedServer* server = nullptr;
        auto result = converse(
            {"220 mx", "502 5.5.2 Not implemented", "250 mx", "250 Ok", "554 Relay denied"},
            &server);
        QCOMPARE(server->received[1], std::string("HELO relayaudit-probe.example.com"));
        QVERIFY(!result.capabilities.esmtp);
        QCOMPARE(className(result), QString("refused"));
    }
    void ehloRecordsStarttlsAuthAndSize() {
        auto caps = capabilitiesOf(reply({"250-mx", "250-SIZE 10240000", "250-AUTH PLAIN LOGIN",
                                          "250-AUTH=LOGIN", "250 STARTTLS"}));
        QVERIFY(caps.startTls);
        QCOMPARE(caps.authMechanisms, (std::vector<std::string>{"PLAIN", "LOGIN"}));
        QCOMPARE(caps.sizeLimit.value_or(1), std::uint64_t(10240000));
    }
    void multilineReplyWithChangingCodeIsMalformed() {
        QCOMPARE(int(reply({"250-a", "251 b"}).status), int(ReplyStatus::Malformed));
    }
    void enhancedCodeIsReadFromTheFirstLine() {
        QCOMPARE(reply({"554 5.7.1 denied"}).enhancedCode(), std::string("5.7.1"));
        QCOMPARE(reply({"554 denied"}).enhancedCode(), std::string());
    }
    void authInitialResponseIsMasked() {
        QCOMPARE(maskCredentials("AUTH PLAIN AHRlc3QAc2VjcmV0"), std::string("AUTH PLAIN ****"));
        QCOMPARE(maskCredentials("AUTH LOGIN"), std::string("AUTH LOGIN"));
        QCOMPARE(maskCredentials("MAIL FROM:<a@b>"), std::string("MAIL FROM:<a@b>"));
    }
    void neverSendsDataOrBdat() {
        for (auto script :
             {greetingThen({"250 Ok", "250 Ok", "221 Bye"}), greetingThen({"354 go ahead"}),
              std::vector<std::string>{"220 mx", "354 x"}}) {
            ScriptedServer* server = nullptr;
            converse(script, &server);
            for (const auto& command : server->received) {
                QVERIFY(command.rfind("DATA", 0) != 0);
                QVERIFY(command.rfind("BDAT", 0) != 0);
            }
        }
    }
    void guestAcceptingRandomCredentialsThenRelayingIsRecorded() {
        ScriptedServer* server = nullptr;
        auto result = converse({"220 mx", "250-mx", "250 AUTH PLAIN LOGIN", "250 Ok",
                                "554 5.7.1 Relay denied", "250 Ok", "235 2.7.0 Authenticated",
                                "250 Ok", "250 2.1.5 Ok", "250 Ok", "221 Bye"},
                               &server, true);
        QCOMPARE(className(result), QString("refused")); // the unauthenticated verdict stays
        QVERIFY(result.guest.attempted && result.guest.accepted);
        QVERIFY(result.guest.relayClass == ProbeClass::OpenRelay);
        QVERIFY(server->received[4].rfind("AUTH PLAIN ", 0) == 0);
        bool masked = false;
        for (const auto& line : result.transcript) {
            QVERIFY(line.text.find(server->received[4].substr(11)) == std::string::npos);
            masked = masked || line.text == "AUTH PLAIN ****";
        }
        QVERIFY(masked);
        QCOMPARE(server->received.back(), std::string("QUIT"));
    }
    void guestAuthLoginContinuationLinesAreMasked() {
        ScriptedServer* server = nullptr;
        auto result = converse({"220 mx", "250-mx", "250 AUTH LOGIN", "250 Ok", "554 denied",
                                "250 Ok", "334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6",
                                "535 5.7.8 authentication failed", "250 Ok", "221 Bye"},
                               &server, true);
        QVERIFY(result.guest.attempted && !result.guest.accepted);
        QCOMPARE(result.guest.authCode, 535);
        int secrets = 0;
        for (const auto& line : result.transcript)
            secrets += line.text == "****";
        QCOMPARE(secrets, 2);
        QCOMPARE(server->received[4], std::string("AUTH LOGIN"));
    }
    void guestIsNotTriedWithoutTheOption() {
        ScriptedServer* server = nullptr;
        auto result = converse(
            {"220 mx", "250-mx", "250 AUTH PLAIN", "250 Ok", "554 denied", "250 Ok", "221 Bye"},
            &server);
        QVERIFY(!result.guest.attempted);
        for (const auto& command : server->received)
            QVERIFY(command.rfind("AUTH", 0) != 0);
    }
    void starttlsThatCannotBeEstablishedStopsBeforeMail() {
        auto server = std::make_unique<ScriptedServer>(std::vector<std::string>{
            "220 mx", "250-mx", "250-AUTH PLAIN", "250 STARTTLS", "220 2.0.0 Ready"});
        ProbeResult result;
        DialogueSettings settings;
        settings.startTls = true;
        runDialogue(*server, settings, result);
        QCOMPARE(QString::fromStdString(result.tls.state), QString("failed"));
        QCOMPARE(className(result), QString("inconclusive"));
        QCOMPARE(server->received.back(), std::string("STARTTLS"));
        QCOMPARE(result.capabilities.authMechanisms, std::vector<std::string>{"PLAIN"});
    }
    void starttlsNotOfferedContinuesInClearText() {
        auto server = std::make_unique<ScriptedServer>(std::vector<std::string>{
            "220 mx", "250 mx", "250 Ok", "554 denied", "250 Ok", "221 Bye"});
        ProbeResult result;
        DialogueSettings settings;
        settings.startTls = true;
        runDialogue(*server, settings, result);
        QCOMPARE(QString::fromStdString(result.tls.state), QString("not-offered"));
        QCOMPARE(className(result), QString("refused"));
    }
    void bypassFormsAreTheFourClassicShapes() {
        auto forms = bypassForms("relay-test@example.net", "[192.0.2.5]");
        QCOMPARE(forms.size(), std::size_t(4));
        QCOMPARE(forms[0].address, std::string("relay-test%example.net@[192.0.2.5]"));
        QCOMPARE(forms[1].address, std::string("\"relay-test@example.net\"@[192.0.2.5]"));
        QCOMPARE(forms[2].address, std::string("example.net!relay-test@[192.0.2.5]"));
        QCOMPARE(forms[3].address, std::string("@[192.0.2.5]:relay-test@example.net"));
        QVERIFY(bypassForms("relay-test@example.net", "").empty());
    }
    void formsEachGetRsetMailRcptAndNeverData() {
        std::vector<std::string> script = greetingThen({"554 denied"});
        for (int i = 0; i < 4; ++i)
            script.insert(script.end(),
                          {"250 Ok", "250 Ok", i == 0 ? "250 2.1.5 Ok" : "554 denied"});
        script.insert(script.end(), {"250 Ok", "221 Bye"});
        auto server = std::make_unique<ScriptedServer>(script);
        ProbeResult result;
        DialogueSettings settings;
        settings.tryForms = true;
        settings.targetDomain = "mx.test";
        runDialogue(*server, settings, result);
        QCOMPARE(result.forms.size(), std::size_t(4));
        QVERIFY(result.forms[0].probeClass == ProbeClass::OpenRelay);
        QVERIFY(result.forms[1].probeClass == ProbeClass::Refused);
        QCOMPARE(server->received[3], std::string("RSET"));
        QCOMPARE(server->received[5], std::string("RCPT TO:<relay-test%example.net@mx.test>"));
        for (const auto& command : server->received)
            QVERIFY(command.rfind("DATA", 0) != 0 && command.rfind("BDAT", 0) != 0);
        QCOMPARE(server->received.back(), std::string("QUIT"));
    }
    void endpointsParseWithAndWithoutPort() {
        QCOMPARE(parseEndpoint("mx.example.com")->key(), std::string("mx.example.com:25"));
        QCOMPARE(parseEndpoint("127.0.0.1:2525")->key(), std::string("127.0.0.1:2525"));
        QCOMPARE(parseEndpoint("[::1]:587")->key(), std::string("[::1]:587"));
        QVERIFY(!parseEndpoint("host:0"));
        QVERIFY(!parseEndpoint("host:70000"));
        QVERIFY(!parseEndpoint("a b"));
        QVERIFY(!parseEndpoint(""));
    }
    void probeMapNeedsNameAndAddress() {
        ProbeSettings settings;
        QVERIFY(addAddressMapping("EXCH1=127.0.0.1", settings));
        QVERIFY(!addAddressMapping("=127.0.0.1", settings));
        QVERIFY(!addAddressMapping("EXCH1=", settings));
    }
};

QTEST_GUILESS_MAIN(TestProbeDialogue)
#include "tst_probe_dialogue.moc"
