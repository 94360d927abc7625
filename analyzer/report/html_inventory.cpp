#include "html_escape.h"
#include "html_sections.h"

#include <algorithm>
#include <utility>

namespace relayaudit {

namespace {

constexpr std::size_t kHtmlInventoryRowsPerKind = 50;

// "3 × virtual-server, 1 × domain": kinds in order of first appearance.
std::string tallyByKind(const std::vector<InventoryItem>& inventory) {
    std::vector<std::pair<std::string, std::size_t>> kinds;
    for (const auto& item : inventory) {
        auto it = std::find_if(kinds.begin(), kinds.end(),
                               [&](const auto& entry) { return entry.first == item.kind; });
        if (it == kinds.end())
            kinds.emplace_back(item.kind, 1);
        else
            ++it->second;
    }
    std::string out;
    for (std::size_t i = 0; i < kinds.size(); ++i)
        out += (i ? ", " : "") + std::to_string(kinds[i].second) + " × " + htmlText(kinds[i].first);
    return out;
}

} // namespace

void renderInventory(std::string& out, const std::vector<InventoryItem>& inventory) {
    out += "<section id=\"inventory\" aria-labelledby=\"inventory-title\">\n"
           "<h2 id=\"inventory-title\">What was examined</h2>\n";
    if (inventory.empty()) {
        out += "<p class=\"muted\">Nothing: the input held no Exchange objects.</p>\n</section>\n";
        return;
    }
    out += "<p class=\"tally\">" + tallyByKind(inventory) + "</p>\n";
    out += "<table class=\"inventory\">\n<thead><tr><th scope=\"col\">Kind</th>"
           "<th scope=\"col\">Name</th><th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n";
    // Capped per kind: a forest with 10,000 virtual servers must not make a 10,000-row page.
    std::vector<std::pair<std::string, std::size_t>> shownOfKind;
    std::size_t hidden = 0;
    for (const auto& item : inventory) {
        auto it = std::find_if(shownOfKind.begin(), shownOfKind.end(),
                               [&](const auto& entry) { return entry.first == item.kind; });
        if (it == shownOfKind.end())
            it = shownOfKind.insert(shownOfKind.end(), {item.kind, 0});
        if (it->second++ >= kHtmlInventoryRowsPerKind) {
            ++hidden;
            continue;
        }
        out += "<tr><td class=\"kind-cell\">" + htmlText(item.kind) +
               "</td><td><span class=\"object-name\">" + htmlText(item.name) +
               "</span><br><code class=\"dn\">" + htmlText(item.dn) + "</code></td><td>" +
               htmlText(item.detail) + "</td></tr>\n";
    }
    if (hidden > 0)
        out += "<tr class=\"more\"><td colspan=\"3\">+" + std::to_string(hidden) +
               " more, see the XML report</td></tr>\n";
    out += "</tbody>\n</table>\n</section>\n";
}

} // namespace relayaudit
