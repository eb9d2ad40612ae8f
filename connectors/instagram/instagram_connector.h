// Instagram (Graph API, professional account): media the account is tagged in, comments and
// replies on the account's own recent media, and @mentions announced by Meta's webhook.
#pragma once

#include "connectors/graph/graph_client.h"

namespace sambat::connectors {

struct InstagramOptions {
  std::string base_url = "https://graph.facebook.com/v25.0";
  std::string user_id;
  Secret access_token;
  int64_t overlap_ms = 5 * 60'000;
  int recent_media = 10;
  int max_pages = 50;
};

class InstagramConnector final : public Connector {
 public:
  InstagramConnector(InstagramOptions options, HttpTransport* http, const Clock* clock);
  std::string platform() const override { return "instagram"; }
  std::vector<std::string> endpoints() const override { return {"tags", "comments"}; }
  PollOutcome Poll(const std::string& endpoint, const std::optional<std::string>& cursor) override;

  // A caption or comment @mention the webhook announced: fetched through mentioned_media /
  // mentioned_comment (they cannot be listed). One post, or the failure.
  PollOutcome FetchMention(const std::string& media_id, const std::optional<std::string>& comment_id);

 private:
  bool ReadMedia(const rapidjson::Value& v, const std::string& endpoint, Post* p) const;
  bool ReadComment(const rapidjson::Value& v, const std::string& endpoint, Post* p) const;
  InstagramOptions o_;
  GraphClient graph_;
};

}  // namespace sambat::connectors
