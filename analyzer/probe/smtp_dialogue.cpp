#include "smtp_dialogue.h"

#include "base64.h"
#include "probe_classifier.h"
#include "string_helpers.h"

#include <charconv>
#include <random>
#include <sstream>
#include <stdexcept>

namespace relayaudit::probe {

namespace {

using Direction = TranscriptLine::Direction;

std::string verbOf(std::string_view command) {
    auto space = command.find(' ');
    std::string verb(command.substr(0, space));
    for (auto& c : verb)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return verb;
}

class Dialogue {
public:
    Dialogue(SmtpTransport& transport, ProbeResult& result)
        : transport_(transport), result_(result) {}

    // false when the command could not be sent (connection gone, deadline passed).
    bool send(const std::string& command) {
        auto verb = verbOf(command);
        if (verb == "DATA" || verb == "BDAT")
            throw std::logic_error("the probe must never send " + verb);
        result_.transcript.push_back({Direction::Client, maskCredentials(command)});
        result_.commandsSent.push_back(verb);
        return transport_.writeLine(command);
    }

    SmtpReply receive() {
        auto reply = readReply(transport_);
        for (const auto& line : reply.lines)
            result_.transcript.push_back({Direction::Server, line});
        if (reply.status != ReplyStatus::Complete && reply.status != ReplyStatus::Malformed)
            note(std::string("(") + describe(reply.status) + ")");
        if (reply.status == ReplyStatus::Complete || reply.status == ReplyStatus::Malformed)
            usable_ = usable_ && reply.status == ReplyStatus::Complete;
        else
            usable_ = false;
        return reply;
    }

    // Sends and reads one reply; a failed send reads nothing and reports the connection as gone.
    SmtpReply exchange(const std::string& command) {
        if (!send(command)) {
            usable_ = false;
            note("(could not send: connection closed or deadline passed)");
            SmtpReply gone;
            gone.status = ReplyStatus::Closed;
            return gone;
        }
        return receive();
    }

    void decide(ProbePhase phase, const SmtpReply& reply, Verdict verdict) {
        result_.phase = phase;
        result_.probeClass = verdict.probeClass;
        result_.replyCode = reply.code;
        result_.reason = std::move(verdict.reason);
    }

    // RSET (inside a transaction) and QUIT, only while the server still speaks the protocol; a
    // server that timed out or closed gets nothing more.
    void closeOut(bool inTransaction) {
        if (inTransaction && usable_)
            exchange("RSET");
        if (usable_)
            exchange("QUIT");
    }

    // A credential line (AUTH LOGIN continuation): sent as is, recorded as "****".
    SmtpReply exchangeSecret(const std::string& line) {
        result_.transcript.push_back({Direction::Client, "****"});
        if (!transport_.writeLine(line)) {
            usable_ = false;
            SmtpReply gone;
            gone.status = ReplyStatus::Closed;
            return gone;
        }
        return receive();
    }

    bool usable() const { return usable_; }

    void note(std::string text) {
        result_.transcript.push_back({Direction::Note, std::move(text)});
    }

private:
    static const char* describe(ReplyStatus status) {
        switch (status) {
        case ReplyStatus::Closed:
            return "connection closed by the server";
        case ReplyStatus::Timeout:
            return "deadline passed without a complete reply";
        case ReplyStatus::TooLong:
            return "reply too long: stopped reading";
        default:
            return "connection failed";
        }
    }

