#pragma once
// "Did you mean ...?" for a mistyped command or option: the closest known name by edit distance.
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit {

// Edit distance (optimal string alignment): insert, delete, substitute, or swap two neighbouring
// characters ("htlm" for "html"), each costs 1.
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to typed, if it is close enough to be a plausible typo (at most a third
// of the longer name, and at most 3 edits); empty otherwise.
std::string closestName(std::string_view typed, const std::vector<std::string>& candidates);

// " (did you mean 'X'?)" or "" when nothing is close; prefix is put before the name ("--").
std::string didYouMean(std::string_view typed, const std::vector<std::string>& candidates,
                       std::string_view prefix = "");

} // namespace relayaudit
