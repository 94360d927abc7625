#include "html_escape.h"
#include "html_sections.h"

#include <string_view>

namespace relayaudit {

void renderRunHeader(std::string& out, const RunInfo& run,
                     const std::vector<InventoryItem>& inventory) {
    out += "<header class=\"report-header\">\n<h1>Exchange relay audit</h1>\n<dl class=\"run\">\n";
    auto row = [&](std::string_view label, const std::string& valueHtml) {
        out += "<div><dt>";
        out += label;
        out += "</dt><dd>" + valueHtml + "</dd></div>\n";
    };
    row("Target", run.target.empty()
                      ? "<span class=\"muted\">(not given)</span>"
                      : "<span class=\"target\">" + htmlText(run.target) + "</span>");
    std::string domains;
    for (const auto& item : inventory)
        if (item.kind == "domain")
            domains += (domains.empty() ? "" : ", ") +
                       ("<span class=\"domain\">" +
                        htmlText(item.name.empty() ? item.dn : item.name) + "</span>");
    row("Domains audited",
        domains.empty()
            ? "<span class=\"muted\">none in the input (Guest accounts not checked)</span>"
            : domains);
    row("Generated", "<time>" + htmlText(run.generatedAt) + "</time>");
    row("Tool", "relayaudit " + htmlText(run.toolVersion));
    std::string packs;
    for (const auto& pack : run.packs) {
        if (!packs.empty())
            packs += "<br>";
        packs += htmlText(pack.name) + " " + htmlText(pack.version) + " <span class=\"muted\">(" +
                 htmlText(pack.source) + ")</span>";
    }
    row("Rule packs", packs.empty() ? "<span class=\"muted\">none</span>" : packs);
    std::string inputs;
    for (const auto& input : run.inputs)
        inputs += (inputs.empty() ? "" : "<br>") + ("<code>" + htmlText(input) + "</code>");
    if (!inputs.empty())
        row(run.inputs.size() == 1 ? "Input" : "Inputs", inputs);
    out += "</dl>\n";
    if (!run.notes.empty()) {
        out += "<ul class=\"notes\">\n";
        for (const auto& note : run.notes)
            out += "<li>" + htmlText(note) + "</li>\n";
        out += "</ul>\n";
    }
    out += "</header>\n";
}

} // namespace relayaudit
