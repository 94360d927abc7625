#include "cli.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    // Ends the process without freeing what the run left over (cli.h, RunLeftovers): the streams
    // are flushed by hand because _Exit does not, and nothing else waits for exit() (no atexit
    // handlers, no static objects with work in their destructors).
    relayaudit::RunLeftovers leftovers;
    int code = relayaudit::run(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                               std::cerr, &leftovers);
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    std::_Exit(code);
}
