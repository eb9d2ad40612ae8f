// When to try a delivery again, and what a sink's answer means. Pure functions: the clock
// and the randomness come in as arguments, so they are tested without waiting.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "connectors/http/http_transport.h"

namespace sambat::handoff {

struct RetryPolicy {
  int64_t base_ms = 30'000;          // the first retry after ~30 s
  int64_t max_ms = 30 * 60'000;      // never more than 30 minutes apart
  double jitter = 0.2;               // ±20%, so many rows do not retry in lockstep
  int64_t max_retry_after_ms = 6 * 3600'000;  // a sink's Retry-After beyond this is capped
};

// Delay before attempt `attempts + 1`, after `attempts` failed ones (≥ 1): base·2^(attempts−1)
// capped at max, times a jitter factor from `unit` (uniform in [0, 1)). A Retry-After from the
// sink wins when it asks for longer.
int64_t RetryDelayMs(int attempts, double unit, const RetryPolicy& policy,
                     std::optional<int64_t> retry_after_ms = std::nullopt);

// Uniform values in [0, 1) from a randomly seeded generator: the jitter source for RetryDelayMs
// in production (tests pass a constant).
std::function<double()> RandomUnit();

// Retry-After: delta-seconds or an HTTP-date; nullopt when absent or unreadable.
std::optional<int64_t> ParseRetryAfterMs(const std::string& value, int64_t now_ms);

struct Verdict {
  enum class Kind { kDelivered, kRetry, kDead };
  Kind kind = Kind::kRetry;
  std::optional<std::string> external_ref;     // the pipeline's ticket number
  std::optional<int64_t> retry_after_ms;
  std::string message;                         // why (for the log and the dead-letter list)
};

// What an http-json sink's answer means: 2xx delivered (the ticket from "ticket", "id" or
// "ticket_number" of a JSON object); 409 delivered before (the same idempotency key was
// processed: a resend after a crash); 408, 429 and 5xx retry (honouring Retry-After); any other
// 4xx is dead at once with the sink's message; no answer at all retries.
Verdict JudgeHttpJson(const Result<connectors::HttpResponse>& response, int64_t now_ms);

// The same for Open311 GeoReport v2 POST /requests.json: 2xx with [{"service_request_id"}]
// (or only a "token" when the server assigns ids later), errors as [{"code","description"}].
Verdict JudgeOpen311(const Result<connectors::HttpResponse>& response, int64_t now_ms);

}  // namespace sambat::handoff
