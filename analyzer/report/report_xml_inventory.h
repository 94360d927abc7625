#pragma once
#include "audit_model.h"
#include "xml_writer.h"

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace relayaudit {

// How format 3 gives each DN once: an inventory item under an earlier item (a virtual server
// under its server) writes its DN relative to it (in="ID" rdn="..."; the DN is rdn + "," + the
// DN of item ID), others write dn="..."; a finding on an inventory object names the item
// (item="ID") instead of repeating its DN in object="...". Only items something refers to get an
// id (their 1-based place in the inventory).
class InventoryLayout {
public:
    InventoryLayout(const std::vector<InventoryItem>& inventory, const AuditReport& report);
    // Writes item="ID" for an inventory object, else object="DN" (empty for forest-wide ones).
    // The finding must be one of the report's (or its waivers'): its item was found once, here.
    void writeObjectOf(XmlWriter& xml, const Finding& finding) const;
    void writeInventory(XmlWriter& xml) const;
    // Whether a reader derives the finding's objectName from its item (format 4): it names an
    // item, and objectName is that item's name, after "SERVER: " when the item it is in is a
    // server named SERVER (the engine's default name, "server: name").
    bool objectNameFollowsFromItem(const Finding& finding) const;

private:
    static constexpr std::size_t kNone = std::size_t(-1);
    std::size_t itemWithDn(std::string_view dn) const; // the first item with that DN, or kNone
    void addItem(std::string_view dn, std::size_t item);
    std::size_t itemOf(const Finding& finding) const; // kNone: not an inventory object
    const std::vector<InventoryItem>& inventory_;
    // The items by DN: one table of slots (open addressing) with each DN's hash, rather than a
    // node per item; the layout is on the path to the first finding written, and building it
    // took 14-20 ms of the XML report at 10,000 virtual servers.
    struct DnSlot {
        std::size_t hash = 0;
        std::size_t item = kNone; // kNone: free
    };
    std::vector<DnSlot> itemByDn_; // a power of two in size, at most half used
    std::size_t dnsUsed_ = 0;
    // Whether some item's DN has this length: most suffixes tried for a parent have none, and
    // skipping them saves hashing a long string for each comma of each DN.
    std::vector<bool> dnLengthSeen_;
    // The item of each of the report's findings, by its place in report.findings (+1; 0: none),
    // and of the waivers' accepted findings, which live elsewhere.
    const Finding* firstFinding_ = nullptr;
    std::vector<std::uint32_t> itemOfReportFinding_;
    std::unordered_map<const Finding*, std::size_t> itemOfAcceptedFinding_;
    std::vector<std::size_t> parent_;    // kNone: the DN is given whole
    std::vector<std::size_t> rdnLength_; // with a parent
    std::vector<bool> hasId_;
};

} // namespace relayaudit
