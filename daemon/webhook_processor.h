// Turns stored webhook events into posts: Instagram @mentions are fetched through
// mentioned_media/mentioned_comment; Facebook page-feed changes carry the text themselves.
#pragma once

#include "connectors/instagram/instagram_connector.h"
#include "daemon/source_runner.h"
#include "db/store.h"

namespace sambat::daemon {

struct WebhookTargets {
  connectors::InstagramConnector* instagram = nullptr;
  SourceRunner* instagram_runner = nullptr;
  SourceRunner* facebook_runner = nullptr;
};

// Processes up to `limit` pending events; returns how many were handled. An event whose
// source is not enabled, or that cannot be read, is marked with the reason, never lost.
int ProcessWebhookEvents(db::Store* store, const WebhookTargets& targets, int limit = 50);

// The posts a Facebook `feed` webhook body announces (item comment/post/status, verb add).
std::vector<connectors::Post> FacebookFeedPosts(const std::string& body);
// The (media_id, comment_id) pairs of an Instagram `mentions` webhook body.
std::vector<std::pair<std::string, std::optional<std::string>>> InstagramMentions(const std::string& body);

}  // namespace sambat::daemon
