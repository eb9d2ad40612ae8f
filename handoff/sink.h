// A sink delivers one confirmed complaint to the disposition pipeline and says what came of
// it. Blocking: the dispatcher calls it on its own thread.
#pragma once

#include <memory>

#include "base/secret.h"
#include "config/config.h"
#include "connectors/http/http_transport.h"
#include "db/outbox_store.h"
#include "handoff/retry.h"

namespace sambat::handoff {

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Verdict Deliver(const db::OutboxItem& item, int64_t now_ms) = 0;
};

// http-json: POST the payload (docs/handoff.md) with a bearer token and Idempotency-Key.
class HttpJsonSink final : public Sink {
 public:
  HttpJsonSink(std::string url, Secret token, connectors::HttpTransport* http)
      : url_(std::move(url)), token_(std::move(token)), http_(http) {}
  Verdict Deliver(const db::OutboxItem& item, int64_t now_ms) override;

 private:
  std::string url_;
  Secret token_;
  connectors::HttpTransport* http_;
};

// open311: GeoReport v2 POST {url}/requests.json, form-encoded. GeoReport has no idempotency
// key; the key is still sent as a header for servers that honour it.
class Open311Sink final : public Sink {
 public:
  Open311Sink(std::string base_url, Secret api_key, std::vector<std::pair<std::string, std::string>> service_map,
              connectors::HttpTransport* http)
      : base_url_(std::move(base_url)), api_key_(std::move(api_key)), service_map_(std::move(service_map)), http_(http) {}
  Verdict Deliver(const db::OutboxItem& item, int64_t now_ms) override;

  // The form body for one payload, or an error message when the payload cannot be mapped
  // (no service_code for its OPD): exposed for tests.
  Result<std::string> FormBody(const std::string& payload_json) const;

 private:
  std::string base_url_;
  Secret api_key_;
  std::vector<std::pair<std::string, std::string>> service_map_;
  connectors::HttpTransport* http_;
};

}  // namespace sambat::handoff
