#pragma once
// Rewrites an XML report of format 4 as format 3 wrote it, deriving every value format 4 leaves
// out by the rules stated in schemas/report.xsd. Written apart from the product's code on
// purpose: tests that compare the result with the JSON report (which keeps every value) check
// that nothing was lost and that the documented derivation is the right one.
#include <map>
#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace testsupport {

inline void expandFormatFour(pugi::xml_node root) {
    struct Item {
        std::string name;
        std::string kind;
        std::string in;
    };
    std::map<std::string, Item> items;
    for (auto item : root.child("inventory").children("item"))
        if (auto id = item.attribute("id"))
            items[id.value()] = {item.attribute("name").value(), item.attribute("kind").value(),
                                 item.attribute("in").value()};
    auto rules = root.child("rules");
    auto expand = [&](pugi::xml_node finding, bool accepted) {
        auto rule = rules.find_child_by_attribute("rule", "id", finding.attribute("rule").value());
        auto severity = finding.attribute("severity");
        if (!severity) {
            severity = finding.insert_attribute_after("severity", finding.attribute("rule"));
            severity.set_value(rule.attribute("severity").value());
        }
        if (!finding.attribute("status")) {
            const char* status =
                accepted                                                             ? "accepted"
                : std::string_view(rule.attribute("kind").value()) == "cannot-judge" ? "unknown"
                                                                                     : "fail";
            finding.insert_attribute_after("status", severity).set_value(status);
        }
        if (auto id = finding.attribute("item"); id && !finding.attribute("objectName")) {
            const Item& item = items.at(id.value());
            std::string name = item.name;
            if (auto in = items.find(item.in); in != items.end() && in->second.kind == "server")
                name = in->second.name + ": " + name;
            finding.insert_attribute_after("objectName", id).set_value(name.c_str());
        }
        if (auto shared = finding.attribute("message")) {
            auto text = rule.find_child_by_attribute("message", "n", shared.value()).child_value();
            finding.prepend_child("message").text().set(text);
            finding.remove_attribute(shared);
        }
        for (auto row : finding.children("evidence")) {
            auto number = row.attribute("row");
            if (!number)
                continue;
            auto definition = rule.find_child_by_attribute("evidence", "row", number.value());
            row.insert_attribute_before("attribute", number)
                .set_value(definition.attribute("attribute").value());
            row.append_attribute("expected").set_value(definition.attribute("expected").value());
            row.remove_attribute(number);
        }
    };
    for (auto finding : root.child("findings").children("finding"))
        expand(finding, false);
    for (auto waiver : root.child("acceptedRisks").children("waiver"))
        for (auto finding : waiver.children("finding"))
            expand(finding, true);
    for (auto rule : rules.children("rule")) {
        for (auto definition : rule.children("evidence"))
            definition.remove_attribute("row");
        while (auto shared = rule.child("message"))
            rule.remove_child(shared);
    }
    root.attribute("formatVersion").set_value("3");
}

} // namespace testsupport
