#pragma once
// Files compiled into the binary (see cmake/embed.cmake): the default rule packs and the report
// stylesheet, so an installed relayaudit needs no data directory.
#include <string_view>
#include <vector>

namespace relayaudit::embedded {

struct File {
    std::string_view name; // repository-relative, e.g. "rules/exchange-2003.xml"
    std::string_view content;
};

const std::vector<File>& files();

} // namespace relayaudit::embedded
