// What Facebook and Instagram (Meta Graph API) share: paging by `paging.next`, the error
// envelope classified by `error.code`, and the usage headers that say when to slow down.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <string>

#include "base/clock.h"
#include "base/secret.h"
#include "connectors/connector.h"
#include "connectors/http/http_transport.h"

namespace sambat::connectors {

class GraphClient {
 public:
  GraphClient(std::string base_url, Secret token, HttpTransport* http, const Clock* clock, std::string platform)
      : base_(std::move(base_url)), token_(std::move(token)), http_(http), clock_(clock), platform_(std::move(platform)) {}

  // Calls `on_item` for every element of `data` on every page, starting at base_url + path
  // with `query` (already encoded, without the token), following `paging.next` until it is
  // missing, `on_item` returns false, or `max_pages` pages were read. On failure `out` says
  // how (kBackoff or kPaused); on success out->kind stays kOk.
  // Returns false when the page budget ran out with more pages left.
  bool ForEach(const std::string& path_and_query, int max_pages, PollOutcome* out,
               const std::function<bool(const rapidjson::Value&)>& on_item);

  // One GET of base_url + path; the parsed body in `doc`. False (and `out` filled) on failure.
  bool Get(const std::string& path_and_query, rapidjson::Document* doc, PollOutcome* out);

  const std::string& base_url() const { return base_; }

 private:
  bool Fetch(const std::string& url, rapidjson::Document* doc, PollOutcome* out);

  std::string base_;
  Secret token_;
  HttpTransport* http_;
  const Clock* clock_;
  std::string platform_;  // for messages: "Facebook" or "Instagram"
};

// Classifies a Graph error body (and status) into an outcome; exposed for tests.
PollOutcome GraphFailure(int http_status, const std::string& body, const std::string& platform, int64_t now_ms,
                         const std::optional<std::string>& app_usage, const std::optional<std::string>& buc_usage);

// The highest percentage in X-App-Usage / X-Business-Use-Case-Usage, and the longest
// estimated_time_to_regain_access (minutes), if any.
struct GraphUsage {
  int max_percent = 0;
  int regain_minutes = 0;
};
GraphUsage ParseGraphUsage(const std::optional<std::string>& app_usage, const std::optional<std::string>& buc_usage);

}  // namespace sambat::connectors
