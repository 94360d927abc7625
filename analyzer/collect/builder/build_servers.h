#pragma once
// Exchange organisations and servers, each with how many of the objects the rules judge are
// visible under it, and the generation of each server: the facts the "could not see" rules need
// (docs/design.md, LDAP collector: "No blind spots").
#include "directory.h"
#include "snapshot.h"

#include <pugixml.hpp>
#include <vector>

namespace relayaudit::build {

// <organization> and <server> elements, with virtualServers/receiveConnectors counts (and
// servers for an organisation) and a server's generation and transport role.
void appendOrganizationsAndServers(pugi::xml_node exchange,
                                   const std::vector<const DirectoryEntry*>& unique);

// <unreadable> elements of <forest>: what the collector was refused, and an Exchange
// configuration container that is visible without any organisation under it.
void appendUnreadable(pugi::xml_node forest, const std::vector<const DirectoryEntry*>& unique,
                      const CollectionContext& context);

} // namespace relayaudit::build
