#pragma once
// Format 4 of the XML report: what the findings of one rule share is written once, in its
// <rule>, and each finding refers to it by number (schemas/report.xsd).
#include "audit_model.h"

#include <cstddef>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace relayaudit {

// The messages that more than one finding of a rule has, accepted findings included: a rule over
// thousands of objects set up alike says the same sentence of each.
class SharedMessages {
public:
    explicit SharedMessages(const AuditReport& report);
    // The rule's shared messages; the first is number 1. They are in order of first use.
    const std::vector<std::string_view>& of(const Rule& rule) const;
    // The number of the finding's message among its rule's shared messages, if it is one.
    std::optional<std::size_t> numberOf(const Finding& finding) const;

private:
    struct RuleMessages {
        std::unordered_map<std::string_view, std::size_t> number; // 1-based
        std::vector<std::string_view> shared;
    };
    std::unordered_map<const Rule*, RuleMessages> rules_;
};

// Which of the rule's evidence rows a finding's row is (same label and expected value), if any.
// The engine makes a finding's rows in the order of the rule's, a for-each row several times, so
// the search starts at the previous row's; hand-made findings may follow no order.
class EvidenceRows {
public:
    explicit EvidenceRows(const Rule& rule) : rule_(rule) {}
    std::optional<std::size_t> rowOf(const Evidence& item); // 0-based

private:
    const Rule& rule_;
    std::size_t next_ = 0;
};

} // namespace relayaudit
