#include "ims_inputs.h"

#include "atomic_file.h"
#include "input_file.h"
#include "run_failure.h"
#include "string_helpers.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sys/stat.h>

namespace relayaudit {

namespace {

std::string tooLarge(const std::string& path) {
    return path + ": the file is larger than " +
           std::to_string(kMaxRegistryFileBytes / (1024 * 1024)) +
           " MiB; an export of the IMS Parameters key is a few KB, give that export";
}

// Reads at most kMaxRegistryFileBytes (+1 to notice more): a pipe or a wrong file of gigabytes
// is refused instead of filling memory.
void readBounded(std::istream& in, const std::string& path, std::string& content) {
    content.clear();
    char buffer[65536];
    while (in && content.size() <= kMaxRegistryFileBytes) {
        in.read(buffer, sizeof buffer);
        content.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
    if (content.size() > kMaxRegistryFileBytes)
        throw RunFailure{tooLarge(path)};
    if (in.bad())
        throw RunFailure{"cannot read " + path};
}

std::string readExport(const std::string& path) {
    std::string content;
    // The stricter of this reader's cap and --max-input-size applies.
    if (maxInputBytes() < kMaxRegistryFileBytes) {
        if (auto problem = readWholeFile(path, content))
            throw RunFailure{*problem};
        return content;
    }
    if (path == "-") {
        readBounded(std::cin, "(standard input)", content);
        return content;
    }
    struct stat info {};
    bool readable =
        ::stat(path.c_str(), &info) == 0 && (S_ISREG(info.st_mode) || S_ISFIFO(info.st_mode));
    if (!readable) // the shared reader words the refusal: missing, a directory, a device
        if (auto problem = readWholeFile(path, content))
            throw RunFailure{*problem};
    if (S_ISREG(info.st_mode) && static_cast<std::uintmax_t>(info.st_size) > kMaxRegistryFileBytes)
        throw RunFailure{tooLarge(path)};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw RunFailure{"cannot read " + path};
    readBounded(in, path, content);
    return content;
}

std::string serverName(const ImsRegistryInput& input) {
    if (!input.server.empty())
        return input.server;
    if (input.file == "-")
        throw RunFailure{"--ims-registry - reads standard input, which has no file name to name "
                         "the server after: give --ims-server NAME just before it"};
    return std::filesystem::path(input.file).stem().string();
}

} // namespace

std::vector<ImsServerExport> readImsExports(const std::vector<ImsRegistryInput>& inputs) {
    std::vector<ImsServerExport> servers;
    for (const auto& input : inputs) {
        ImsServerExport server;
        server.name = serverName(input);
        server.file = input.file;
        if (server.name.empty())
            throw RunFailure{"--ims-registry " + input.file +
                             ": the server name would be empty; give --ims-server NAME just "
                             "before it"};
        for (const auto& earlier : servers)
            if (equalsIgnoreCase(earlier.name, server.name))
                throw RunFailure{"two IMS exports are both named " + server.name + " (" +
                                 earlier.file + " and " + input.file +
                                 "); give --ims-server NAME before one of them"};
        auto read = readImsParameters(readExport(input.file));
        if (read.error)
            throw RunFailure{
                "invalid IMS registry export: " +
                read.error->describe(input.file == "-" ? "(standard input)" : input.file)};
        server.parameters = std::move(read.parameters);
        servers.push_back(std::move(server));
    }
    return servers;
}

} // namespace relayaudit
