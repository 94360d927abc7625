#pragma once
// --config FILE: options from a Boost.Program_options configuration file, under the command line.
// Included only by options.cpp (like options.cpp, it knows Boost.Program_options).
#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace relayaudit {

// Read when it exists and neither --config nor --no-config is given.
inline constexpr const char* kDefaultConfigFile = "/etc/relayaudit/relayaudit.conf";

// What the command line says about the configuration file.
struct ConfigChoice {
    std::string file;      // --config FILE: must exist
    bool disabled = false; // --no-config: read none, not even the default
};

// The options that choose the file, shown in every command's help.
boost::program_options::options_description configOptions(ConfigChoice& choice);

// Stores the options of the chosen file (if any) for `command` into values, below what the
// command line gave: a key the command line set is ignored. Keys outside a section apply to
// every command that has the option; keys in [analyze], [audit], [collect] or [rules] only to
// that command. A key no command knows, or a malformed file, throws RunFailure. Returns the
// options taken from the file, in file order.
std::vector<boost::program_options::option>
storeConfigFile(const std::string& command, const ConfigChoice& choice,
                const boost::program_options::options_description& description,
                const std::vector<std::string>& everyOptionName,
                boost::program_options::variables_map& values);

} // namespace relayaudit
