// When to poll next: pure functions of clock values, so tests never sleep.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

namespace sambat::daemon {

inline constexpr int64_t kPausedForever = INT64_MAX;  // until a person fixes it and reloads

// After `failures` failures in a row: the interval doubled each time, at most one hour.
inline int64_t BackoffMs(int64_t interval_ms, int failures) {
  int64_t d = std::max<int64_t>(interval_ms, 1000);
  for (int i = 0; i < failures && d < 3600'000; ++i) d *= 2;
  return std::min<int64_t>(d, 3600'000);
}

// `jitter01` in [0, 1): spreads polls by ±10% so sources do not march in step. A platform's
// own "wait until" (`retry_at`) always wins when it is later.
inline int64_t NextPollAt(int64_t now_ms, int64_t interval_ms, int failures, double jitter01,
                          std::optional<int64_t> retry_at) {
  const int64_t base = failures > 0 ? BackoffMs(interval_ms, failures) : interval_ms;
  const auto spread = static_cast<int64_t>(static_cast<double>(base) * 0.2 * (jitter01 - 0.5));
  int64_t at = now_ms + base + spread;
  if (retry_at && *retry_at > at) at = *retry_at;
  return at;
}

}  // namespace sambat::daemon
