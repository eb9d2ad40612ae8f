#include "tools/fake_sink/fake_sink.h"

#include <boost/asio/post.hpp>

namespace sambat::testing {

namespace http = web::http;

FakeSink::FakeSink() = default;
FakeSink::~FakeSink() { Stop(); }

bool FakeSink::Start(uint16_t port) {
  server_ = std::make_unique<web::HttpServer>(
      ioc_, web::ServerOptions{.host = "127.0.0.1", .port = port, .handler_threads = 4},
      [this](const web::Request& req, const std::string&) { return Handle(req); });
  if (!server_->Start().ok()) return false;
  port_ = server_->port();
  thread_ = std::thread([this] { ioc_.run(); });
  return true;
}

void FakeSink::Stop() {
  if (!server_) return;
  boost::asio::post(ioc_, [this] { server_->Stop(); });
  if (thread_.joinable()) thread_.join();
  server_.reset();  // joins the handler pool
  ioc_.restart();
}

void FakeSink::QueueFault(Fault f) {
  std::lock_guard lock(mu_);
  faults_.push_back(std::move(f));
}

std::vector<std::string> FakeSink::processed() const {
  std::lock_guard lock(mu_);
  return processed_;
}

int FakeSink::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::map<std::string, std::string> FakeSink::bodies() const {
  std::lock_guard lock(mu_);
  return bodies_;
}

web::Response FakeSink::Handle(const web::Request& req) {
  auto json = [&](http::status s, const std::string& body) {
    return web::MakeResponse(req, s, body, "application/json");
  };
  Fault fault{.status = 0};
  {
    std::lock_guard lock(mu_);
    ++requests_;
    if (!faults_.empty()) {
      fault = faults_.front();
      faults_.pop_front();
    }
  }
  if (req.method() != http::verb::post) return json(http::status::method_not_allowed, R"({"message":"POST only"})");
  if (req[http::field::authorization] != "Bearer " + token_) return json(http::status::unauthorized, R"({"message":"bad token"})");
  const std::string key(req["Idempotency-Key"]);
  if (key.empty()) return json(http::status::bad_request, R"({"message":"Idempotency-Key missing"})");
  if (fault.status != 0 && !fault.process_then_hang) {
    std::this_thread::sleep_for(fault.delay);
    auto res = json(static_cast<http::status>(fault.status), R"({"message":"injected fault"})");
    if (!fault.retry_after.empty()) res.set(http::field::retry_after, fault.retry_after);
    return res;
  }
  std::string ticket;
  bool duplicate = false;
  {
    std::lock_guard lock(mu_);
    auto it = tickets_.find(key);
    if (it != tickets_.end()) {
      duplicate = true;
      ticket = it->second;
    } else {
      ticket = "TKT-" + std::to_string(1000 + processed_.size());
      tickets_[key] = ticket;
      bodies_[key] = req.body();
      processed_.push_back(key);
    }
  }
  if (fault.process_then_hang) std::this_thread::sleep_for(fault.delay);
  if (duplicate) return json(http::status::conflict, R"({"message":"already processed","ticket":")" + ticket + "\"}");
  return json(http::status::created, R"({"ticket":")" + ticket + "\"}");
}

}  // namespace sambat::testing
