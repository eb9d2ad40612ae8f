// X API v2: mentions of the regency's account and an optional recent search.
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/secret.h"
#include "connectors/connector.h"
#include "connectors/http/http_transport.h"

namespace sambat::connectors {

struct XOptions {
  std::string base_url = "https://api.x.com";
  std::string user_id;
  std::string search_query;          // empty: no search endpoint
  Secret bearer_token;
  int64_t overlap_ms = 2 * 60'000;   // re-read this much before the watermark (late arrivals)
  int max_pages = 50;                // a bound on one poll
};

class XConnector final : public Connector {
 public:
  XConnector(XOptions options, HttpTransport* http, const Clock* clock);
  std::string platform() const override { return "x"; }
  std::vector<std::string> endpoints() const override;
  PollOutcome Poll(const std::string& endpoint, const std::optional<std::string>& cursor) override;

 private:
  XOptions o_;
  HttpTransport* http_;
  const Clock* clock_;
};

// The snowflake id `ms` milliseconds before `id` (X ids carry their creation time).
std::string SnowflakeMinus(const std::string& id, int64_t ms);

// Which error an X answer is, from its status and RFC 7807 body: the monthly usage cap and a
// refused token pause, a rate limit waits for x-rate-limit-reset, the rest backs off.
PollOutcome XFailure(const HttpResponse& response, int64_t now_ms);

}  // namespace sambat::connectors
