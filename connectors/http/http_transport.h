// HttpTransport: the one seam between sambatd and the network. Connectors and the hand-off
// call Send(); tests point base URLs at a local server, or replace the transport.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace sambat::connectors {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;
  // The first header named `name` (lowercase), if any.
  std::optional<std::string> Header(std::string_view name) const;
};

// Blocking: callers run it off the thread that serves the web queue. Thread-safe.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // A response with any status is OK; a failure means no response (DNS, connect, TLS,
  // timeout, body over the size cap). Messages never contain the URL's query string.
  // The code tells whether the request may have reached the server: kIoError when it surely
  // did not (name resolution, connection refused: safe to repeat a call that is not
  // idempotent, like posting a reply), kUnavailable otherwise.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// The URL without its query string and fragment: what may appear in a log line (Meta's
// paging URLs carry the access token in the query).
std::string RedactUrl(std::string_view url);

// Appends ?k=v or &k=v with the value percent-encoded.
void AddQuery(std::string* url, std::string_view key, std::string_view value);
std::string PercentEncode(std::string_view s);

}  // namespace sambat::connectors
