#include "phase_timings.h"

#include <array>
#include <cstdio>
#include <sys/resource.h>

namespace relayaudit::timings {
namespace {

constexpr std::size_t kPhases = static_cast<std::size_t>(Phase::Count);
std::array<std::atomic<std::int64_t>, kPhases> gNanoseconds{};
// Peak RSS when each coarse phase last ended: where the memory goes (the per-entry phases,
// search wait and decode, are too frequent for a system call each).
std::array<std::atomic<long>, kPhases> gPeakAfter{};
std::chrono::steady_clock::time_point gStart;
std::atomic<std::int64_t> gCollectedAt{-1}; // ns after gStart

constexpr const char* kNames[kPhases] = {"connect+bind",   "search wait",     "decode",
                                         "snapshot build", "rule evaluation", "XML report",
                                         "HTML report",    "other outputs"};

} // namespace

void enable() {
    gStart = std::chrono::steady_clock::now();
    gEnabled.store(true, std::memory_order_relaxed);
}

void add(Phase phase, std::chrono::steady_clock::duration spent) {
    gNanoseconds[static_cast<std::size_t>(phase)].fetch_add(
        std::chrono::duration_cast<std::chrono::nanoseconds>(spent).count(),
        std::memory_order_relaxed);
    if (phase != Phase::SearchWait && phase != Phase::Decode)
        gPeakAfter[static_cast<std::size_t>(phase)].store(peakRssKib(), std::memory_order_relaxed);
}

void markCollected() {
    if (enabled())
        gCollectedAt.store(std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now() - gStart)
                               .count(),
                           std::memory_order_relaxed);
}

long peakRssKib() {
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return -1;
    return usage.ru_maxrss; // KiB on Linux
}

std::string report() {
    auto total = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::steady_clock::now() - gStart)
                     .count();
    std::string text = "timings (ms):\n";
    std::int64_t accounted = 0;
    char line[96];
    for (std::size_t i = 0; i < kPhases; ++i) {
        auto spent = gNanoseconds[i].load(std::memory_order_relaxed);
        accounted += spent;
        auto peak = gPeakAfter[i].load(std::memory_order_relaxed);
        if (peak > 0)
            std::snprintf(line, sizeof line, "  %-16s %10.1f   (peak RSS after it: %.1f MB)\n",
                          kNames[i], spent / 1e6, peak / 1024.0);
        else
            std::snprintf(line, sizeof line, "  %-16s %10.1f\n", kNames[i], spent / 1e6);
        text += line;
    }
    std::snprintf(line, sizeof line, "  %-16s %10.1f\n", "unaccounted", (total - accounted) / 1e6);
    text += line;
    std::snprintf(line, sizeof line, "  %-16s %10.1f\n", "total", total / 1e6);
    text += line;
    if (auto collected = gCollectedAt.load(std::memory_order_relaxed); collected >= 0) {
        std::snprintf(line, sizeof line, "  %-16s %10.1f   (wall, from the last entry on)\n",
                      "after collection", (total - collected) / 1e6);
        text += line;
    }
    std::snprintf(line, sizeof line, "peak RSS: %.1f MB\n", peakRssKib() / 1024.0);
    text += line;
    return text;
}

} // namespace relayaudit::timings
