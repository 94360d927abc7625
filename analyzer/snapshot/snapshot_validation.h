#pragma once
// The checks a snapshot read back from disk must pass: the elements and attributes the rules rely
// on, with their allowed values (schemas/snapshot.xsd states the whole shape).
#include <optional>
#include <pugixml.hpp>
#include <string>

namespace relayaudit {

// nullopt when valid, else what is wrong and on which element.
std::optional<std::string> validateSnapshot(const pugi::xml_document& snapshot);

// /snapshot/probes (SMTP probe results, optional): snapshot_probes.cpp.
std::optional<std::string> validateProbes(pugi::xml_node probes);

} // namespace relayaudit
