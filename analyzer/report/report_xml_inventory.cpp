// The XML report without repeated DNs (format 3): at 10,000 virtual servers the full DN of every
// inventory item was 4.9 MB and the findings' DNs 2.0 MB of a 10.7 MB report, though each object
// is one item of the inventory and sits under a server that is another.
#include "report_xml_inventory.h"

namespace relayaudit {

namespace {

// Hashes of every suffix of a DN, from the right in one pass (hash[i] covers dn[i..]), so that
// trying each "," of a DN as the start of its parent's DN costs a table probe, not hashing the
// rest of the DN again. A key mixes in the length; equal keys are confirmed by comparing text.
void suffixHashes(std::string_view dn, std::vector<std::uint64_t>& hash) {
    constexpr std::uint64_t kMultiplier = 0x100000001B3ull;
    hash.assign(dn.size() + 1, 0);
    for (std::size_t i = dn.size(); i-- > 0;)
        hash[i] = hash[i + 1] * kMultiplier + static_cast<unsigned char>(dn[i]) + 1;
}

std::uint64_t keyOf(std::uint64_t hash, std::size_t length) {
    return hash ^ (std::uint64_t(length) * 0x9E3779B97F4A7C15ull);
}

} // namespace

std::size_t InventoryLayout::itemWithDn(std::string_view dn, std::uint64_t key) const {
    auto byKey = itemByKey_.find(key);
    if (byKey == itemByKey_.end())
        return kNone;
    if (inventory_[byKey->second].dn == dn)
        return byKey->second;
    auto byDn = itemByDn_.find(dn); // two DNs with one key: the text decides
    return byDn == itemByDn_.end() ? kNone : byDn->second;
}

InventoryLayout::InventoryLayout(const std::vector<InventoryItem>& inventory,
                                 const AuditReport& report)
    : inventory_(inventory), parent_(inventory.size(), kNone), rdnLength_(inventory.size(), 0),
      hasId_(inventory.size(), false) {
    itemByDn_.reserve(inventory.size());
    itemByKey_.reserve(inventory.size());
    std::vector<std::uint64_t> hash;
    for (std::size_t i = 0; i < inventory.size(); ++i) {
        std::string_view dn = inventory[i].dn;
        if (dn.empty())
            continue;
        suffixHashes(dn, hash);
        // The longest proper suffix after an unescaped "," that an earlier item has as its DN.
        // (Cutting at a "\," would rebuild the DN exactly too; skipping it keeps rdn readable.)
        for (std::size_t comma = dn.find(','); comma != std::string_view::npos;
             comma = dn.find(',', comma + 1)) {
            if (comma > 0 && dn[comma - 1] == '\\')
                continue;
            const std::size_t start = comma + 1;
            auto found = itemWithDn(dn.substr(start), keyOf(hash[start], dn.size() - start));
            if (found != kNone) {
                parent_[i] = found;
                rdnLength_[i] = comma;
                hasId_[found] = true;
                break;
            }
        }
        itemByDn_.emplace(dn, i);
        itemByKey_.emplace(keyOf(hash[0], dn.size()), i);
    }
    itemOfFinding_.reserve(report.findings.size());
    auto mark = [&](const Finding& finding) {
        std::string_view dn = finding.object;
        suffixHashes(dn, hash);
        if (auto found = itemWithDn(dn, keyOf(hash[0], dn.size())); found != kNone) {
            hasId_[found] = true;
            itemOfFinding_.emplace(&finding, found);
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
