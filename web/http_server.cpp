#include "web/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

namespace sambat::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

void AddSecurityHeaders(Response& res) {
  res.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
          "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set(http::field::server, "sambatd");
}

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexDigit(s[i + 1]) >= 0 && HexDigit(s[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> ParseQuery(std::string_view target) {
  std::map<std::string, std::string> q;
  auto at = target.find('?');
  if (at == std::string_view::npos) return q;
  std::string_view rest = target.substr(at + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view kv = rest.substr(0, amp);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos) q[PercentDecode(kv.substr(0, eq))] = PercentDecode(kv.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return q;
}

Response MakeResponse(const Request& req, http::status status, std::string body,
                      const std::string& content_type) {
  Response res{status, req.version()};
  res.set(http::field::content_type, content_type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer* server)
      : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

  // From any thread: close once the current request (if any) is answered.
  void Shutdown() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->closing_ = true;
      if (!self->writing_) self->Close();
    });
  }

 private:
  void Read() {
    if (closing_) return Close();
    parser_.emplace();
    parser_->body_limit(server_->options_.max_body_bytes);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(server_->options_.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      Request req;
      req.version(11);
      auto res = MakeResponse(req, http::status::payload_too_large,
                              R"({"error":{"code":"payload_too_large","message":"Permintaan terlalu besar."}})",
                              "application/json");
      res.keep_alive(false);
      return Write(std::move(res));
    }
    if (ec) {
      if (ec != asio::error::connection_reset) spdlog::debug("http read from {}: {}", remote_, ec.message());
      return Close();
    }
    auto req = std::make_shared<Request>(parser_->release());
    if (!server_->pool_) return Answer(Run(*req));
    writing_ = true;  // answering: a shutdown now waits for the answer to be written
    asio::post(*server_->pool_, [self = shared_from_this(), req] {
      auto res = std::make_shared<Response>(self->Run(*req));
      asio::dispatch(self->stream_.get_executor(), [self, res] { self->Answer(std::move(*res)); });
    });
  }

  // The handler's answer, or a 500 if it threw: a handler bug must not take the server down.
  Response Run(const Request& req) {
    try {
      return server_->handler_(req, remote_);
    } catch (const std::exception& e) {
      spdlog::error("http handler failed on {} {}: {}", std::string(req.method_string()),
                    std::string(req.target().substr(0, req.target().find('?'))), e.what());
      return MakeResponse(req, http::status::internal_server_error,
                          R"({"error":{"code":"internal","message":"Terjadi kesalahan di server."}})",
                          "application/json");
    }
  }

  void Answer(Response res) {
    if (++requests_ >= server_->options_.max_requests_per_connection) res.keep_alive(false);
    Write(std::move(res));
  }

  void Write(Response res) {
    AddSecurityHeaders(res);
    res_ = std::make_shared<Response>(std::move(res));
    writing_ = true;
    stream_.expires_after(server_->options_.write_timeout);
    http::async_write(stream_, *res_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this(), res_->need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, size_t) {
    writing_ = false;
    res_.reset();
    if (ec || close || closing_) return Close();
    Read();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> res_;
  HttpServer* server_;
  std::string remote_;
  size_t requests_ = 0;
  bool writing_ = false;
  bool closing_ = false;
};

HttpServer::HttpServer(asio::io_context& ioc, ServerOptions options, Handler handler)
    : ioc_(ioc), options_(std::move(options)), handler_(std::move(handler)), acceptor_(asio::make_strand(ioc)) {}

HttpServer::~HttpServer() {
  Stop();
  if (pool_) pool_->join();
}

Status HttpServer::Start() {
  beast::error_code ec;
  auto addr = asio::ip::make_address(options_.host, ec);
  if (ec) return Status::InvalidArgument("http.listen: bad address " + options_.host);
  tcp::endpoint ep(addr, options_.port);
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable("cannot listen on " + where + ": " + ec.message());
  bound_port_ = acceptor_.local_endpoint().port();
  if (options_.handler_threads > 0) pool_ = std::make_unique<asio::thread_pool>(options_.handler_threads);
  Accept();
  return Status::Ok();
}

void HttpServer::Accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping_ || ec == asio::error::operation_aborted) return;
    if (ec) {
      spdlog::warn("http accept: {}", ec.message());
    } else if (active_connections() >= options_.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);  // over the cap: refuse rather than queue unboundedly
    } else {
      auto s = std::make_shared<Session>(std::move(socket), this);
      sessions_.push_back(s);
      s->Start();
    }
    Accept();
  });
}

size_t HttpServer::active_connections() {
  // Sessions never call back into the server when they die (they may outlive it inside a
  // stopped io_context), so finished ones are pruned here.
  sessions_.remove_if([](const std::weak_ptr<Session>& w) { return w.expired(); });
  return sessions_.size();
}

void HttpServer::Stop() {
  stopping_ = true;
  beast::error_code ec;
  acceptor_.close(ec);
  // Lock first, then act: a session released inside the loop would edit the list under it.
  std::vector<std::shared_ptr<Session>> live;
  for (auto& w : sessions_) {
    if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->Shutdown();
}

}  // namespace sambat::web
