// The report mailed to administrators: one self-contained HTML file that must stay safe when the
// directory is hostile. Every directory string can be written by whoever controls an AD object,
// so nothing is emitted without escaping, the page carries no script, and a
// Content-Security-Policy allows only the one inline stylesheet, named by its hash.
#include "csp.h"
#include "embedded.h"
#include "reporters.h"
#include "strings.h"
#include "text_encoding.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

namespace {

// The HTML shows this many evidence rows per finding; the XML report keeps every row.
constexpr std::size_t kEvidenceCap = 20;

constexpr std::array kSeverityOrder = {Severity::Critical, Severity::Error, Severity::Warning,
                                       Severity::NonDefault, Severity::Info};

void appendEscapedChar(std::string& out, char c) {
    switch (c) {
    case '&':
        out += "&amp;";
        break;
    case '<':
        out += "&lt;";
        break;
    case '>':
        out += "&gt;";
        break;
    case '"':
        out += "&quot;";
        break;
    case '\'':
        out += "&#39;";
        break;
    default:
        out.push_back(c);
    }
}

// Escapes for both HTML text and quoted attribute values. Bytes that must be shown are written
// as \XX per byte, the same notation the XML report uses, so the two reports can be compared;
// in text they are wrapped in a span so they stand out from a DN's own backslash escapes.
std::string escape(std::string_view text, bool markVisible) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t codePoint = 0;
        std::size_t length = decodeUtf8(text, i, codePoint);
        if (length > 0 && !mustShowEscaped(codePoint)) {
            if (length == 1)
                appendEscapedChar(out, text[i]);
            else
                out.append(text.substr(i, length));
            i += length;
            continue;
        }
        std::size_t count = length > 0 ? length : 1;
        if (markVisible)
            out += "<span class=\"ctl\">";
        for (std::size_t k = 0; k < count; ++k) {
            auto byte = static_cast<unsigned char>(text[i + k]);
            out.push_back('\\');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0xF]);
        }
        if (markVisible)
            out += "</span>";
        i += count;
    }
    return out;
}

std::string html(std::string_view text) {
    return escape(text, true);
}
std::string attr(std::string_view text) {
    return escape(text, false);
}

// Only plain web links become clickable: javascript:, data:, file: and friends stay text, and
// so does anything with spaces or non-ASCII bytes that a mail filter might rewrite.
bool isWebLink(std::string_view url) {
    std::size_t scheme = startsWithIgnoreCase(url, "https://")  ? 8
                         : startsWithIgnoreCase(url, "http://") ? 7
                                                                : 0;
    if (scheme == 0 || url.size() == scheme)
        return false;
    for (char c : url)
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F)
            return false;
    return true;
}

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
    return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

const char* severityLabel(Severity severity) {
    switch (severity) {
    case Severity::Critical:
        return "Critical";
    case Severity::Error:
        return "Error";
    case Severity::Warning:
        return "Warning";
    case Severity::NonDefault:
        return "Non-default";
    case Severity::Info:
        return "Info";
    }
    return "Info";
}

const char* kindLabel(RuleKind kind) {
    switch (kind) {
    case RuleKind::Unsafe:
        return "unsafe";
    case RuleKind::NonDefault:
        return "non-default configuration";
    case RuleKind::CannotJudge:
        return "could not judge";
    case RuleKind::Info:
        return "information";
    }
    return "unsafe";
}

std::string_view embeddedCss() {
    for (const auto& file : embedded::files())
        if (file.name == "reports/report.css")
            return file.content;
    return {};
}

struct Tally {
    std::array<std::size_t, 5> fail{};
    std::array<std::size_t, 5> unknown{};
    std::size_t totalFail = 0;
    std::size_t totalUnknown = 0;
    std::size_t unsafeFail = 0;     // fail findings of kind unsafe
    std::size_t nonDefaultFail = 0; // fail findings of kind non-default
    const Finding* firstCritical = nullptr;
    const Finding* firstUnsafe = nullptr;
};

