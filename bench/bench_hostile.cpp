// Hostile directory shapes, each timed through the whole offline pipeline (LDIF parse, snapshot
// build, rule evaluation, XML and HTML reports) at a tenth of its size and at full size. Linear
// work costs about 10x for 10x the input; the target (issue 10) is a ratio of at most 10.
// Run: scripts/benchmark.sh (or build/bench/relayaudit_bench_hostile [scale]); scale 1 is the
// issue's sizes, a smaller scale (e.g. 0.1) divides every size for a quick look.
// With --write-ldif DIR [scale] it only writes each shape's LDIF at both sizes (SHAPE-N.ldif), to
// time `relayaudit analyze --ldif` itself, e.g. an older build for a before/after comparison.
#include "directory_builder.h"
#include "document_memory.h"
#include "inventory.h"
#include "ldif_reader.h"
#include "reporters.h"
#include "rules.h"
#include "snapshot.h"
#include "snapshot_builder.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

using namespace relayaudit;
using testsupport::AddressGrant;
using testsupport::binarySid;
using testsupport::Forest;
using testsupport::TestAce;

namespace {

std::string dottedQuad(std::uint32_t value) {
    return std::to_string(value >> 24) + "." + std::to_string((value >> 16) & 0xFF) + "." +
           std::to_string((value >> 8) & 0xFF) + "." + std::to_string(value & 0xFF);
}

// 1. One virtual server whose relay list grants `size` distinct ranges of four widths, so that
//    EXS-RELAY-WIDE fires and has to find the widest among them.
std::string relayListShape(int size) {
    auto forest = testsupport::forestWithoutServers();
    const char* masks[] = {"255.255.0.0", "255.255.255.0", "255.255.255.255", "255.240.0.0"};
    std::vector<AddressGrant> grants;
    for (int i = 0; i < size; ++i)
        grants.push_back({dottedQuad(0x0A000000u + std::uint32_t(i) * 256u), masks[i % 4]});
    forest.virtualServer("EXCH01", 1,
                         {{"msExchSmtpRelayIpList", testsupport::ipSecurityBlob(grants, {})},
                          {"msExchAuthenticationFlags", "7"},
                          {"msExchAccessSSLFlags", "8"}});
    return forest.ldif();
}

// 2. `size` domains and `size` virtual servers offering authentication with relay for
//    authenticated users. Every tenth domain has no Guest account in the input (its Guest
//    cannot be judged, so EXS-RELAY-GUEST-UNKNOWN fires on every server); with
//    `oneEnabledGuest`, the first domain's Guest is enabled instead (EXS-RELAY-GUEST fires).
std::string domainsShape(int size, bool oneEnabledGuest) {
    Forest forest;
    forest.organizationEntry();
    for (int i = 0; i < size; ++i) {
        const std::string dn = "DC=d" + std::to_string(i) + ",DC=corp,DC=example";
        const std::uint32_t a = 1000000 + i, b = 2000000 + i, c = 3000000 + i;
        forest.add(dn, {"top", "domain", "domainDNS"});
        Forest::set(forest.entries.back(), "objectSid", testsupport::domainSid(a, b, c));
        if (!oneEnabledGuest && i % 10 == 9)
            continue;
        auto& guest = forest.add("CN=Guest,CN=Users," + dn,
                                 {"top", "person", "organizationalPerson", "user"});
        Forest::set(guest, "objectSid", testsupport::guestSid(a, b, c));
        Forest::set(guest, "sAMAccountName", "Guest");
        Forest::set(guest, "userAccountControl", oneEnabledGuest && i == 0 ? "66080" : "66082");
    }
    const std::string blob = testsupport::ipSecurityBlob({{"127.0.0.1", "255.255.255.255"}}, {});
    for (int i = 0; i < size; ++i)
        forest.virtualServer("EXCH" + std::to_string(i / 4), i % 4 + 1,
                             {{"msExchSmtpRelayIpList", blob},
                              {"msExchAuthenticationFlags", "6"},
                              {"msExchAccessSSLFlags", "8"}});
    return forest.ldif();
}

// 3. `connectors` receive connectors whose DACLs hold `aces` ACEs each, a third of each kind:
//    every extended right for a distinct trustee, an extended right of a distinct GUID, and
//    Accept-Any-Recipient for a distinct trustee (plus one for ANONYMOUS LOGON, so that
//    EXR-RECV-ANONYMOUS-RELAY fires). An ACL is at most 65,535 bytes (its size is a 16-bit
//    field), which holds about 1,450 ACEs of this mix.
std::string aceShape(int aces, int connectors) {
    auto forest = testsupport::forestWithoutServers();
    const std::uint32_t kControlAccess = 0x100;
    auto distinctGuid = [](int i) {
        char text[37];
        std::snprintf(text, sizeof text, "%08x-1234-4321-8888-%012x", i, i);
        return testsupport::guidBytes(text);
    };
    const std::string acceptAny = testsupport::guidBytes(testsupport::kAcceptAnyRecipient);
    std::vector<TestAce> dacl = {{5, 0, kControlAccess, acceptAny, binarySid({7})}};
    for (int i = 1; i < aces; ++i) {
        const std::string trustee = binarySid({21, 1, 2, 3, std::uint32_t(1000 + i)});
        switch (i % 3) {
        case 0:
            dacl.push_back({0, 0, kControlAccess, "", trustee});
            break;
        case 1:
            dacl.push_back({5, 0, kControlAccess, distinctGuid(i), binarySid({7})});
            break;
        default:
            dacl.push_back({5, 0, kControlAccess, acceptAny, trustee});
            break;
        }
    }
    const std::string descriptor = testsupport::securityDescriptor(dacl);
    for (int c = 0; c < connectors; ++c)
        forest.receiveConnector("EX" + std::to_string(c), "Connector " + std::to_string(c),
                                {{"nTSecurityDescriptor", descriptor},
                                 {"msExchSmtpReceiveBindings", "0.0.0.0:25"},
                                 {"msExchSmtpReceiveRemoteIPRanges", "192.0.2.1"},
                                 {"msExchSmtpReceiveEnabled", "TRUE"}});
    return forest.ldif();
}

// CPU time of this process: the pipeline is single-threaded, and on a shared machine CPU time
// shows the work done far more steadily than the wall clock, which is what a ratio needs.
double cpuSeconds() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

struct Run {
    double seconds = 0;
    double stages[4] = {}; // parse, snapshot, rules, reports (of the best run)
    std::size_t findings = 0;
    std::size_t ldifBytes = 0;
};

// The whole offline pipeline on one LDIF text, once, in CPU seconds.
Run timePipeline(const RuleCatalogue& catalogue, const std::string& ldif) {
    Run run;
    run.ldifBytes = ldif.size();
    const double start = cpuSeconds();
    double stages[4];
    auto parsed = parseLdif(ldif, "hostile.ldif");
    stages[0] = cpuSeconds();
    if (parsed.error) {
        std::fprintf(stderr, "%s\n", parsed.error->describe().c_str());
        std::exit(1);
    }
    CollectionContext context;
    context.sourceKind = "ldif";
    pugi::xml_document snapshot;
    buildSnapshot(parsed.entries, context, snapshot);
    stages[1] = cpuSeconds();
    AuditReport report;
    report.findings = catalogue.evaluate(snapshot);
    report.inventory = inventoryOf(snapshot);
    stages[2] = cpuSeconds();
    std::size_t bytes = renderXmlReport(report).size() + renderHtmlReport(report).size();
    stages[3] = cpuSeconds();
    if (bytes == 0)
        std::exit(1);
    run.seconds = stages[3] - start;
    for (int i = 0; i < 4; ++i)
        run.stages[i] = stages[i] - (i == 0 ? start : stages[i - 1]);
    run.findings = report.findings.size();
    return run;
}

// One run in a child process: each run starts as a relayaudit process does, with a fresh heap
// and none of its data in the caches. Repeated in one process, the small size's memory was
// reused from run to run, its pages already mapped and its data still cached (it fits; the
// large size's does not), which no real run has.
Run timeInChild(const RuleCatalogue& catalogue, const std::string& ldif) {
    int channel[2];
    if (::pipe(channel) != 0) {
        std::perror("pipe");
        std::exit(1);
    }
    const pid_t child = ::fork();
    if (child < 0) {
        std::perror("fork");
        std::exit(1);
    }
    if (child == 0) {
        ::close(channel[0]);
        const Run run = timePipeline(catalogue, ldif);
        const bool sent = ::write(channel[1], &run, sizeof run) == ssize_t(sizeof run);
        std::_Exit(sent ? 0 : 1);
    }
    ::close(channel[1]);
    Run run;
    const bool received = ::read(channel[0], &run, sizeof run) == ssize_t(sizeof run);
    ::close(channel[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!received || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "a timed run failed\n");
        std::exit(1);
    }
    return run;
}

// The best of `rounds` runs at each size, the two sizes alternating: this VM's speed drifts by
// tens of percent within seconds, and all runs of one size, then all of the other, put the
// drift into the ratio (one shape read 15.5 that way while parsing, which is plainly linear,
// read 15.5 too).
std::pair<Run, Run> timeBothSizes(const RuleCatalogue& catalogue, const std::string& smallLdif,
                                  const std::string& largeLdif, int rounds) {
    Run small, large;
    for (int round = 0; round < rounds; ++round) {
        auto smallRun = timeInChild(catalogue, smallLdif);
        auto largeRun = timeInChild(catalogue, largeLdif);
        if (round == 0 || smallRun.seconds < small.seconds)
            small = smallRun;
        if (round == 0 || largeRun.seconds < large.seconds)
            large = largeRun;
    }
    return {small, large};
}

struct Shape {
    const char* key;
    const char* name;
    int size; // at full scale
    std::function<std::string(int)> generate;
};

} // namespace

