#pragma once
// Where a finding's object lives, for the index and the object tables: the Exchange server when
// its DN runs through CN=Servers, else the DNS name of its domain (from the DC= parts), else "".
#include "findings.h"

#include <string>

namespace relayaudit {

std::string locationOf(const Finding& finding);

} // namespace relayaudit
