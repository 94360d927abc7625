#pragma once
// A finding's evidence table in the HTML report.
#include "findings.h"

#include <cstddef>
#include <string>
#include <vector>

namespace relayaudit {

// Evidence rows the HTML shows per finding. A for-each evidence list has one row per node (each
// address of a relay list, each grant of a connector's ACL) and can run to hundreds; the HTML is
// read by a person and sent by mail, so it shows about a screenful, which holds a typical relay
// list whole, and then "+K more, see the XML report". The XML report keeps every row.
constexpr std::size_t kHtmlEvidenceRowsShown = 20;

// Nothing for an empty list.
void renderEvidence(std::string& out, const std::vector<Evidence>& evidence);

} // namespace relayaudit
