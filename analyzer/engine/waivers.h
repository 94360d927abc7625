#pragma once
// Accepted risks (--waivers FILE, schemas/waivers.xsd): a waiver names a rule and an object (DN
// or '*' pattern, object_pattern.h), who accepted the risk, why, and until when. A finding it
// covers leaves the findings for its waiver's section of the reports and no longer counts for
// the exit code; an expired waiver covers nothing (its findings count again) and a waiver that
// covered nothing is reported as stale, so the file cannot silently rot.
#include "audit_model.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

// Parses the waiver file's text. On a malformed file returns "source:line: what is wrong".
std::optional<std::string> parseWaivers(std::string_view text, const std::string& source,
                                        std::vector<Waiver>& waivers);

// today is YYYY-MM-DD: a waiver applies up to and including its expires day. Moves covered
// findings out of report.findings into report.waivers; the first matching waiver in file order
// takes a finding.
void applyWaivers(AuditReport& report, const std::vector<Waiver>& waivers, std::string_view today);

// True for a real calendar date written YYYY-MM-DD.
bool isIsoDate(std::string_view text);

} // namespace relayaudit
