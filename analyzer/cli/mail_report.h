#pragma once
// --mail-to: decides whether a run is mailed (--mail-when), writes the summary, and hands the
// message to sendmail or leaves it in --mail-outbox for relayaudit-mail.service.
#include "audit_model.h"
#include "options.h"

#include <string>

namespace relayaudit {

// Checked before any work: addresses and --mail-when. Throws RunFailure.
void checkMailOptions(const MailOptions& options);

// One finished run, as the mail tells it.
struct MailedRun {
    const AuditReport& report;
    Severity threshold;
    long atThreshold;       // findings at or above the threshold
    long manualAtThreshold; // manual checks at or above it
    int exitCode;           // kExitClean or kExitFindings
    std::string htmlPath;   // --html, to name in the summary ("" if none)
    std::string html;
    std::string xml;
};

// Mails the run when --mail-when says so; clears a stale outbox otherwise. Throws RunFailure
// when the message cannot be handed over.
void mailReport(const MailOptions& options, const MailedRun& run);

// A failed run: mails the error when --mail-when is failure or always. Returns a note for the
// error message when that mail could not be sent either ("" otherwise); never throws.
std::string mailFailure(const MailOptions& options, const std::string& error);

} // namespace relayaudit
