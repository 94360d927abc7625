#include "history_store.h"

#include "run_failure.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <tuple>
#include <vector>

namespace relayaudit {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "report-";
constexpr std::string_view kSuffix = ".xml";
constexpr std::size_t kStampLength = 16; // YYYYMMDDTHHMMSSZ

// "2026-01-01T00:00:00Z" -> "20260101T000000Z": sorts like the time, and is a safe file name.
std::string stampOf(const std::string& generatedAt) {
    std::string stamp;
    for (char c : generatedAt)
        if ((c >= '0' && c <= '9') || c == 'T' || c == 'Z')
            stamp += c;
    return stamp;
}

struct DatedReport {
    std::string stamp;
    unsigned sequence = 1;
    fs::path path;
};

// report-STAMP.xml or report-STAMP.N.xml; anything else in the directory is left alone.
std::optional<DatedReport> datedReport(const fs::path& path) {
    std::string name = path.filename().string();
    if (name.size() < kPrefix.size() + kStampLength + kSuffix.size() ||
        !name.starts_with(kPrefix) || !name.ends_with(kSuffix))
        return std::nullopt;
    std::string middle = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
    DatedReport report{middle.substr(0, kStampLength), 1, path};
    std::string rest = middle.substr(kStampLength);
    if (!rest.empty()) {
        if (rest.size() < 2 || rest.size() > 6 || rest[0] != '.' ||
            !std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return std::nullopt;
        report.sequence = unsigned(std::stoul(rest.substr(1)));
    }
    return report;
}

} // namespace

std::optional<std::string> previousReportIn(const std::string& directory) {
    std::error_code error;
    fs::create_directories(directory, error);
    if (error || !fs::is_directory(directory))
        throw RunFailure{"--history " + directory + ": cannot create or use the directory" +
                         (error ? ": " + error.message() : std::string())};
    fs::path latest = fs::path(directory) / "latest.xml";
    if (fs::exists(latest, error))
        return latest.string();
    return std::nullopt;
}

std::string stageHistory(AtomicFileSet& outputs, const std::string& directory,
                         const std::string& generatedAt, const AtomicFileSet::ContentWriter& xml,
                         const AtomicFileSet::ContentWriter& html) {
    fs::path base(directory);
    std::string stamp = stampOf(generatedAt);
    fs::path dated = base / (std::string(kPrefix) + stamp + std::string(kSuffix));
    std::error_code error;
    for (unsigned sequence = 2; fs::exists(dated, error); ++sequence)
        dated = base / (std::string(kPrefix) + stamp + "." + std::to_string(sequence) +
                        std::string(kSuffix));
    for (const auto& [path, content] :
         {std::pair{dated, &xml}, std::pair{base / "latest.xml", &xml},
          std::pair{base / "latest.html", &html}})
        if (auto problem = outputs.stage(path.string(), *content))
            throw RunFailure{"cannot write the history: " + *problem + "; no output was changed"};
    return dated.string();
}

std::optional<std::string> pruneHistory(const std::string& directory, unsigned keep) {
    std::vector<DatedReport> reports;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(directory, error))
        if (entry.is_regular_file(error))
            if (auto report = datedReport(entry.path()))
                reports.push_back(*report);
    if (error)
        return "cannot list " + directory + ": " + error.message();
    std::sort(reports.begin(), reports.end(), [](const DatedReport& a, const DatedReport& b) {
        return std::tie(a.stamp, a.sequence) > std::tie(b.stamp, b.sequence);
    });
    for (std::size_t i = keep; i < reports.size(); ++i)
        if (!fs::remove(reports[i].path, error) || error)
            return "cannot remove the old report " + reports[i].path.string() +
                   (error ? ": " + error.message() : std::string());
    return std::nullopt;
}

} // namespace relayaudit
