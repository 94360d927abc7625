#pragma once
// --timings: where a run's time goes, phase by phase, and its peak memory. A span costs one
// relaxed atomic load when timings are off, two steady_clock reads and an atomic add when on.
// The figures are for people and the benchmark (scripts/benchmark.sh), never for tests.
#include <atomic>
#include <chrono>
#include <string>

namespace relayaudit {

enum class Phase {
    ConnectBind,    // TCP, TLS and bind to the domain controller(s)
    SearchWait,     // waiting for LDAP answers (ldap_result)
    Decode,         // BER entries into DirectoryEntry
    SnapshotBuild,  // DirectoryEntry into the snapshot document
    RuleEvaluation, // the rule catalogue over the snapshot
    XmlReport,      // rendering the XML report
    HtmlReport,     // rendering the HTML report
    OtherOutputs,   // snapshot/JSON text, writing files, the stdout summary
    Count
};

namespace timings {

void enable();
inline std::atomic<bool> gEnabled{false};
inline bool enabled() {
    return gEnabled.load(std::memory_order_relaxed);
}
void add(Phase phase, std::chrono::steady_clock::duration spent);
// The last entry of a live collection has arrived: report() then also shows the wall time from
// here on (finishing the snapshot, the rules, the reports, the commit), the part of an audit that
// comes on top of the directory's own time.
void markCollected();
// Peak resident set size of the process so far, in KiB (getrusage ru_maxrss).
long peakRssKib();
// "timings (ms): connect+bind 3.1, search wait ..., total ...; peak RSS 41.2 MB" as lines.
std::string report();

} // namespace timings

// Adds the time from construction to destruction to one phase, when timings are on.
class PhaseSpan {
public:
    explicit PhaseSpan(Phase phase) : phase_(phase), on_(timings::enabled()) {
        if (on_)
            start_ = std::chrono::steady_clock::now();
    }
    ~PhaseSpan() {
        if (on_)
            timings::add(phase_, std::chrono::steady_clock::now() - start_);
    }
    PhaseSpan(const PhaseSpan&) = delete;
    PhaseSpan& operator=(const PhaseSpan&) = delete;

private:
    Phase phase_;
    bool on_;
    std::chrono::steady_clock::time_point start_{};
};

} // namespace relayaudit
