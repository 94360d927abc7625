#include "config_file.h"

#include "run_failure.h"
#include "suggestions.h"

#include <algorithm>
#include <fstream>
#include <sys/stat.h>

namespace relayaudit {

namespace po = boost::program_options;

namespace {

const std::vector<std::string> kSections{"analyze", "audit", "collect", "rules", "probe"};

bool exists(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0;
}

// The file to read: --config, else the default if it exists, else none ("").
std::string chosenFile(const ConfigChoice& choice) {
    if (choice.disabled)
        return {};
    if (!choice.file.empty())
        return choice.file;
    return exists(kDefaultConfigFile) ? kDefaultConfigFile : std::string();
}

// Every option of the file, none registered: the keys are checked against the command below,
// so that one file can serve all commands.
std::vector<po::option> readOptions(const std::string& path) {
    std::ifstream stream(path);
    if (!stream)
        throw RunFailure{"cannot read the configuration file " + path +
                         ": it does not exist or is not readable (--config FILE)"};
    try {
        po::options_description none;
        return po::parse_config_file(stream, none, true).options;
    } catch (const po::error& error) {
        throw RunFailure{"configuration file " + path + ": " + error.what()};
    }
}

} // namespace

po::options_description configOptions(ConfigChoice& choice) {
    po::options_description description("Configuration file");
    description.add_options()("config", po::value(&choice.file)->value_name("FILE"),
                              "read options from FILE (default: /etc/relayaudit/relayaudit.conf "
                              "when it exists); options on the command line win")(
        "no-config", po::bool_switch(&choice.disabled), "read no configuration file");
    return description;
}

std::vector<po::option> storeConfigFile(const std::string& command, const ConfigChoice& choice,
                                        const po::options_description& description,
                                        const std::vector<std::string>& everyOptionName,
                                        po::variables_map& values) {
    if (choice.disabled && !choice.file.empty())
        throw RunFailure{"give --config FILE or --no-config, not both"};
    std::string path = chosenFile(choice);
    if (path.empty())
        return {};
    po::parsed_options taken(&description);
    for (auto option : readOptions(path)) {
        std::string key = option.string_key;
        if (auto dot = key.find('.'); dot != std::string::npos) {
            std::string section = key.substr(0, dot);
            if (std::find(kSections.begin(), kSections.end(), section) == kSections.end())
                throw RunFailure{"configuration file " + path + ": unknown section [" + section +
                                 "]" + didYouMean(section, kSections) +
                                 "; use [analyze], [audit], [collect] or [rules]"};
            if (section != command)
                continue;
            key = key.substr(dot + 1);
        }
        if (key == "config" || key == "no-config")
            throw RunFailure{"configuration file " + path + ": '" + key +
                             "' belongs on the command line"};
        if (!description.find_nothrow(key, false)) {
            if (std::find(everyOptionName.begin(), everyOptionName.end(), key) !=
                everyOptionName.end())
                continue; // an option of another command
            throw RunFailure{"configuration file " + path + ": unknown option '" + key + "'" +
                             didYouMean(key, everyOptionName)};
        }
        if (values.count(key) && !values[key].defaulted())
            continue; // the command line wins
        option.string_key = key;
        option.unregistered = false;
        taken.options.push_back(option);
    }
    try {
        po::store(taken, values);
        po::notify(values);
    } catch (const po::error& error) {
        throw RunFailure{"configuration file " + path + ": " + error.what()};
    }
    return taken.options;
}

} // namespace relayaudit
