#include "html_escape.h"
#include "html_sections.h"

namespace relayaudit {

void renderManualChecks(std::string& out, const std::vector<std::string>& checks) {
    out += "<section id=\"manual-checks\" aria-labelledby=\"manual-title\">\n"
           "<h2 id=\"manual-title\">Manual checks</h2>\n";
    if (checks.empty()) {
        out += "<p class=\"muted\">None: everything the rules need could be read.</p>\n";
    } else {
        out += "<p>The tool could not read or judge these; a person must check them.</p>\n"
               "<ul class=\"checks\">\n";
        for (const auto& check : checks)
            out += "<li>" + htmlText(check) + "</li>\n";
        out += "</ul>\n";
    }
    out += "</section>\n";
}

} // namespace relayaudit