Tally tally(const std::vector<Finding>& findings) {
    Tally t;
    for (const auto& finding : findings) {
        const Rule& rule = *finding.rule;
        auto index = static_cast<std::size_t>(rule.severity);
        if (index >= t.fail.size())
            continue;
        if (rule.kind == RuleKind::CannotJudge) {
            t.unknown[index]++;
            t.totalUnknown++;
            continue;
        }
        t.fail[index]++;
        t.totalFail++;
        if (rule.kind == RuleKind::Unsafe) {
            t.unsafeFail++;
            if (!t.firstUnsafe)
                t.firstUnsafe = &finding;
        }
        if (rule.kind == RuleKind::NonDefault)
            t.nonDefaultFail++;
        if (rule.severity == Severity::Critical && !t.firstCritical)
            t.firstCritical = &finding;
    }
    return t;
}

struct Verdict {
    std::string cssClass;
    std::string sentence; // already escaped
};

// One sentence an administrator can act on without reading further; the class only colours it.
Verdict verdict(const AuditReport& report, const Tally& t) {
    std::size_t virtualServers = 0;
    for (const auto& item : report.inventory)
        if (item.kind == "virtual-server")
            ++virtualServers;
    std::string where = virtualServers > 0
                            ? " in " + plural(virtualServers, "virtual server", "virtual servers")
                            : "";
    std::string unknown = t.totalUnknown == 0 ? ""
                                              : "; " + plural(t.totalUnknown, "item", "items") +
                                                    " could not be judged";

    Verdict v;
    std::size_t critical = t.fail[static_cast<std::size_t>(Severity::Critical)];
    if (critical > 0) {
        std::size_t others = t.totalFail - critical;
        v.cssClass = "verdict-critical";
        v.sentence = html(plural(critical, "critical problem", "critical problems")) +
                     ", starting with “" + html(t.firstCritical->rule->title) + "” — fix " +
                     (critical == 1 ? "it" : "these") + " first";
        if (others > 0)
            v.sentence += "; " + plural(others, "other finding", "other findings") + " below";
        v.sentence += html(unknown) + ".";
    } else if (t.unsafeFail > 0) {
        v.cssClass = "verdict-problem";
        v.sentence = plural(t.unsafeFail, "relay problem", "relay problems") + " found" +
                     html(where) + "; the most severe is “" + html(t.firstUnsafe->rule->title) +
                     "”" + html(unknown) + ".";
    } else if (t.nonDefaultFail > 0) {
        v.cssClass = "verdict-nondefault";
        v.sentence = "No unsafe settings found" + html(where) + "; " +
                     plural(t.nonDefaultFail, "setting differs", "settings differ") +
                     " from the Exchange default" + html(unknown) + ".";
    } else if (t.totalUnknown > 0) {
        v.cssClass = "verdict-unknown";
        v.sentence = "No relay problems found" + html(where) + html(unknown) + " — check " +
                     (t.totalUnknown == 1 ? "it" : "them") + " by hand.";
    } else if (t.totalFail > 0) {
        // Only informational findings, such as "no Exchange configuration in the input": that
        // is not a clean bill of health, so the headline is neutral and names the note.
        v.cssClass = "verdict-unknown";
        v.sentence = "No problem to fix" + html(where) + ", but read " +
                     (t.totalFail == 1 ? std::string("the note below") : "the notes below") +
                     " first: “" + html(report.findings.front().rule->title) + "”.";
    } else if (virtualServers > 0) {
        v.cssClass = "verdict-ok";
        v.sentence = "No relay problems found" + html(where) + ".";
    } else {
        v.cssClass = "verdict-ok";
        v.sentence = "Nothing found.";
    }
    return v;
}

