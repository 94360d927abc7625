#pragma once
// The --ims-registry files of analyze: read (bounded), parsed, and named after --ims-server or the
// file name, ready for the snapshot (collect/ims/build_ims_server.h).
#include "build_ims_server.h"
#include "options.h"

#include <vector>

namespace relayaudit {

// Throws RunFailure naming the file and line of the first export that cannot be read.
std::vector<ImsServerExport> readImsExports(const std::vector<ImsRegistryInput>& inputs);

} // namespace relayaudit
