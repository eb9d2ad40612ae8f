#include "web/webhook.h"

#include <sodium.h>


namespace sambat::web {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 15];
  }
  return out;
}

Response Plain(const Request& req, http::status s, std::string body) {
  return MakeResponse(req, s, std::move(body), "text/plain; charset=utf-8");
}

}  // namespace

std::string MetaSignature(const std::string& secret, const std::string& body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return "sha256=" + Hex(mac, sizeof mac);
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Response WebhookReceiver::Handle(const Request& req) {
  if (req.method() == http::verb::get) {
    auto q = ParseQuery(std::string_view(req.target().data(), req.target().size()));
    if (q["hub.mode"] == "subscribe" && ConstantTimeEquals(q["hub.verify_token"], verify_token_.Reveal()) &&
        !q["hub.challenge"].empty()) {
      return Plain(req, http::status::ok, q["hub.challenge"]);
    }
    return Plain(req, http::status::forbidden, "verification failed\n");
  }
  if (req.method() != http::verb::post) return Plain(req, http::status::method_not_allowed, "method not allowed\n");
  const std::string body = req.body();
  auto sig = req["X-Hub-Signature-256"];
  if (sig.empty() || !ConstantTimeEquals(std::string(sig), MetaSignature(app_secret_.Reveal(), body))) {
    ++bad_signatures_;
    return Plain(req, http::status::unauthorized, "bad signature\n");
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  const std::string source = body.find("\"object\":\"page\"") != std::string::npos ? "facebook" : "instagram";
  auto saved = store_->SaveWebhookEvent(source, body, Hex(digest, sizeof digest));
  if (!saved.ok()) {
    // Not stored: a 5xx makes Meta retry for a while rather than drop it.
    return Plain(req, http::status::service_unavailable, "not stored, retry\n");
  }
  if (*saved) {
    ++stored_;
    if (on_event_) on_event_();
  } else {
    ++duplicates_;
  }
  return Plain(req, http::status::ok, "EVENT_RECEIVED");
}

}  // namespace sambat::web
