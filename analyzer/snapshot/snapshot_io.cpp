// Reading a saved snapshot back (with validation) and writing one out.
#include "atomic_file.h"
#include "snapshot.h"
#include "snapshot_validation.h"

#include <sstream>

namespace relayaudit {

std::optional<std::string> loadSnapshot(const std::string& path, pugi::xml_document& snapshot) {
    std::string content;
    if (auto error = readWholeFile(path, content))
        return error;
    auto result = snapshot.load_buffer(content.data(), content.size(), pugi::parse_default,
                                       pugi::encoding_utf8);
    if (!result)
        return path + ": not a well-formed XML snapshot (" + result.description() + " at byte " +
               std::to_string(result.offset) + "); give a file written by --snapshot-out";
    auto root = snapshot.document_element();
    if (std::string_view(root.name()) != "snapshot")
        return path + ": the root element is not <snapshot>; give a file written by "
                      "--snapshot-out";
    std::string version = root.attribute("formatVersion").value();
    if (version != kSnapshotFormatVersion)
        return path + ": snapshot format version '" + version + "' is not supported (this " +
               "relayaudit reads version " + kSnapshotFormatVersion +
               "); collect the snapshot again with this version";
    if (auto problem = validateSnapshot(snapshot))
        return path + ": not a valid relayaudit snapshot: " + *problem +
               "; it was damaged or edited: collect it again (schemas/snapshot.xsd)";
    return std::nullopt;
}

std::string snapshotToString(const pugi::xml_document& snapshot) {
    std::ostringstream out;
    snapshot.save(out, "  ", pugi::format_default | pugi::format_no_declaration,
                  pugi::encoding_utf8);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + out.str();
}

} // namespace relayaudit
