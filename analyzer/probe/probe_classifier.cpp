#include "probe_classifier.h"

#include "string_helpers.h"

#include <algorithm>
#include <cctype>

namespace relayaudit::probe {

namespace {

bool mentions(const std::string& text, std::string_view needle) {
    auto it =
        std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
        });
    return it != text.end();
}

bool demandsTls(const SmtpReply& reply) {
    auto text = reply.text();
    return (reply.code == 530 || reply.code / 100 == 5) &&
           (mentions(text, "STARTTLS") || mentions(text, "TLS required") ||
            mentions(text, "encryption required"));
}

bool demandsAuthentication(const SmtpReply& reply) {
    auto text = reply.text();
    if (reply.code == 530)
        return true; // RFC 4954 §6: 530 5.7.0 Authentication required
    return reply.code / 100 == 5 &&
           (mentions(text, "authentication required") ||
            mentions(text, "authentication is required") || mentions(text, "must authenticate") ||
            mentions(text, "not authenticated"));
}

std::string quoted(const SmtpReply& reply) {
    return "\"" + (reply.lines.empty() ? std::string() : reply.lines.front()) + "\"";
}

Verdict outOfProtocol(ProbePhase phase, const SmtpReply& reply) {
    std::string at(toString(phase));
    switch (reply.status) {
    case ReplyStatus::Closed:
        return {ProbeClass::Dropped, "the server closed the connection without a reply at " + at};
    case ReplyStatus::Timeout:
        return {ProbeClass::Timeout, "no complete reply before the deadline at " + at};
    case ReplyStatus::TooLong:
        return {ProbeClass::Inconclusive,
                "out of protocol at " + at + ": the reply exceeded the size limits"};
    case ReplyStatus::Malformed:
        return {ProbeClass::Inconclusive,
                "out of protocol at " + at + ": not an SMTP reply: " + quoted(reply)};
    default:
        return {ProbeClass::Dropped, "the connection failed at " + at};
    }
}

} // namespace

std::optional<Verdict> classifyReply(ProbePhase phase, const SmtpReply& reply) {
    if (reply.status != ReplyStatus::Complete)
        return outOfProtocol(phase, reply);
    int kind = reply.code / 100;
    std::string at(toString(phase));
    if (phase == ProbePhase::Rcpt && kind == 2)
        return Verdict{ProbeClass::OpenRelay,
                       "RCPT to the outside address was accepted without authentication: " +
                           quoted(reply) + " (accepted at RCPT; delivery not verified)"};
    if (kind == 2)
        return std::nullopt;
    if (kind == 3) // no command of the probe expects an intermediate reply
        return Verdict{ProbeClass::Inconclusive,
                       "out of protocol at " + at + ": unexpected " + quoted(reply)};
    if (demandsTls(reply))
        return Verdict{ProbeClass::TlsRequired,
                       "the server requires STARTTLS first: " + quoted(reply) + " at " + at};
    if (phase != ProbePhase::Banner && demandsAuthentication(reply))
        return Verdict{ProbeClass::AuthRequired,
                       "the server requires authentication: " + quoted(reply) + " at " + at};
    if (kind == 4)
        return Verdict{ProbeClass::TemporaryRefusal,
                       "temporary refusal at " + at + ": " + quoted(reply)};
    if (phase == ProbePhase::Rcpt || phase == ProbePhase::Banner)
        return Verdict{ProbeClass::Refused, "refused at " + at + ": " + quoted(reply)};
    return Verdict{ProbeClass::Inconclusive,
                   "relay could not be tested: " + at + " was refused with " + quoted(reply)};
}

std::string_view toString(ProbePhase phase) {
    switch (phase) {
    case ProbePhase::Connect:
        return "connect";
    case ProbePhase::Banner:
        return "banner";
    case ProbePhase::Ehlo:
        return "EHLO";
    case ProbePhase::Mail:
        return "MAIL";
    case ProbePhase::Rcpt:
        return "RCPT";
    }
    return "?";
}

std::string_view toString(ProbeClass probeClass) {
    switch (probeClass) {
    case ProbeClass::OpenRelay:
        return "open-relay";
    case ProbeClass::Refused:
        return "refused";
    case ProbeClass::TemporaryRefusal:
        return "temporary-refusal";
    case ProbeClass::TlsRequired:
        return "tls-required";
    case ProbeClass::AuthRequired:
        return "auth-required";
    case ProbeClass::ConnectionRefused:
        return "connection-refused";
    case ProbeClass::Dropped:
        return "dropped";
    case ProbeClass::Timeout:
        return "timeout";
    case ProbeClass::Inconclusive:
        return "inconclusive";
    }
    return "?";
}

} // namespace relayaudit::probe
