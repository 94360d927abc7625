#include "html_labels.h"
#include "html_sections.h"

namespace relayaudit {

void renderSeverityCounts(std::string& out, const SeverityCounts& counts) {
    out += "<section id=\"summary\" aria-labelledby=\"summary-title\">\n"
           "<h2 id=\"summary-title\">Summary</h2>\n"
           "<table class=\"counts\">\n<thead><tr><th scope=\"col\">Severity</th>"
           "<th scope=\"col\" class=\"num\">Problems</th>"
           "<th scope=\"col\" class=\"num\">Could not judge</th></tr></thead>\n<tbody>\n";
    auto cell = [](std::size_t n) {
        return std::string(n == 0 ? "<td class=\"num zero\">" : "<td class=\"num\">") +
               std::to_string(n) + "</td>";
    };
    for (Severity severity : kSeveritiesMostSevereFirst) {
        auto index = static_cast<std::size_t>(severity);
        out += "<tr><th scope=\"row\"><span class=\"badge sev-";
        out += toString(severity);
        out += "\">";
        out += severityLabel(severity);
        out += "</span></th>" + cell(counts.fail[index]) + cell(counts.unknown[index]) + "</tr>\n";
    }
    out += "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>" + cell(counts.totalFail) +
           cell(counts.totalUnknown) + "</tr></tfoot>\n</table>\n</section>\n";
}

} // namespace relayaudit
