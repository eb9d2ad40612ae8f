// Facebook Page: visitor posts and the page feed, posts that tag the page, and comments
// (filter=stream, replies included) on the page's recent posts.
#pragma once

#include "connectors/graph/graph_client.h"

namespace sambat::connectors {

struct FacebookOptions {
  std::string base_url = "https://graph.facebook.com/v25.0";
  std::string page_id;
  Secret access_token;
  int64_t overlap_ms = 5 * 60'000;  // re-read this much before the cursor
  int recent_posts = 10;            // own posts whose comments are polled
  int max_pages = 50;
};

class FacebookConnector final : public Connector {
 public:
  FacebookConnector(FacebookOptions options, HttpTransport* http, const Clock* clock);
  std::string platform() const override { return "facebook"; }
  std::vector<std::string> endpoints() const override { return {"feed", "tagged", "comments"}; }
  PollOutcome Poll(const std::string& endpoint, const std::optional<std::string>& cursor) override;

 private:
  // Reads one post or comment; false when it cannot be used (counted as skipped).
  bool ReadItem(const rapidjson::Value& v, const std::string& endpoint, Post* p) const;
  FacebookOptions o_;
  GraphClient graph_;
};

}  // namespace sambat::connectors
