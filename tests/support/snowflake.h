// X ids carry their creation time: (ms − X's epoch) << 22. Tests make realistic ids this way.
#pragma once

#include <cstdint>
#include <string>

namespace sambat::testing {

inline std::string Snowflake(int64_t unix_ms) {
  return std::to_string(static_cast<unsigned long long>(unix_ms - 1288834974657LL) << 22);
}

}  // namespace sambat::testing
