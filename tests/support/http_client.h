// A blocking HTTP/1.1 client for tests (Beast, one request per connection).
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <map>
#include <optional>
#include <string>

namespace sambat::testing {

struct HttpResult {
  int status = 0;  // 0: no answer
  std::string body;
  std::map<std::string, std::string> headers;
  std::string error;
};

inline HttpResult HttpCall(const std::string& host, uint16_t port, boost::beast::http::verb method,
                           const std::string& target, const std::string& body = "",
                           const std::map<std::string, std::string>& headers = {}) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  using tcp = boost::asio::ip::tcp;
  HttpResult out;
  try {
    boost::asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(resolver.resolve(host, std::to_string(port)));
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, host);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::read(stream, buffer, parser);
    auto res = parser.release();
    out.status = res.result_int();
    out.body = res.body();
    for (const auto& f : res) out.headers[std::string(f.name_string())] = std::string(f.value());
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

inline HttpResult HttpGet(uint16_t port, const std::string& target) {
  return HttpCall("127.0.0.1", port, boost::beast::http::verb::get, target);
}

}  // namespace sambat::testing
