#include "probe_command.h"

#include "probe_snapshot.h"
#include "rules.h"
#include "run_failure.h"
#include "text_encoding.h"

#include <ostream>

namespace relayaudit {

namespace {

// A mailbox for MAIL FROM / RCPT TO: local@domain, printable, no spaces or angle brackets, so a
// value can never end the command and start another one (no "\r\nDATA").
void checkMailbox(const std::string& address, const char* option) {
    auto at = address.rfind('@');
    bool printable = !address.empty() && address.size() <= 254;
    for (char c : address)
        printable = printable && c > ' ' && c < 0x7f && c != '<' && c != '>';
    if (!printable || at == std::string::npos || at == 0 || at + 1 == address.size())
        throw RunFailure{std::string(option) + " '" + address +
                         "' is not a mailbox (local@domain, printable, without spaces or <>)"};
}

} // namespace

probe::ProbeSettings probeSettingsFrom(const ProbeOptions& options) {
    probe::ProbeSettings settings;
    checkMailbox(options.from, "--probe-from");
    checkMailbox(options.to, "--probe-to");
    settings.dialogue.mailFrom = options.from;
    settings.dialogue.rcptTo = options.to;
    settings.dialogue.tryGuest = options.guest;
    settings.dialogue.startTls = options.startTls;
    if (!options.forms.empty() && options.forms != "all")
        throw RunFailure{"--probe-forms '" + options.forms + "': the only value is 'all'"};
    settings.dialogue.tryForms = options.forms == "all";
    settings.caFile = options.caFile;
    if (options.timeoutSeconds < 1 || options.timeoutSeconds > 600)
        throw RunFailure{"--probe-timeout must be between 1 and 600 seconds"};
    if (options.parallel < 1 || options.parallel > 64)
        throw RunFailure{"--probe-parallel must be between 1 and 64"};
    settings.timeout = std::chrono::seconds(options.timeoutSeconds);
    settings.parallel = options.parallel;
    for (const auto& mapping : options.maps)
        if (!probe::addAddressMapping(mapping, settings))
            throw RunFailure{"--probe-map '" + mapping + "' is not NAME=ADDRESS"};
    return settings;
}

void printProbeResults(const std::vector<probe::ProbeResult>& results, std::ostream& out) {
    using Direction = probe::TranscriptLine::Direction;
    for (const auto& result : results) {
        out << terminalSafeText(result.endpoint.key()) << "  " << probe::toString(result.probeClass)
            << " (at " << probe::toString(result.phase);
        if (result.replyCode)
            out << ", reply " << result.replyCode;
        out << ", " << result.elapsedMilliseconds << " ms)\n";
        out << "  " << terminalSafeText(result.reason) << "\n";
        if (result.reached) {
            const auto& offered = result.capabilities;
            out << "  offered: " << (offered.esmtp ? "ESMTP" : "no ESMTP")
                << (offered.startTls ? ", STARTTLS" : ", no STARTTLS");
            if (!offered.authMechanisms.empty()) {
                out << ", AUTH";
                for (const auto& mechanism : offered.authMechanisms)
                    out << " " << terminalSafeText(mechanism);
            }
            if (offered.sizeLimit)
                out << ", SIZE " << *offered.sizeLimit;
            out << "\n";
        }
        if (result.tls.state != "not-tried") {
            out << "  STARTTLS: " << result.tls.state;
            if (!result.tls.error.empty())
                out << " (" << terminalSafeText(result.tls.error) << ")";
            if (result.tls.state == "established") {
                out << "; AUTH after TLS:";
                for (const auto& mechanism : result.tls.capabilitiesAfter.authMechanisms)
                    out << " " << terminalSafeText(mechanism);
            }
            out << "\n";
        }
        for (const auto& form : result.forms)
            out << "  form " << form.name << " <" << terminalSafeText(form.address)
                << ">: " << probe::toString(form.probeClass) << " (" << form.replyCode << ")\n";
        if (result.guest.attempted)
            out << "  guest: "
                << (result.guest.accepted ? "random credentials ACCEPTED" : "refused")
                << (result.guest.relayClass
                        ? std::string(", then ") +
                              std::string(probe::toString(*result.guest.relayClass))
                        : std::string())
                << "\n";
        for (const auto& line : result.transcript) {
            const char* mark = line.direction == Direction::Client   ? "C: "
                               : line.direction == Direction::Server ? "S: "
                                                                     : "   ";
            out << "    " << mark << terminalSafeText(line.text, 512) << "\n";
        }
    }
}

void probeSnapshotEndpoints(pugi::xml_document& snapshot, const RuleCatalogue& catalogue,
                            const ProbeOptions& options, std::ostream& err) {
    auto settings = probeSettingsFrom(options);
    auto listening = probe::endpointsOfSnapshot(snapshot);
    std::vector<probe::ProbeEndpoint> endpoints;
    for (const auto& entry : listening)
        endpoints.push_back(entry.endpoint);
    auto results = probe::probeEndpoints(endpoints, settings);
    err << "relayaudit: probed " << results.size() << " SMTP endpoint(s) (EHLO, MAIL, RCPT, RSET, "
        << "QUIT; never DATA)\n";
    probe::writeProbeResults(snapshot, listening, results, settings);
    // The configuration findings that say "anyone may relay here", per object: what the wire
    // confirms or contradicts.
    static const std::vector<std::string> kOpenRelayRules = {"EXS-RELAY-OPEN",
                                                             "EXR-RECV-ANONYMOUS-RELAY"};
    std::map<std::string, std::vector<std::string>> openFindings;
    for (const auto& finding : catalogue.evaluate(snapshot))
        for (const auto& id : kOpenRelayRules)
            if (finding.rule->id == id)
                openFindings[finding.object].push_back(id);
    probe::recordConfigurationVerdicts(snapshot, openFindings);
}

namespace {

std::string wireStatus(std::string_view probeClass, pugi::xml_node object) {
    bool reachedVerdict = probeClass == "open-relay" || probeClass == "refused" ||
                          probeClass == "auth-required" || probeClass == "tls-required" ||
                          probeClass == "temporary-refusal";
    if (!reachedVerdict)
        return "not reached";
    std::string_view says = object.attribute("configSaysOpen").value();
    if (says.empty())
        return "no verdict";
    bool wireOpen = probeClass == "open-relay";
    if (probeClass == "temporary-refusal")
        return says == "true" ? "not reached" : "consistent";
    return (says == "true") == wireOpen ? (wireOpen ? "confirmed" : "consistent") : "contradicted";
}

} // namespace

void addWireEvidence(const pugi::xml_document& snapshot, AuditReport& report) {
    auto probes = snapshot.child("snapshot").child("probes");
    if (!probes)
        return;
    report.probeStatement = std::string("Each endpoint was sent ") +
                            probes.attribute("sent").value() + "; MAIL FROM:<" +
                            probes.attribute("mailFrom").value() + ">, RCPT TO:<" +
                            probes.attribute("rcptTo").value() + ">.";
    for (auto endpoint : probes.children("endpoint")) {
        WireEvidence evidence;
        evidence.endpoint = endpoint.attribute("key").value();
        evidence.probeClass = endpoint.attribute("class").value();
        evidence.phase = endpoint.attribute("phase").value();
        evidence.reason = endpoint.attribute("reason").value();
        for (auto object : endpoint.children("object"))
            evidence.objects.push_back(
                {object.attribute("dn").value(), object.attribute("name").value(),
                 object.attribute("server").value(), object.attribute("configFindings").value(),
                 wireStatus(evidence.probeClass, object)});
        for (auto line : endpoint.children("line"))
            evidence.transcript.push_back(std::string(line.attribute("direction").value()) + ": " +
                                          line.child_value());
        report.wireEvidence.push_back(std::move(evidence));
    }
}

int runProbe(const ProbeCommandOptions& options, std::ostream& out) {
    auto settings = probeSettingsFrom(options.probe);
    std::vector<probe::ProbeEndpoint> endpoints;
    for (const auto& target : options.targets) {
        auto endpoint = probe::parseEndpoint(target);
        if (!endpoint)
            throw RunFailure{"--target '" + target + "' is not HOST[:PORT]"};
        endpoints.push_back(*endpoint);
    }
    auto results = probe::probeEndpoints(endpoints, settings);
    out << "Sent to each endpoint: EHLO, MAIL FROM:<" << settings.dialogue.mailFrom
        << ">, RCPT TO:<" << settings.dialogue.rcptTo
        << ">, RSET, QUIT. Never DATA or BDAT: no message can be delivered.\n\n";
    printProbeResults(results, out);
    for (const auto& result : results)
        for (const auto& form : result.forms)
            if (form.probeClass == probe::ProbeClass::OpenRelay)
                return 2;
    for (const auto& result : results)
        if (result.probeClass == probe::ProbeClass::OpenRelay ||
            result.guest.relayClass == probe::ProbeClass::OpenRelay)
            return 2;
    return 0;
}

} // namespace relayaudit
