#include "html_escape.h"
#include "html_history_sections.h"

namespace relayaudit {

namespace {

constexpr std::size_t kObjectsShown = 20; // per waiver; a "*" waiver may cover thousands

std::string stateCell(const WaiverOutcome& outcome) {
    switch (outcome.state) {
    case WaiverState::Expired:
        return "<td class=\"waiver-expired\">Expired after " + htmlText(outcome.waiver.expires) +
               ": " + std::to_string(outcome.expiredMatches) +
               " finding(s) it named count again.</td>";
    case WaiverState::Stale:
        return "<td class=\"waiver-stale\">Stale: it matched no finding; remove it or fix its "
               "rule or object.</td>";
    case WaiverState::Active:
        break;
    }
    std::string cell = "<td class=\"waiver-active\">Covers " +
                       std::to_string(outcome.accepted.size()) + " finding(s):<ul>";
    for (std::size_t i = 0; i < outcome.accepted.size() && i < kObjectsShown; ++i) {
        const auto& finding = outcome.accepted[i];
        cell += "<li><span class=\"dn\">" +
                htmlText(finding.object.empty() ? std::string("(forest-wide)") : finding.object) +
                "</span></li>";
    }
    if (outcome.accepted.size() > kObjectsShown)
        cell += "<li class=\"muted\">+" + std::to_string(outcome.accepted.size() - kObjectsShown) +
                " more, see the XML report</li>";
    return cell + "</ul></td>";
}

} // namespace

void renderAcceptedRisks(std::string& out, const AuditReport& report) {
    if (!report.waiversGiven)
        return;
    out += "<section id=\"accepted-risks\" aria-labelledby=\"accepted-title\">\n"
           "<h2 id=\"accepted-title\">Accepted risks</h2>\n";
    if (report.waivers.empty()) {
        out += "<p class=\"muted\">The waiver file lists no waivers.</p>\n</section>\n";
        return;
    }
    out += "<p>Findings covered by a waiver are listed here only and do not count for the exit "
           "code.</p>\n<table class=\"waivers\">\n<thead><tr><th>Rule</th><th>Object</th>"
           "<th>Accepted by</th><th>Until</th><th>Why</th><th>State</th></tr></thead>\n<tbody>\n";
    for (const auto& outcome : report.waivers) {
        const Waiver& waiver = outcome.waiver;
        out += "<tr><td class=\"rule-id\">" + htmlText(waiver.rule) + "</td><td class=\"dn\">" +
               htmlText(waiver.object) + "</td><td>" + htmlText(waiver.owner) + "</td><td>" +
               htmlText(waiver.expires) + "</td><td>" + htmlText(waiver.reason) + "</td>" +
               stateCell(outcome) + "</tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

} // namespace relayaudit
