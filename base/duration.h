// Durations as operators write them: "500ms", "30s", "5m", "2h", "1h30m", "90d".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"

namespace sambat {

Result<std::chrono::milliseconds> ParseDuration(std::string_view text);
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace sambat