    SmtpTransport& transport_;
    ProbeResult& result_;
    bool usable_ = true;
};

} // namespace

SmtpCapabilities capabilitiesOf(const SmtpReply& ehloReply) {
    SmtpCapabilities capabilities;
    capabilities.esmtp = true;
    for (std::size_t i = 1; i < ehloReply.lines.size(); ++i) {
        const auto& line = ehloReply.lines[i];
        if (line.size() <= 4)
            continue;
        std::istringstream words(line.substr(4));
        std::string keyword;
        words >> keyword;
        keyword = verbOf(keyword);
        if (keyword == "STARTTLS") {
            capabilities.startTls = true;
        } else if (keyword == "AUTH" || keyword == "AUTH=LOGIN") {
            // "AUTH=LOGIN" is the pre-RFC 4954 form some servers (Exchange among them) still send.
            auto offer = [&](std::string mechanism) {
                for (const auto& known : capabilities.authMechanisms)
                    if (known == mechanism)
                        return;
                if (capabilities.authMechanisms.size() < 32)
                    capabilities.authMechanisms.push_back(std::move(mechanism));
            };
            if (keyword == "AUTH=LOGIN")
                offer("LOGIN");
            std::string mechanism;
            while (words >> mechanism)
                offer(verbOf(mechanism));
        } else if (keyword == "SIZE") {
            std::string number;
            std::uint64_t value = 0;
            words >> number;
            auto parsed = std::from_chars(number.data(), number.data() + number.size(), value);
            capabilities.sizeLimit = parsed.ec == std::errc() ? value : 0;
        }
    }
    return capabilities;
}

std::string maskCredentials(std::string_view command) {
    auto verb = verbOf(command);
    if (verb != "AUTH")
        return std::string(command);
    // Keep "AUTH MECHANISM", mask any initial response (RFC 4954 §4).
    auto first = command.find(' ');
    auto second = command.find(' ', first + 1);
    if (second == std::string_view::npos)
        return std::string(command);
    return std::string(command.substr(0, second)) + " ****";
}

namespace {

bool offers(const SmtpCapabilities& capabilities, std::string_view mechanism) {
    for (const auto& offered : capabilities.authMechanisms)
        if (offered == mechanism)
            return true;
    return false;
}

std::string randomToken(std::size_t length) {
    static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device source;
    std::string token;
    for (std::size_t i = 0; i < length; ++i)
        token += kAlphabet[source() % (sizeof kAlphabet - 1)];
    return token;
}

// KB Q251149: with Guest enabled, Exchange 2000/2003 accepts any user name and password as Guest.
// A name and password that cannot exist; if AUTH succeeds, the same RCPT runs authenticated.
void tryGuestRelay(Dialogue& dialogue, const DialogueSettings& settings, ProbeResult& result) {
    auto& guest = result.guest;
    bool plain = offers(result.capabilities, "PLAIN");
    if (!plain && !offers(result.capabilities, "LOGIN"))
        return;
    guest.attempted = true;
    dialogue.exchange("RSET");
    std::string user = "relayaudit-" + randomToken(12);
    std::string password = randomToken(24);
    SmtpReply auth;
    if (plain) {
        auth = dialogue.exchange("AUTH PLAIN " + base64Encode(std::string(1, '\0') + user +
                                                              std::string(1, '\0') + password));
    } else {
        auth = dialogue.exchange("AUTH LOGIN");
        if (auth.status == ReplyStatus::Complete && auth.code == 334)
            auth = dialogue.exchangeSecret(base64Encode(user));
        if (auth.status == ReplyStatus::Complete && auth.code == 334)
            auth = dialogue.exchangeSecret(base64Encode(password));
    }
    guest.authCode = auth.code;
    guest.accepted = auth.status == ReplyStatus::Complete && auth.code / 100 == 2;
    if (!guest.accepted) {
        guest.reason = "random credentials refused";
        return;
    }
    auto mail = dialogue.exchange("MAIL FROM:<" + settings.mailFrom + ">");
    if (auto verdict = classifyReply(ProbePhase::Mail, mail)) {
        guest.relayClass = verdict->probeClass;
        guest.reason = "random credentials accepted; " + verdict->reason;
        return;
    }
    auto rcpt = dialogue.exchange("RCPT TO:<" + settings.rcptTo + ">");
    auto verdict = classifyReply(ProbePhase::Rcpt, rcpt);
    guest.relayClass = verdict->probeClass;
    guest.reason = "random credentials accepted; " + verdict->reason;
}

// STARTTLS when offered (RFC 3207), then EHLO again: a server may offer AUTH only inside TLS.
// false when the dialogue cannot go on (handshake or certificate check failed).
bool upgradeToTls(Dialogue& dialogue, SmtpTransport& transport, const DialogueSettings& settings,
                  ProbeResult& result) {
    auto& tls = result.tls;
    if (!result.capabilities.startTls) {
        tls.state = "not-offered";
        return true;
    }
    auto reply = dialogue.exchange("STARTTLS");
    if (reply.status != ReplyStatus::Complete || reply.code != 220) {
        tls.state = "refused";
        if (auto verdict = classifyReply(ProbePhase::Ehlo, reply);
            verdict && reply.status != ReplyStatus::Complete) {
            dialogue.decide(ProbePhase::Ehlo, reply, *verdict);
            return false;
        }
        return true;
    }
    if (!transport.startTls(tls.error)) {
        tls.state = "failed";
        dialogue.note("(" + tls.error + ")");
        dialogue.decide(ProbePhase::Ehlo, reply,
                        {ProbeClass::Inconclusive, "STARTTLS failed: " + tls.error});
        return false;
    }
    tls.state = "established";
    dialogue.note("(TLS established; certificate verified)");
    auto ehlo = dialogue.exchange("EHLO " + settings.heloName);
    if (auto verdict = classifyReply(ProbePhase::Ehlo, ehlo)) {
        dialogue.decide(ProbePhase::Ehlo, ehlo, *verdict);
        dialogue.closeOut(false);
        return false;
    }
    tls.capabilitiesAfter = capabilitiesOf(ehlo);
    return true;
}

// One RCPT per form, RSET and MAIL before each, stopping when the connection is gone.
void tryBypassForms(Dialogue& dialogue, const DialogueSettings& settings, ProbeResult& result) {
    for (auto form : bypassForms(settings.rcptTo, settings.targetDomain)) {
        if (!dialogue.usable())
            return;
        dialogue.exchange("RSET");
        auto mail = dialogue.exchange("MAIL FROM:<" + settings.mailFrom + ">");
        if (classifyReply(ProbePhase::Mail, mail))
            return;
        auto rcpt = dialogue.exchange("RCPT TO:<" + form.address + ">");
        form.probeClass = classifyReply(ProbePhase::Rcpt, rcpt)->probeClass;
        form.replyCode = rcpt.code;
        result.forms.push_back(std::move(form));
    }
}

} // namespace

std::vector<FormAttempt> bypassForms(const std::string& rcptTo, const std::string& targetDomain) {
    auto at = rcptTo.rfind('@');
    if (targetDomain.empty() || at == std::string::npos)
        return {};
    std::string local = rcptTo.substr(0, at), domain = rcptTo.substr(at + 1);
    return {{"percent-hack", local + "%" + domain + "@" + targetDomain},
            {"quoted-local-part", "\"" + rcptTo + "\"@" + targetDomain},
            {"bang-path", domain + "!" + local + "@" + targetDomain},
            {"source-route", "@" + targetDomain + ":" + rcptTo}};
}

void runDialogue(SmtpTransport& transport, const DialogueSettings& settings, ProbeResult& result) {
    Dialogue dialogue(transport, result);
    auto banner = dialogue.receive();
    if (auto verdict = classifyReply(ProbePhase::Banner, banner)) {
        dialogue.decide(ProbePhase::Banner, banner, *verdict);
        dialogue.closeOut(false);
        return;
    }
    auto ehlo = dialogue.exchange("EHLO " + settings.heloName);
    if (ehlo.status == ReplyStatus::Complete && (ehlo.code == 500 || ehlo.code == 502)) {
        // An SMTP server without extensions (RFC 5321 §4.1.4): fall back to HELO.
        ehlo = dialogue.exchange("HELO " + settings.heloName);
    } else if (ehlo.status == ReplyStatus::Complete && ehlo.code / 100 == 2) {
        result.capabilities = capabilitiesOf(ehlo);
    }
    if (auto verdict = classifyReply(ProbePhase::Ehlo, ehlo)) {
        dialogue.decide(ProbePhase::Ehlo, ehlo, *verdict);
        dialogue.closeOut(false);
        return;
    }
    if (settings.startTls && !upgradeToTls(dialogue, transport, settings, result))
        return;
    auto mail = dialogue.exchange("MAIL FROM:<" + settings.mailFrom + ">");
    if (auto verdict = classifyReply(ProbePhase::Mail, mail)) {
        dialogue.decide(ProbePhase::Mail, mail, *verdict);
        if (settings.tryGuest && dialogue.usable())
            tryGuestRelay(dialogue, settings, result);
        dialogue.closeOut(true);
        return;
    }
    auto rcpt = dialogue.exchange("RCPT TO:<" + settings.rcptTo + ">");
    auto verdict = classifyReply(ProbePhase::Rcpt, rcpt);
    dialogue.decide(ProbePhase::Rcpt, rcpt, *verdict); // RCPT always decides
    if (settings.tryForms && dialogue.usable())
        tryBypassForms(dialogue, settings, result);
    if (settings.tryGuest && dialogue.usable() && result.probeClass != ProbeClass::OpenRelay)
        tryGuestRelay(dialogue, settings, result);
    dialogue.closeOut(true);
}

} // namespace relayaudit::probe
