#include "html_evidence.h"

#include "html_escape.h"

#include <algorithm>

namespace relayaudit {

void renderEvidence(std::string& out, const std::vector<Evidence>& evidence) {
    if (evidence.empty())
        return;
    out += "<h4>Evidence</h4>\n<table class=\"evidence\">\n<thead><tr><th scope=\"col\">Attribute"
           "</th><th scope=\"col\">Observed</th><th scope=\"col\">Expected</th></tr></thead>\n"
           "<tbody>\n";
    std::size_t shown = std::min(evidence.size(), kHtmlEvidenceRowsShown);
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& item = evidence[i];
        out += "<tr><td><code>" + htmlText(item.attribute) + "</code></td><td class=\"observed\">" +
               htmlText(item.observed) + "</td><td>" + htmlText(item.expected) + "</td></tr>\n";
    }
    if (evidence.size() > shown)
        out += "<tr class=\"more\"><td colspan=\"3\">+" + std::to_string(evidence.size() - shown) +
               " more, see the XML report</td></tr>\n";
    out += "</tbody>\n</table>\n";
}

} // namespace relayaudit
