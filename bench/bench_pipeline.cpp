// Measures each offline pipeline stage (LDIF parse, snapshot build, rule evaluation, XML and HTML
// report) at growing directory sizes. The comparison it is about: the cost per virtual server
// must stay flat as the forest grows 10x and 50x (no quadratic step hidden in a stage).
// Run: scripts/benchmark.sh (or build/bench/relayaudit_bench [sizes...]).
#include "directory_builder.h"
#include "document_memory.h"
#include "inventory.h"
#include "ldif_reader.h"
#include "output_sink.h"
#include "reporters.h"
#include "rules.h"
#include "snapshot.h"
#include "snapshot_builder.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace relayaudit;
using Clock = std::chrono::steady_clock;

namespace {

// A forest of `count` virtual servers cycling through safe, open, wide and invalid settings.
std::string generateLdif(int count) {
    testsupport::Forest forest;
    forest.domain();
    forest.guest("66082");
    forest.organizationEntry();
    const std::string blobs[] = {
        testsupport::ipSecurityBlob({{"127.0.0.1", "255.255.255.255"}}, {}),
        testsupport::ipSecurityBlob({}, {}),
        testsupport::ipSecurityBlob(
            {{"10.20.0.0", "255.255.0.0"}, {"127.0.0.1", "255.255.255.255"}}, {}),
        testsupport::ipSecurityBlob({{"127.0.0.1", "255.255.255.255"}}, {}).substr(0, 30)};
    for (int i = 0; i < count; ++i)
        forest.virtualServer("EXCH" + std::to_string(i / 4), i % 4 + 1,
                             {{"msExchSmtpRelayIpList", blobs[i % 4]},
                              {"msExchAuthenticationFlags", std::to_string(i % 8)},
                              {"msExchAccessSSLFlags", i % 3 ? "8" : "0"}});
    return forest.ldif();
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
    useDocumentPagePool(); // the documents' memory as relayaudit has it (cli/main.cpp)
    std::vector<int> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty())
        sizes = {1000, 10000, 50000};

    RuleCatalogue catalogue;
    std::vector<RulePackError> errors;
    if (!catalogue.loadBuiltin(errors)) {
        std::fprintf(stderr, "rule packs: %s\n", errors.front().describe().c_str());
        return 1;
    }
    std::printf("%-8s %-8s %8s %10s %8s %8s %8s %8s %8s %10s\n", "servers", "LDIF MB", "parse s",
                "snapshot s", "rules s", "xml s", "html s", "total s", "XML MB", "us/server");
    double firstPerServer = 0;
    for (int size : sizes) {
        std::string ldif = generateLdif(size);
        auto start = Clock::now();
        auto parsed = parseLdif(ldif, "bench.ldif");
        double parse = secondsSince(start);
        if (parsed.error) {
            std::fprintf(stderr, "%s\n", parsed.error->describe().c_str());
            return 1;
        }
        CollectionContext context;
        context.sourceKind = "ldif";
        pugi::xml_document snapshot;
        start = Clock::now();
        buildSnapshot(parsed.entries, context, snapshot);
        double build = secondsSince(start);
        start = Clock::now();
        AuditReport report;
        report.findings = catalogue.evaluate(snapshot);
        double rules = secondsSince(start);
        report.inventory = inventoryOf(snapshot);
        report.rules = catalogue.rules();
        // Each report is written into a string sink, as a file output would be written into its
        // temporary (the disk write itself is left out of the figures).
        std::string xml, html;
        start = Clock::now();
        {
            OutputSink out(xml);
            writeXmlReport(report, out);
        }
        double xmlSeconds = secondsSince(start);
        start = Clock::now();
        {
            OutputSink out(html);
            writeHtmlReport(report, out);
        }
        double htmlSeconds = secondsSince(start);
        double total = parse + build + rules + xmlSeconds + htmlSeconds;
        double perServer = total / size * 1e6;
        if (firstPerServer == 0)
            firstPerServer = perServer;
        std::printf("%-8d %-8.1f %8.3f %10.3f %8.3f %8.3f %8.3f %8.3f %8.2f %10.1f  (x%.2f of the "
                    "smallest; %zu findings, HTML %zu KB)\n",
                    size, ldif.size() / 1e6, parse, build, rules, xmlSeconds, htmlSeconds, total,
                    xml.size() / 1e6, perServer, perServer / firstPerServer, report.findings.size(),
                    html.size() / 1024);
    }
    return 0;
}
