#include "waivers.h"

#include "object_pattern.h"
#include "source_lines.h"
#include "string_helpers.h"

#include <algorithm>
#include <array>
#include <pugixml.hpp>

namespace relayaudit {

namespace {

struct WaiverError {
    std::string message;
};

std::string requiredAttribute(pugi::xml_node node, const char* name, const std::string& where) {
    std::string value(trimWhitespace(node.attribute(name).value()));
    if (value.empty())
        throw WaiverError{where + ": <waiver> needs a non-empty " + name + "=\"...\""};
    return value;
}

Waiver readWaiver(pugi::xml_node node, const std::string& where) {
    for (auto attribute : node.attributes()) {
        std::string_view name = attribute.name();
        if (name != "rule" && name != "object" && name != "owner" && name != "expires")
            throw WaiverError{where + ": <waiver> has an unknown attribute '" + std::string(name) +
                              "' (allowed: rule, object, owner, expires)"};
    }
    Waiver waiver;
    waiver.rule = requiredAttribute(node, "rule", where);
    waiver.object = requiredAttribute(node, "object", where);
    waiver.owner = requiredAttribute(node, "owner", where);
    waiver.expires = requiredAttribute(node, "expires", where);
    if (!isIsoDate(waiver.expires))
        throw WaiverError{where + ": expires=\"" + waiver.expires +
                          "\" is not a date written YYYY-MM-DD"};
    for (auto child : node.children())
        if (child.type() != pugi::node_pcdata && child.type() != pugi::node_cdata)
            throw WaiverError{where + ": <waiver> holds only text: the reason for accepting "
                                      "the risk"};
    waiver.reason = std::string(trimWhitespace(node.text().get()));
    if (waiver.reason.empty())
        throw WaiverError{where + ": <waiver> needs the reason for accepting the risk as its text"};
    waiver.source = where;
    return waiver;
}

} // namespace

bool isIsoDate(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9')
            return false;
    auto number = [&](std::size_t at, std::size_t length) {
        int value = 0;
        for (std::size_t i = at; i < at + length; ++i)
            value = value * 10 + (text[i] - '0');
        return value;
    };
    int year = number(0, 4), month = number(5, 2), day = number(8, 2);
    constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1])
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return !(month == 2 && day == 29 && !leap);
}

std::optional<std::string> parseWaivers(std::string_view text, const std::string& source,
                                        std::vector<Waiver>& waivers) {
    SourceLines lines(text);
    pugi::xml_document document;
    auto parsed = document.load_buffer(text.data(), text.size(), pugi::parse_default);
    if (!parsed)
        return source + ":" + std::to_string(lines.lineOfOffset(parsed.offset)) +
               ": not well-formed XML: " + parsed.description();
    auto root = document.document_element();
    if (std::string_view(root.name()) != "waivers")
        return source + ":" + std::to_string(lines.lineOf(root)) +
               ": the root element must be <waivers> (schemas/waivers.xsd)";
    try {
        for (auto child : root.children()) {
            std::string where = source + ":" + std::to_string(lines.lineOf(child));
            if (child.type() == pugi::node_pcdata && trimWhitespace(child.value()).empty())
                continue;
            if (child.type() != pugi::node_element || std::string_view(child.name()) != "waiver")
                throw WaiverError{where + ": <waivers> holds only <waiver> elements"};
            waivers.push_back(readWaiver(child, where));
        }
    } catch (const WaiverError& error) {
        waivers.clear();
        return error.message;
    }
    return std::nullopt;
}

void applyWaivers(AuditReport& report, const std::vector<Waiver>& waivers, std::string_view today) {
    report.waiversGiven = true;
    report.waivers.clear();
    for (const auto& waiver : waivers)
        report.waivers.push_back(
            {waiver, waiver.expires < today ? WaiverState::Expired : WaiverState::Active, {}, 0});
    std::vector<Finding> kept;
    for (auto& finding : report.findings) {
        WaiverOutcome* taker = nullptr;
        WaiverOutcome* expired = nullptr;
        for (auto& outcome : report.waivers) {
            if (!equalsIgnoreCase(outcome.waiver.rule, finding.rule->id) ||
                !objectMatches(outcome.waiver.object, finding.object))
                continue;
            if (outcome.state == WaiverState::Expired) {
                if (!expired)
                    expired = &outcome;
                continue;
            }
            taker = &outcome;
            break;
        }
        if (taker) {
            taker->accepted.push_back(std::move(finding));
        } else {
            if (expired)
                expired->expiredMatches++;
            kept.push_back(std::move(finding));
        }
    }
    report.findings = std::move(kept);
    for (auto& outcome : report.waivers)
        if (outcome.state == WaiverState::Active && outcome.accepted.empty())
            outcome.state = WaiverState::Stale;
}

} // namespace relayaudit
