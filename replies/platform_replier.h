// Posts one reply through a platform's API: X (POST /2/tweets with in_reply_to_tweet_id),
// Facebook (POST /{id}/comments), Instagram (POST /{comment-id}/replies, POST
// /{ig-user-id}/mentions). Blocking: the reply dispatcher calls it on its own thread.
#pragma once

#include <string>

#include "base/secret.h"
#include "connectors/http/http_transport.h"
#include "db/outbox_store.h"
#include "handoff/retry.h"
#include "handoff/sink.h"

namespace sambat::replies {

// One platform's account, as the configuration gives it. The token file is read at each send,
// so a rotated token needs no restart; no token file: replies on that platform become dead
// letters that say which key to set.
struct PlatformAccount {
  std::string base_url;
  std::string token_file;  // X: a user-context token with tweet.write; Meta: the page token
  std::string account_id;  // Instagram: the ig-user-id (for /mentions)
};

struct PlatformAccounts {
  PlatformAccount x, facebook, instagram;
};

// A Sink for the outbox dispatcher, so replies get the same retries and dead letters.
class PlatformReplier final : public handoff::Sink {
 public:
  PlatformReplier(PlatformAccounts accounts, connectors::HttpTransport* http)
      : a_(std::move(accounts)), http_(http) {}

  // Delivered (with the platform's id for the reply), retry, or dead with a reason in
  // Indonesian for Admin Utama.
  handoff::Verdict Deliver(const db::OutboxItem& item, int64_t now_ms) override;

 private:
  PlatformAccounts a_;
  connectors::HttpTransport* http_;
};

// What an answer to POST /2/tweets means: 201/200 with data.id delivered; 429 retries at
// x-rate-limit-reset; 503 retries; 401/403 dead (the token); other 4xx dead. Whatever may
// hide a posted reply — no answer after the request left, 500/502/504/408, a success without
// an id — is a dead letter saying so: a person checks the platform rather than risk the same
// reply twice. Only a request that surely never arrived (kIoError) is retried.
handoff::Verdict JudgeXReply(const Result<connectors::HttpResponse>& response, int64_t now_ms);

// The same for a Graph write: 2xx with "id" delivered; rate limits and passing errors retry
// (using the usage headers); expired tokens, missing permissions and refusals are dead.
handoff::Verdict JudgeGraphReply(const Result<connectors::HttpResponse>& response, const std::string& platform,
                                 int64_t now_ms);

}  // namespace sambat::replies
