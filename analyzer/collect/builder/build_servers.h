#pragma once
// Exchange organisations and servers, each with how many of the objects the rules judge are
// visible under it, and the generation of each server: the facts the "could not see" rules need
// (docs/design.md, LDAP collector: "No blind spots").
#include "build_common.h"
#include "directory.h"
#include "dn.h"
#include "snapshot.h"

#include <functional>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <vector>

namespace relayaudit::build {

// How many of the objects the rules judge sit anywhere under an organisation or a server.
struct VisibleObjects {
    int servers = 0;
    int virtualServers = 0;
    int receiveConnectors = 0;
};
using VisibleObjectsOf = std::function<VisibleObjects(const DirectoryEntry&)>;

// <organization> and <server> elements, with virtualServers/receiveConnectors counts (and
// servers for an organisation) and a server's generation and transport role.
void appendOrganizationsAndServers(pugi::xml_node exchange,
                                   const std::vector<const DirectoryEntry*>& unique,
                                   const VisibleObjectsOf& visibleUnder);

// <unreadable> elements of <forest>: what the collector was refused, and an Exchange
// configuration container that is visible without any organisation under it (the first such
// entry in input order, when no organisation was seen).
void appendUnreadable(pugi::xml_node forest, bool organizationSeen,
                      const std::optional<std::string>& exchangeContainerDn,
                      const CollectionContext& context);

// Whether a DN is the place of the Exchange configuration container ("CN=Microsoft Exchange,
// CN=Services,..."): the container is recognised by it when its class was not read.
bool isExchangeServicesContainer(const ParsedDn& names);

} // namespace relayaudit::build