void renderHeader(std::string& out, const RunInfo& run) {
    out += "<header class=\"report-header\">\n<h1>Exchange relay audit</h1>\n<dl class=\"run\">\n";
    auto row = [&](std::string_view label, const std::string& valueHtml) {
        out += "<div><dt>";
        out += label;
        out += "</dt><dd>" + valueHtml + "</dd></div>\n";
    };
    row("Target", run.target.empty() ? "<span class=\"muted\">(not given)</span>"
                                     : "<span class=\"target\">" + html(run.target) + "</span>");
    row("Generated", "<time>" + html(run.generatedAt) + "</time>");
    row("Tool", "relayaudit " + html(run.toolVersion));
    std::string packs;
    for (const auto& pack : run.packs) {
        if (!packs.empty())
            packs += "<br>";
        packs += html(pack.name) + " " + html(pack.version) + " <span class=\"muted\">(" +
                 html(pack.source) + ")</span>";
    }
    row("Rule packs", packs.empty() ? "<span class=\"muted\">none</span>" : packs);
    std::string inputs;
    for (const auto& input : run.inputs)
        inputs += (inputs.empty() ? "" : "<br>") + ("<code>" + html(input) + "</code>");
    if (!inputs.empty())
        row(run.inputs.size() == 1 ? "Input" : "Inputs", inputs);
    out += "</dl>\n";
    if (!run.notes.empty()) {
        out += "<ul class=\"notes\">\n";
        for (const auto& note : run.notes)
            out += "<li>" + html(note) + "</li>\n";
        out += "</ul>\n";
    }
    out += "</header>\n";
}

void renderCounts(std::string& out, const Tally& t) {
    out += "<section id=\"summary\" aria-labelledby=\"summary-title\">\n"
           "<h2 id=\"summary-title\">Summary</h2>\n"
           "<table class=\"counts\">\n<thead><tr><th scope=\"col\">Severity</th>"
           "<th scope=\"col\" class=\"num\">Problems</th>"
           "<th scope=\"col\" class=\"num\">Could not judge</th></tr></thead>\n<tbody>\n";
    auto cell = [](std::size_t n) {
        return std::string(n == 0 ? "<td class=\"num zero\">" : "<td class=\"num\">") +
               std::to_string(n) + "</td>";
    };
    for (Severity severity : kSeverityOrder) {
        auto index = static_cast<std::size_t>(severity);
        out += "<tr><th scope=\"row\"><span class=\"badge sev-";
        out += toString(severity);
        out += "\">";
        out += severityLabel(severity);
        out += "</span></th>" + cell(t.fail[index]) + cell(t.unknown[index]) + "</tr>\n";
    }
    out += "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>" + cell(t.totalFail) +
           cell(t.totalUnknown) + "</tr></tfoot>\n</table>\n</section>\n";
}

std::string objectHtml(const Finding& finding) {
    if (finding.object.empty() && finding.objectName.empty())
        return "<span class=\"muted\">Forest-wide (no single object)</span>";
    std::string out;
    if (!finding.objectName.empty())
        out += "<span class=\"object-name\">" + html(finding.objectName) + "</span>";
    if (!finding.object.empty())
        out +=
            (out.empty() ? "" : " ") + ("<code class=\"dn\">" + html(finding.object) + "</code>");
    return out;
}

void renderIndex(std::string& out, const std::vector<Finding>& findings) {
    out += "<table class=\"index\">\n<thead><tr><th scope=\"col\">#</th>"
           "<th scope=\"col\">Severity</th><th scope=\"col\">Finding</th>"
           "<th scope=\"col\">Object</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Rule& rule = *findings[i].rule;
        std::string anchor = "finding-" + std::to_string(i + 1);
        out +=
            "<tr><td class=\"num\">" + std::to_string(i + 1) + "</td><td><span class=\"badge sev-";
        out += toString(rule.severity);
        out += "\">";
        out += severityLabel(rule.severity);
        out += "</span></td><td><a href=\"#" + anchor + "\">" + html(rule.title) + "</a>";
        if (rule.kind != RuleKind::Unsafe) {
            out += " <span class=\"kind kind-";
            out += toString(rule.kind);
            out += "\">";
            out += kindLabel(rule.kind);
            out += "</span>";
        }
        const auto& name =
            findings[i].objectName.empty() ? findings[i].object : findings[i].objectName;
        out += "</td><td>" + html(name) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
}

