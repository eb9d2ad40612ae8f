#include "daemon/systemd_notifier.h"

#include <systemd/sd-daemon.h>
#include <time.h>

namespace sambat::daemon {

void SystemdNotifier::Ready(const std::string& status) {
  sd_notify(0, ("READY=1\nSTATUS=" + status).c_str());
}

void SystemdNotifier::Reloading() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const long long usec = static_cast<long long>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
  sd_notify(0, ("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec)).c_str());
}

void SystemdNotifier::Stopping() { sd_notify(0, "STOPPING=1\nSTATUS=stopping"); }

void SystemdNotifier::Status(const std::string& status) { sd_notify(0, ("STATUS=" + status).c_str()); }

void SystemdNotifier::Watchdog() { sd_notify(0, "WATCHDOG=1"); }

std::optional<std::chrono::microseconds> SystemdNotifier::WatchdogInterval() const {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

}  // namespace sambat::daemon
