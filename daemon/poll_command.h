// One-shot commands: `poll --once [--dry-run]` and `queue list --json [--status S]`.
#pragma once

#include <string>

namespace sambat::daemon {

int PollOnce(const std::string& config_path, bool dry_run);
int QueueList(const std::string& config_path, const std::string& status, bool json);

}  // namespace sambat::daemon
