#include "history_and_waivers.h"

#include "atomic_file.h"
#include "history_store.h"
#include "input_file.h"
#include "run_failure.h"
#include "waivers.h"

namespace relayaudit {

namespace {

PreviousReport readPrevious(const std::string& path) {
    std::string text;
    if (auto problem = readWholeFile(path, text))
        throw RunFailure{"cannot read the previous report: " + *problem};
    PreviousReport previous;
    if (auto problem = parsePreviousReport(text, path, previous))
        throw RunFailure{*problem};
    return previous;
}

} // namespace

HistoryAndWaivers readHistoryAndWaivers(const AnalyzeOptions& options) {
    HistoryAndWaivers inputs;
    if (options.keep < 1)
        throw RunFailure{"--keep must be at least 1"};
    inputs.compare = !options.historyDir.empty() || !options.baselineFile.empty();
    if (options.failOnNew && !inputs.compare)
        throw RunFailure{"--fail-on-new needs a previous run to compare with: give --history DIR "
                         "or --baseline FILE"};
    if (!options.baselineFile.empty())
        inputs.previous = readPrevious(options.baselineFile);
    if (!options.historyDir.empty()) {
        auto latest = previousReportIn(options.historyDir);
        if (latest && !inputs.previous)
            inputs.previous = readPrevious(*latest);
    }
    if (!options.waiversFile.empty()) {
        std::string text;
        if (auto problem = readWholeFile(options.waiversFile, text))
            throw RunFailure{"cannot read the waiver file: " + *problem};
        if (auto problem = parseWaivers(text, options.waiversFile, inputs.waivers))
            throw RunFailure{"invalid waiver file: " + *problem};
        inputs.waiversGiven = true;
    }
    return inputs;
}

void applyHistoryAndWaivers(AuditReport& report, const HistoryAndWaivers& inputs) {
    std::string today = report.run.generatedAt.substr(0, 10);
    if (inputs.waiversGiven)
        applyWaivers(report, inputs.waivers, today);
    if (inputs.compare)
        compareWithPrevious(report, inputs.previous ? &*inputs.previous : nullptr, today);
}

} // namespace relayaudit
