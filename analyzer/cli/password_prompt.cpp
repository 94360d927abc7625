#include "password_prompt.h"

#include <iostream>
#include <termios.h>
#include <unistd.h>

namespace relayaudit {

std::optional<std::string> promptForPassword(const std::string& identity) {
    if (::isatty(STDIN_FILENO) != 1)
        return std::nullopt;
    std::cerr << "Password for " << identity << ": " << std::flush;
    termios saved{};
    tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    std::string password;
    std::getline(std::cin, password);
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
    return password;
}

} // namespace relayaudit
