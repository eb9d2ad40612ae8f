// A disposition pipeline of our own for tests: a real HTTP server on loopback that speaks the
// http-json hand-off contract (docs/handoff.md) and misbehaves on request. It processes each
// Idempotency-Key once: a repeat gets 409 with the first ticket, as a real pipeline should.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "web/http_server.h"

namespace sambat::testing {

class FakeSink {
 public:
  // What the next request gets, before normal processing.
  struct Fault {
    int status = 500;                       // answered instead of processing (0: process normally)
    std::chrono::milliseconds delay{0};     // wait this long first (longer than the client's timeout = a timeout)
    std::string retry_after = {};           // Retry-After header, if any
    bool process_then_hang = false;         // record the key as processed, then hang for `delay`
  };

  FakeSink();
  ~FakeSink();

  // Listens on 127.0.0.1 (port 0: any). Fails only if the port is taken.
  bool Start(uint16_t port = 0);
  void Stop();
  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/aduan"; }

  void QueueFault(Fault f);
  void SetToken(std::string token) { token_ = std::move(token); }

  // Keys processed (2xx given), in order, each once; and how many requests arrived in all.
  std::vector<std::string> processed() const;
  int requests() const;
  std::map<std::string, std::string> bodies() const;  // key → the body first processed

 private:
  web::Response Handle(const web::Request& req);

  mutable std::mutex mu_;
  std::deque<Fault> faults_;
  std::vector<std::string> processed_;
  std::map<std::string, std::string> tickets_, bodies_;
  int requests_ = 0;
  std::string token_ = "sink-token";
  boost::asio::io_context ioc_{1};
  std::unique_ptr<web::HttpServer> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

}  // namespace sambat::testing
