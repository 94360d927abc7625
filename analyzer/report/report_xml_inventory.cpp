// The XML report without repeated DNs (format 3): at 10,000 virtual servers the full DN of every
// inventory item was 4.9 MB and the findings' DNs 2.0 MB of a 10.7 MB report, though each object
// is one item of the inventory and sits under a server that is another.
#include "report_xml_inventory.h"

namespace relayaudit {

InventoryLayout::InventoryLayout(const std::vector<InventoryItem>& inventory,
                                 const AuditReport& report)
    : inventory_(inventory), parent_(inventory.size(), kNone), rdnLength_(inventory.size(), 0),
      hasId_(inventory.size(), false) {
    itemByDn_.reserve(inventory.size());
    auto itemWithDn = [this](std::string_view dn) {
        if (dn.size() >= dnLengthSeen_.size() || !dnLengthSeen_[dn.size()])
            return itemByDn_.end();
        return itemByDn_.find(dn);
    };
    for (std::size_t i = 0; i < inventory.size(); ++i) {
        std::string_view dn = inventory[i].dn;
        if (dn.empty())
            continue;
        // The longest proper suffix after an unescaped "," that an earlier item has as its DN.
        // (Cutting at a "\," would rebuild the DN exactly too; skipping it keeps rdn readable.)
        for (std::size_t comma = dn.find(','); comma != std::string_view::npos;
             comma = dn.find(',', comma + 1)) {
            if (comma > 0 && dn[comma - 1] == '\\')
                continue;
            if (auto found = itemWithDn(dn.substr(comma + 1)); found != itemByDn_.end()) {
                parent_[i] = found->second;
                rdnLength_[i] = comma;
                hasId_[found->second] = true;
                break;
            }
        }
        itemByDn_.emplace(dn, i);
        if (dn.size() >= dnLengthSeen_.size())
            dnLengthSeen_.resize(dn.size() + 1, false);
        dnLengthSeen_[dn.size()] = true;
    }
    itemOfFinding_.reserve(report.findings.size());
    auto mark = [&](const Finding& finding) {
        if (auto found = itemWithDn(finding.object); found != itemByDn_.end()) {
            hasId_[found->second] = true;
            itemOfFinding_.emplace(&finding, found->second);
        }
    };
    for (const auto& finding : report.findings)
        mark(finding);
    for (const auto& outcome : report.waivers)
        for (const auto& finding : outcome.accepted)
            mark(finding);
}

void InventoryLayout::writeObjectOf(XmlWriter& xml, const Finding& finding) const {
    if (auto found = itemOfFinding_.find(&finding); found != itemOfFinding_.end())
        xml.attribute("item", found->second + 1);
    else
        xml.attribute("object", finding.object);
}

void InventoryLayout::writeInventory(XmlWriter& xml) const {
    xml.start("inventory");
    for (std::size_t i = 0; i < inventory_.size(); ++i) {
        const auto& item = inventory_[i];
        xml.start("item");
        if (hasId_[i])
            xml.attribute("id", i + 1);
        xml.attribute("kind", item.kind);
        if (parent_[i] != kNone) {
            xml.attribute("in", parent_[i] + 1);
            xml.attribute("rdn", std::string_view(item.dn).substr(0, rdnLength_[i]));
        } else {
            xml.attribute("dn", item.dn);
        }
        xml.attribute("name", item.name);
        xml.text(item.detail);
        xml.end();
    }
    xml.end();
}

bool InventoryLayout::objectNameFollowsFromItem(const Finding& finding) const {
    // The same item writeObjectOf named (found once, in the constructor).
    auto found = itemOfFinding_.find(&finding);
    if (found == itemOfFinding_.end())
        return false;
    std::string_view objectName = finding.objectName;
    std::string_view name = inventory_[found->second].name;
    std::size_t parent = parent_[found->second];
    if (parent == kNone || inventory_[parent].kind != "server")
        return objectName == name;
    std::string_view server = inventory_[parent].name;
    return objectName.size() == server.size() + 2 + name.size() && objectName.starts_with(server) &&
           objectName.substr(server.size(), 2) == ": " && objectName.ends_with(name);
}

} // namespace relayaudit
