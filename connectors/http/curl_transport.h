// HttpTransport on libcurl: gzip, TLS verification always on, timeouts, a response size cap,
// an optional proxy. One CURL handle per call (curl handles are not shared across threads).
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "connectors/http/http_transport.h"

namespace sambat::connectors {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{30'000};
  size_t max_response_bytes = 16 << 20;  // larger bodies fail the call
  std::string proxy = {};                // e.g. http://proxy.cilacapkab.go.id:3128; empty = none
  std::string user_agent = "sambatd";
  // When set and true, transfers in progress are abandoned (graceful stop).
  const std::atomic<bool>* cancel = nullptr;
};

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlOptions options);
  Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  CurlOptions options_;
};

// curl_global_init once per process, before threads start (RAII: cleanup on destruction).
class CurlGlobal {
 public:
  CurlGlobal();
  ~CurlGlobal();
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

}  // namespace sambat::connectors
