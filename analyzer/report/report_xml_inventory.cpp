// The XML report without repeated DNs (format 3): at 10,000 virtual servers the full DN of every
// inventory item was 4.9 MB and the findings' DNs 2.0 MB of a 10.7 MB report, though each object
// is one item of the inventory and sits under a server that is another.
#include "report_xml_inventory.h"

#include <functional>

namespace relayaudit {

std::size_t InventoryLayout::itemWithDn(std::string_view dn) const {
    if (dn.size() >= dnLengthSeen_.size() || !dnLengthSeen_[dn.size()])
        return kNone;
    const std::size_t hash = std::hash<std::string_view>{}(dn);
    const std::size_t mask = itemByDn_.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        const DnSlot& slot = itemByDn_[at];
        if (slot.item == kNone)
            return kNone;
        if (slot.hash == hash && inventory_[slot.item].dn == dn)
            return slot.item;
    }
}

// The first item of a DN keeps it (an item with the same DN later is written whole).
void InventoryLayout::addItem(std::string_view dn, std::size_t item) {
    const std::size_t hash = std::hash<std::string_view>{}(dn);
    const std::size_t mask = itemByDn_.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        DnSlot& slot = itemByDn_[at];
        if (slot.item == kNone) {
            slot = {hash, item};
            ++dnsUsed_;
            break;
        }
        if (slot.hash == hash && inventory_[slot.item].dn == dn)
            return;
    }
    if (dn.size() >= dnLengthSeen_.size())
        dnLengthSeen_.resize(dn.size() + 1, false);
    dnLengthSeen_[dn.size()] = true;
}

InventoryLayout::InventoryLayout(const std::vector<InventoryItem>& inventory,
                                 const AuditReport& report)
    : inventory_(inventory), parent_(inventory.size(), kNone), rdnLength_(inventory.size(), 0),
      hasId_(inventory.size(), false) {
    // Sized once for every item (at most half used): no rehash while the items go in.
    std::size_t slots = 64;
    while (slots < 2 * inventory.size())
        slots *= 2;
    itemByDn_.resize(slots);
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
            if (auto found = itemWithDn(dn.substr(comma + 1)); found != kNone) {
                parent_[i] = found;
                rdnLength_[i] = comma;
                hasId_[found] = true;
                break;
            }
        }
        addItem(dn, i);
    }
    firstFinding_ = report.findings.data();
    itemOfReportFinding_.assign(report.findings.size(), 0);
    for (std::size_t f = 0; f < report.findings.size(); ++f)
        if (auto found = itemWithDn(report.findings[f].object); found != kNone) {
            hasId_[found] = true;
            itemOfReportFinding_[f] = std::uint32_t(found + 1);
        }
    for (const auto& outcome : report.waivers)
        for (const auto& finding : outcome.accepted)
            if (auto found = itemWithDn(finding.object); found != kNone) {
                hasId_[found] = true;
                itemOfAcceptedFinding_.emplace(&finding, found);
            }
}

std::size_t InventoryLayout::itemOf(const Finding& finding) const {
    // std::less gives a total order over pointers into different arrays.
    const std::less<const Finding*> before;
    if (!before(&finding, firstFinding_) &&
        before(&finding, firstFinding_ + itemOfReportFinding_.size())) {
        const std::uint32_t item = itemOfReportFinding_[std::size_t(&finding - firstFinding_)];
        return item == 0 ? kNone : item - 1;
    }
    auto found = itemOfAcceptedFinding_.find(&finding);
    return found == itemOfAcceptedFinding_.end() ? kNone : found->second;
}

void InventoryLayout::writeObjectOf(XmlWriter& xml, const Finding& finding) const {
    if (auto item = itemOf(finding); item != kNone)
        xml.attribute("item", item + 1);
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
    const std::size_t item = itemOf(finding);
    if (item == kNone)
        return false;
    std::string_view objectName = finding.objectName;
    std::string_view name = inventory_[item].name;
    std::size_t parent = parent_[item];
    if (parent == kNone || inventory_[parent].kind != "server")
        return objectName == name;
    std::string_view server = inventory_[parent].name;
    return objectName.size() == server.size() + 2 + name.size() && objectName.starts_with(server) &&
           objectName.substr(server.size(), 2) == ": " && objectName.ends_with(name);
}

} // namespace relayaudit
