// The daemon's side of systemd's notify protocol (sd_notify(3)). Outside systemd
// ($NOTIFY_SOCKET unset) every call is a no-op.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace sambat::daemon {

class SystemdNotifier {
 public:
  void Ready(const std::string& status);
  void Reloading();
  void Stopping();
  void Status(const std::string& status);
  void Watchdog();
  // How often to send WATCHDOG=1 (half of WatchdogSec=), when the watchdog is on.
  std::optional<std::chrono::microseconds> WatchdogInterval() const;
};

}  // namespace sambat::daemon
