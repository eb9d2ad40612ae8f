// The running daemon: the composition root that builds the concrete pieces and runs them on
// one Boost.Asio io_context.
#pragma once

#include <string>

namespace sambat::daemon {

// `sambatd --config PATH run`. Returns the process exit status: 0 after SIGTERM/SIGINT,
// 1 when the configuration, the database or the listen address is unusable at start.
int RunDaemon(const std::string& config_path);

}  // namespace sambat::daemon
