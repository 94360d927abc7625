#include "mail_report.h"

#include "atomic_file.h"
#include "cli.h"
#include "mail_message.h"
#include "pipeline.h"
#include "run_failure.h"
#include "sendmail.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>

namespace relayaudit {

namespace {

// New findings at or above the threshold: what "--mail-when new" waits for. Without a previous
// run (--history, --baseline) nothing can be told apart, so every current finding counts as new,
// and the summary says so.
long newAtThreshold(const MailedRun& run) {
    if (!run.report.comparison.enabled)
        return run.atThreshold;
    return static_cast<long>(std::count_if(
        run.report.findings.begin(), run.report.findings.end(), [&](const Finding& finding) {
            return finding.change == "new" && finding.severity() >= run.threshold;
        }));
}

bool isDue(const MailOptions& options, const MailedRun& run) {
    if (options.to.empty())
        return false;
    const auto& when = options.when;
    return when == "always" || (when == "findings" && run.exitCode == kExitFindings) ||
           (when == "new" && newAtThreshold(run) > 0) ||
           (when == "failure" && run.exitCode == kExitFailure);
}

// RFC 5322 date; SOURCE_DATE_EPOCH fixes it like every other time relayaudit prints.
std::string mailDate() {
    std::time_t now = std::time(nullptr);
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"))
        now = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
    std::tm parts{};
    gmtime_r(&now, &parts);
    static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char text[48];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[parts.tm_wday],
                  parts.tm_mday, kMonths[parts.tm_mon], parts.tm_year + 1900, parts.tm_hour,
                  parts.tm_min, parts.tm_sec);
    return text;
}

MailMessage addressed(const MailOptions& options) {
    MailMessage message;
    message.from = options.from;
    message.to = splitAddresses(options.to);
    message.date = mailDate();
    return message;
}

void deliver(const MailOptions& options, const MailMessage& message) {
    std::string text = renderMailMessage(message);
    if (!options.outbox.empty()) {
        if (auto problem = writeFileAtomically(options.outbox, text))
            throw RunFailure{"cannot write the mail to --mail-outbox: " + *problem};
        return;
    }
    auto program = sendmailProgram(options.sendmail);
    if (auto problem = runSendmail(program, text, options.from))
        throw RunFailure{"the mail was not sent: " + *problem};
}

std::string summaryText(const MailOptions& options, const MailedRun& run) {
    const auto& report = run.report;
    std::string text = "relayaudit " + report.run.toolVersion + ", audit of " + report.run.target +
                       " at " + report.run.generatedAt + "\n\n";
    text += run.exitCode == kExitFindings
                ? "Verdict: ACTION NEEDED - " + std::to_string(run.atThreshold) +
                      " finding(s) at or above " + toString(run.threshold) + "\n"
                : std::string("Verdict: nothing at or above ") + toString(run.threshold) + "\n";
    std::map<Severity, int> counts;
    for (const auto& finding : report.findings)
        ++counts[finding.severity()];
    text += "Findings: " + std::to_string(report.findings.size()) + " in all";
    for (auto severity : {Severity::Critical, Severity::Error, Severity::Warning,
                          Severity::NonDefault, Severity::Info})
        if (counts[severity] > 0)
            text += ", " + std::to_string(counts[severity]) + " " + toString(severity);
    text += "\nManual checks: " + std::to_string(report.manualChecks.size()) + "\n";
    if (report.comparison.enabled)
        text += "Since the last run: " + std::to_string(report.comparison.newFindings) + " new, " +
                std::to_string(report.comparison.resolved.size()) + " resolved\n";
    else if (options.when == "new")
        text += "New and resolved findings: not tracked (no --history or --baseline), so every "
                "current finding counts as new.\n";
    if (!run.htmlPath.empty())
        text += "Report: " + run.htmlPath + "\n";
    text += "The HTML and XML reports are attached.\n";
    if (!report.findings.empty()) {
        text += "\n";
        for (const auto& finding : report.findings)
            text += std::string(toString(finding.severity())) +
                    (finding.change == "new" ? "  NEW  " : "  ") + finding.rule->id + "  " +
                    finding.object + "\n    " + finding.message + "\n";
    }
    return text;
}

} // namespace

void checkMailOptions(const MailOptions& options) {
    if (options.when != "always" && options.when != "findings" && options.when != "new" &&
        options.when != "failure")
        throw RunFailure{"--mail-when '" + options.when +
                         "' is not known; use always, findings, new or failure"};
    // Without --mail-to nothing is mailed; --mail-outbox is still accepted (the unit always
    // passes it) and only clears the outbox.
    if (options.to.empty())
        return;
    auto addresses = splitAddresses(options.to);
    if (addresses.empty())
        throw RunFailure{"--mail-to names no address"};
    for (const auto& address : addresses)
        checkMailAddress(address, "--mail-to");
    if (!options.from.empty())
        checkMailAddress(options.from, "--mail-from");
}

void mailReport(const MailOptions& options, const MailedRun& run) {
    if (!isDue(options, run)) {
        // A message left from an earlier run must not be sent for this one.
        if (!options.outbox.empty())
            std::remove(options.outbox.c_str());
        return;
    }
    auto message = addressed(options);
    message.subject = "relayaudit: " +
                      (run.exitCode == kExitFindings
                           ? std::to_string(run.atThreshold) + " finding(s) at or above " +
                                 toString(run.threshold)
                           : std::string("nothing at or above ") + toString(run.threshold)) +
                      " in " + run.report.run.target;
    message.text = summaryText(options, run);
    message.attachments = {{"relayaudit-report.html", "text/html; charset=utf-8", run.html},
                           {"relayaudit-report.xml", "application/xml", run.xml}};
    deliver(options, message);
}

std::string mailFailure(const MailOptions& options, const std::string& error) {
    try {
        checkMailOptions(options); // the failure may be a bad address: then mail nobody
    } catch (const RunFailure&) {
        return {};
    }
    if (options.to.empty() || (options.when != "failure" && options.when != "always")) {
        if (!options.outbox.empty())
            std::remove(options.outbox.c_str());
        return {};
    }
    try {
        auto message = addressed(options);
        message.subject = "relayaudit FAILED: " + error.substr(0, 120);
        message.text = std::string("relayaudit ") + toolVersion() +
                       " could not finish its run:\n\n" + error +
                       "\n\nNo report was written or changed by this run.\n";
        deliver(options, message);
        return {};
    } catch (const RunFailure& failure) {
        return "; the failure mail was not sent either: " + failure.message;
    }
}

} // namespace relayaudit
