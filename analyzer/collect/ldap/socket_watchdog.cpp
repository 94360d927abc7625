#include "socket_watchdog.h"

#include <chrono>
#include <sys/socket.h>

namespace relayaudit::ldapcollect {

SocketWatchdog::SocketWatchdog(int fd, int seconds)
    : thread_([this, fd, seconds] {
          std::unique_lock lock(mutex_);
          if (!wake_.wait_for(lock, std::chrono::seconds(seconds), [this] { return done_; })) {
              fired_ = true;
              ::shutdown(fd, SHUT_RDWR);
          }
      }) {}

SocketWatchdog::~SocketWatchdog() {
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

bool SocketWatchdog::fired() {
    std::lock_guard lock(mutex_);
    return fired_;
}

} // namespace relayaudit::ldapcollect
