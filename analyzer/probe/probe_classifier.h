#pragma once
// Turns one reply (or its absence) at one phase of the dialogue into a class, or says "go on".
// Pure: the unit tests drive it with scripted replies. The reply code decides first (2xx / 4xx /
// 5xx); the enhanced code and the text only refine a refusal into "TLS required" or
// "authentication required", because MTAs word those differently (Postfix, Exim, Exchange).
#include "probe_result.h"
#include "smtp_reply.h"

#include <optional>
#include <string>

namespace relayaudit::probe {

struct Verdict {
    ProbeClass probeClass;
    std::string reason;
};

// nullopt: the reply lets the dialogue continue (2xx/3xx before RCPT).
std::optional<Verdict> classifyReply(ProbePhase phase, const SmtpReply& reply);

} // namespace relayaudit::probe