void renderEvidence(std::string& out, const std::vector<Evidence>& evidence) {
    if (evidence.empty())
        return;
    out += "<h4>Evidence</h4>\n<table class=\"evidence\">\n<thead><tr><th scope=\"col\">Attribute"
           "</th><th scope=\"col\">Observed</th><th scope=\"col\">Expected</th></tr></thead>\n"
           "<tbody>\n";
    std::size_t shown = std::min(evidence.size(), kEvidenceCap);
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& item = evidence[i];
        out += "<tr><td><code>" + html(item.attribute) + "</code></td><td class=\"observed\">" +
               html(item.observed) + "</td><td>" + html(item.expected) + "</td></tr>\n";
    }
    if (evidence.size() > shown)
        out += "<tr class=\"more\"><td colspan=\"3\">+" + std::to_string(evidence.size() - shown) +
               " more, see the XML report</td></tr>\n";
    out += "</tbody>\n</table>\n";
}

void renderReferences(std::string& out, const std::vector<Reference>& references) {
    if (references.empty())
        return;
    out += "<h4>References</h4>\n<ul class=\"refs\">\n";
    for (const auto& reference : references) {
        const std::string& label = reference.title.empty() ? reference.url : reference.title;
        out += "<li>";
        if (isWebLink(reference.url))
            out += "<a href=\"" + attr(reference.url) + "\" rel=\"noreferrer noopener\">" +
                   html(label) + "</a>";
        else
            out += html(label) + (reference.title.empty() || reference.url.empty()
                                      ? ""
                                      : " <code class=\"url\">" + html(reference.url) + "</code>");
        out += "</li>\n";
    }
    out += "</ul>\n";
}

// firstOfRule: the number of an earlier finding of the same rule, 0 if this is the first. The
// rule's prose is written once; later findings of the rule point to it, so a forest with many
// affected servers gives a report that can still be mailed.
void renderFinding(std::string& out, const Finding& finding, std::size_t number,
                   std::size_t firstOfRule) {
    const Rule& rule = *finding.rule;
    const char* severity = toString(rule.severity);
    const char* kind = toString(rule.kind);
    out += "<article class=\"finding sev-" + std::string(severity) + " kind-" + kind +
           "\" id=\"finding-" + std::to_string(number) + "\">\n<div class=\"finding-meta\">";
    out += "<span class=\"badge sev-" + std::string(severity) + "\">" +
           severityLabel(rule.severity) + "</span> <span class=\"kind kind-" + kind + "\">" +
           kindLabel(rule.kind) + "</span> <span class=\"rule-id\">" + html(rule.id) +
           "</span></div>\n";
    out += "<h3>" + html(rule.title) + "</h3>\n";
    out += "<p class=\"object\">" + objectHtml(finding) + "</p>\n";
    if (!finding.message.empty())
        out += "<p class=\"message\">" + html(finding.message) + "</p>\n";
    if (firstOfRule != 0) {
        renderEvidence(out, finding.evidence);
        out += "<p class=\"see-also\">Why it matters and how to fix it: see <a href=\"#finding-" +
               std::to_string(firstOfRule) + "\">finding " + std::to_string(firstOfRule) +
               "</a>, the same rule.</p>\n</article>\n";
        return;
    }
    if (!rule.why.empty())
        out += "<h4>Why it matters</h4>\n<p class=\"why\">" + html(rule.why) + "</p>\n";
    if (!rule.remediation.empty()) {
        out += "<h4>How to fix</h4>\n<ol class=\"steps\">\n";
        for (const auto& step : rule.remediation)
            out += "<li>" + html(step) + "</li>\n";
        out += "</ol>\n";
    }
    renderEvidence(out, finding.evidence);
    renderReferences(out, rule.references);
    out += "</article>\n";
}