int main(int argc, char** argv) {
    useDocumentPagePool(); // the documents' memory as relayaudit has it (cli/main.cpp)
    std::string writeDirectory;
    int arg = 1;
    if (argc > 2 && std::string(argv[1]) == "--write-ldif") {
        writeDirectory = argv[2];
        arg = 3;
    }
    const double scale = argc > arg ? std::atof(argv[arg]) : 1.0;
    RuleCatalogue catalogue;
    std::vector<RulePackError> errors;
    if (!catalogue.loadBuiltin(errors)) {
        std::fprintf(stderr, "rule packs: %s\n", errors.front().describe().c_str());
        return 1;
    }
    const int kConnectors = 50;
    const std::vector<Shape> shapes = {
        {"relay-list", "relay list: addresses on one virtual server", 100000,
         [](int n) { return relayListShape(n); }},
        {"domains-unjudged", "domains x virtual servers, every 10th Guest unknown", 10000,
         [](int n) { return domainsShape(n, false); }},
        {"domains-enabled", "domains x virtual servers, one Guest enabled", 10000,
         [](int n) { return domainsShape(n, true); }},
        {"aces", "ACEs per receive connector (50 connectors)", 1400,
         [&](int n) { return aceShape(n, kConnectors); }},
    };
    if (writeDirectory.empty())
        std::printf("%-52s %8s %9s %8s %9s %8s\n", "shape", "n/10", "CPU s", "n", "CPU s", "ratio");
    bool allLinear = true;
    for (const auto& shape : shapes) {
        const int large = std::max(10, int(shape.size * scale));
        const int small = large / 10;
        if (!writeDirectory.empty()) {
            for (int size : {small, large}) {
                const std::string path =
                    writeDirectory + "/" + shape.key + "-" + std::to_string(size) + ".ldif";
                std::ofstream(path, std::ios::binary) << shape.generate(size);
                std::printf("%s\n", path.c_str());
            }
            continue;
        }
        auto [smallRun, largeRun] =
            timeBothSizes(catalogue, shape.generate(small), shape.generate(large), 7);
        const double ratio = largeRun.seconds / smallRun.seconds;
        allLinear = allLinear && ratio <= 10;
        std::printf("%-52s %8d %9.3f %8d %9.3f %8.1f  (target <= 10; %zu findings, %.1f MB LDIF "
                    "at n)\n",
                    shape.name, small, smallRun.seconds, large, largeRun.seconds, ratio,
                    largeRun.findings, largeRun.ldifBytes / 1e6);
        // Where a ratio comes from: each stage's CPU seconds at n/10 and at n.
        const char* stageNames[] = {"parse", "snapshot", "rules", "reports"};
        std::printf("    stages:");
        for (int i = 0; i < 4; ++i)
            std::printf(" %s %.3f -> %.3f (x%.1f)%s", stageNames[i], smallRun.stages[i],
                        largeRun.stages[i], largeRun.stages[i] / smallRun.stages[i],
                        i < 3 ? "," : "\n");
        std::fflush(stdout);
    }
    if (!writeDirectory.empty())
        return 0;
    std::printf("%s\n", allLinear ? "all shapes within the target"
                                  : "some shape exceeds the target (see the ratio column)");
    return 0;
}
