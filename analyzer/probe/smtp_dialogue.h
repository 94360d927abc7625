#pragma once
// The probe's SMTP dialogue over an already connected transport: banner, EHLO (HELO when EHLO is
// not understood), MAIL FROM, RCPT TO, then RSET and QUIT. It never sends DATA or BDAT: the
// commands are fixed here, and sendCommand refuses those two verbs as a second guard, so no
// message can ever be delivered by a probe.
#include "probe_result.h"
#include "smtp_reply.h"

#include <string>

namespace relayaudit::probe {

struct DialogueSettings {
    std::string heloName = "relayaudit-probe.example.com";
    std::string mailFrom = "relayaudit-probe@example.com"; // RFC 2606 reserved domains
    std::string rcptTo = "relay-test@example.net";
    // --probe-guest: after an unauthenticated refusal, AUTH with random credentials (KB Q251149).
    bool tryGuest = false;
    // --probe-starttls: upgrade when offered, then EHLO again; MAIL/RCPT run inside TLS.
    bool startTls = false;
    // --probe-forms all: also the bypass forms, addressed to targetDomain (the endpoint's host,
    // "[192.0.2.1]" for an address); skipped when empty.
    bool tryForms = false;
    std::string targetDomain;
};

// The bypass forms of rcptTo ("relay-test@example.net") at targetDomain, in the order tried.
std::vector<FormAttempt> bypassForms(const std::string& rcptTo, const std::string& targetDomain);

// Runs the dialogue, appending to result (transcript, capabilities, commands) and setting its
// class, phase, reply code and reason.
void runDialogue(SmtpTransport& transport, const DialogueSettings& settings, ProbeResult& result);

// "AUTH PLAIN dGVzdA..." -> "AUTH PLAIN ****": the transcript never holds a credential.
std::string maskCredentials(std::string_view command);

// Parses the EHLO reply's extension lines into capabilities.
SmtpCapabilities capabilitiesOf(const SmtpReply& ehloReply);

} // namespace relayaudit::probe