void renderInventory(std::string& out, const std::vector<InventoryItem>& inventory) {
    out += "<section id=\"inventory\" aria-labelledby=\"inventory-title\">\n"
           "<h2 id=\"inventory-title\">What was examined</h2>\n";
    if (inventory.empty()) {
        out += "<p class=\"muted\">Nothing: the input held no Exchange objects.</p>\n</section>\n";
        return;
    }
    // A one-line tally by kind, in order of first appearance, before the full table.
    std::vector<std::pair<std::string, std::size_t>> kinds;
    for (const auto& item : inventory) {
        auto it = std::find_if(kinds.begin(), kinds.end(),
                               [&](const auto& entry) { return entry.first == item.kind; });
        if (it == kinds.end())
            kinds.emplace_back(item.kind, 1);
        else
            ++it->second;
    }
    out += "<p class=\"tally\">";
    for (std::size_t i = 0; i < kinds.size(); ++i)
        out += (i ? ", " : "") + std::to_string(kinds[i].second) + " × " + html(kinds[i].first);
    out += "</p>\n<table class=\"inventory\">\n<thead><tr><th scope=\"col\">Kind</th>"
           "<th scope=\"col\">Name</th><th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n";
    for (const auto& item : inventory)
        out += "<tr><td class=\"kind-cell\">" + html(item.kind) +
               "</td><td><span class=\"object-name\">" + html(item.name) +
               "</span><br><code class=\"dn\">" + html(item.dn) + "</code></td><td>" +
               html(item.detail) + "</td></tr>\n";
    out += "</tbody>\n</table>\n</section>\n";
}

void renderManualChecks(std::string& out, const std::vector<std::string>& checks) {
    out += "<section id=\"manual-checks\" aria-labelledby=\"manual-title\">\n"
           "<h2 id=\"manual-title\">Manual checks</h2>\n";
    if (checks.empty()) {
        out += "<p class=\"muted\">None: everything the rules need could be read.</p>\n";
    } else {
        out += "<p>The tool could not read or judge these; a person must check them.</p>\n"
               "<ul class=\"checks\">\n";
        for (const auto& check : checks)
            out += "<li>" + html(check) + "</li>\n";
        out += "</ul>\n";
    }
    out += "</section>\n";
}

} // namespace

std::string renderHtmlReport(const AuditReport& report) {
    std::string_view css = embeddedCss();
    Tally t = tally(report.findings);
    Verdict v = verdict(report, t);

    std::string out;
    out.reserve(32 * 1024);
    // The CSP is a meta element because the report is opened from disk or a mail attachment,
    // where no server can send headers. base-uri/form-action are not covered by default-src.
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src '" +
           cspHash(css) +
           "'; base-uri 'none'; form-action 'none'\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"generator\" content=\"relayaudit " +
           attr(report.run.toolVersion) + "\">\n<title>Exchange relay audit";
    if (!report.run.target.empty())
        out += " — " + html(report.run.target);
    out += "</title>\n<style>";
    out += css;
    out += "</style>\n</head>\n<body>\n";

    renderHeader(out, report.run);
    out += "<main>\n<p class=\"verdict " + v.cssClass + "\">" + v.sentence + "</p>\n";
    renderCounts(out, t);

    out += "<section id=\"findings\" aria-labelledby=\"findings-title\">\n"
           "<h2 id=\"findings-title\">Findings</h2>\n";
    if (report.findings.empty()) {
        out += "<p class=\"muted\">No rule fired.</p>\n";
    } else {
        if (report.findings.size() > 1)
            renderIndex(out, report.findings);
        std::map<const Rule*, std::size_t> firstFindingOf;
        for (std::size_t i = 0; i < report.findings.size();
             ++i) { // engine order: most severe first
            auto [first, isNew] = firstFindingOf.emplace(report.findings[i].rule, i + 1);
            renderFinding(out, report.findings[i], i + 1, isNew ? 0 : first->second);
        }
    }
    out += "</section>\n";

    renderInventory(out, report.inventory);
    renderManualChecks(out, report.manualChecks);
    out += "</main>\n<footer>\n<p>Generated by relayaudit " + html(report.run.toolVersion) +
           " at " + html(report.run.generatedAt) + ". Evidence tables here show at most " +
           std::to_string(kEvidenceCap) +
           " rows per finding; the XML report has every row and is the record to keep.</p>\n"
           "</footer>\n</body>\n</html>\n";
    return out;
}

} // namespace relayaudit
