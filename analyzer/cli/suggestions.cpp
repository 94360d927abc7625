#include "suggestions.h"

#include <algorithm>
#include <numeric>

namespace relayaudit {

std::size_t editDistance(std::string_view a, std::string_view b) {
    // Three rows: the transposition looks two rows back.
    std::vector<std::size_t> beforePrevious(b.size() + 1), previous(b.size() + 1),
        current(b.size() + 1);
    std::iota(previous.begin(), previous.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1,
                                   previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], beforePrevious[j - 2] + 1);
        }
        std::swap(beforePrevious, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::string closestName(std::string_view typed, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t bestDistance = 0;
    for (const auto& candidate : candidates) {
        std::size_t distance = editDistance(typed, candidate);
        // A third of the longer name: "analyse" is "analyze", "pasword-file" is
        // "password-file", but "xyz" is not "uri" and "frobnicate" is no command.
        std::size_t limit = std::min<std::size_t>(3, std::max(typed.size(), candidate.size()) / 3);
        if (distance == 0 || distance > limit)
            continue;
        if (best.empty() || distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

std::string didYouMean(std::string_view typed, const std::vector<std::string>& candidates,
                       std::string_view prefix) {
    auto best = closestName(typed, candidates);
    if (best.empty())
        return {};
    return " (did you mean '" + std::string(prefix) + best + "'?)";
}

} // namespace relayaudit
