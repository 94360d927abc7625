#include "cli.h"
#include "document_memory.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

// Under the sanitizers the process ends through exit(), so that the leak check (an atexit handler)
// still runs; what the run left over is then still reachable from this frame, not a leak.
#if defined(__SANITIZE_ADDRESS__)
#define RELAYAUDIT_EXIT_THROUGH_ATEXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RELAYAUDIT_EXIT_THROUGH_ATEXIT 1
#endif
#endif

int main(int argc, char** argv) {
    relayaudit::useDocumentPagePool(); // before any document exists
    // Ends the process without freeing what the run left over (cli.h, RunLeftovers): the streams
    // are flushed by hand because _Exit does not, and nothing else waits for exit() (no atexit
    // handlers, no static objects with work in their destructors).
    relayaudit::RunLeftovers leftovers;
    int code = relayaudit::run(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                               std::cerr, &leftovers);
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
#ifdef RELAYAUDIT_EXIT_THROUGH_ATEXIT
    std::exit(code);
#else
    std::_Exit(code);
#endif
}
