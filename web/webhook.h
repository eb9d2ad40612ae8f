// Meta's webhooks (Instagram mentions, the Facebook page feed): the GET verification and
// signed POSTs. A POST is stored before it is answered, because Meta does not resend.
#pragma once

#include <atomic>
#include <string>

#include "base/secret.h"
#include "db/store.h"
#include "web/http_server.h"

namespace sambat::web {

class WebhookReceiver {
 public:
  WebhookReceiver(Secret verify_token, Secret app_secret, db::Store* store, std::function<void()> on_event)
      : verify_token_(std::move(verify_token)), app_secret_(std::move(app_secret)), store_(store),
        on_event_(std::move(on_event)) {}

  Response Handle(const Request& req);

  uint64_t bad_signatures() const { return bad_signatures_.load(); }
  uint64_t stored() const { return stored_.load(); }
  uint64_t duplicates() const { return duplicates_.load(); }

 private:
  Secret verify_token_, app_secret_;
  db::Store* store_;
  std::function<void()> on_event_;
  std::atomic<uint64_t> bad_signatures_{0}, stored_{0}, duplicates_{0};
};

// "sha256=" + hex HMAC-SHA256(secret, body): what Meta puts in X-Hub-Signature-256.
std::string MetaSignature(const std::string& secret, const std::string& body);
// Constant-time comparison of two strings (lengths may differ).
bool ConstantTimeEquals(const std::string& a, const std::string& b);

}  // namespace sambat::web
