// A small HTTP/1.1 server on Boost.Beast: one strand per connection, body-size limit,
// read/write timeouts, keep-alive, a cap on connections and on requests per connection, and
// security headers on every answer. What to answer is decided by a Handler, a plain function
// of the request, so routes are tested without sockets.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>

#include "base/status.h"

namespace sambat::web {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Called on the io_context thread, or on the handler pool when ServerOptions::handler_threads
// is set (then it must be thread-safe); must not block on the network.
using Handler = std::function<Response(const Request&, const std::string& remote_addr)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                               // 0 = any free port
  size_t max_body_bytes = 1 << 20;                    // larger requests get 413
  std::chrono::milliseconds read_timeout{30'000};     // also the keep-alive idle time
  std::chrono::milliseconds write_timeout{30'000};
  size_t max_connections = 512;                       // more are closed at once
  size_t max_requests_per_connection = 1000;
  // > 0: handlers run on a pool of this many threads, so a slow one (a login's Argon2id,
  // a long SQLite query) does not stall every other connection's reads and writes.
  size_t handler_threads = 0;
};

class Session;

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& ioc, ServerOptions options, Handler handler);
  ~HttpServer();

  // Binds and starts accepting. Fails with a message naming the address.
  Status Start();
  // The port actually bound (useful with port 0).
  uint16_t port() const { return bound_port_; }
  // Stops accepting and closes idle connections; requests in flight are answered first.
  void Stop();

  // REQUIRES: called on the io_context thread.
  size_t active_connections();

 private:
  friend class Session;
  void Accept();

  boost::asio::io_context& ioc_;
  ServerOptions options_;
  Handler handler_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t bound_port_ = 0;
  bool stopping_ = false;
  std::list<std::weak_ptr<Session>> sessions_;
  std::unique_ptr<boost::asio::thread_pool> pool_;  // joined before the members it uses go
};

// Adds the headers every answer carries (CSP without inline script, nosniff, no framing,
// no referrer). Exposed for the router tests.
void AddSecurityHeaders(Response& res);

// The query string of a request target, percent-decoded ('+' is a space). A malformed
// escape is kept as written; a repeated key keeps its last value.
std::map<std::string, std::string> ParseQuery(std::string_view target);

// A plain-text or JSON answer with the right content type.
Response MakeResponse(const Request& req, http::status status, std::string body,
                      const std::string& content_type);

}  // namespace sambat::web
