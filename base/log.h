// Logging setup. Lines are English; under systemd (JOURNAL_STREAM set) each line carries a
// syslog priority prefix ("<3>") that journald turns into the entry's priority.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace sambat {

// Accepted: trace, debug, info, warn, error, critical, off.
bool IsValidLogLevel(std::string_view level);

// Replaces the default logger. `journal` forces the priority-prefixed format; by default it
// is chosen from $JOURNAL_STREAM.
void SetupLogging(std::string_view level);
void SetLogLevel(std::string_view level);

}  // namespace sambat
