// A GeoReport v2 (Open311) server of our own for tests: POST /requests.json creates a
// service request (form-encoded, api_key checked), GET /requests/{id}.json answers its status,
// which the test moves along as an OPD would (open → in_progress → closed with notes).
#pragma once

#include <boost/asio/io_context.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "web/http_server.h"

namespace sambat::testing {

class FakeOpen311 {
 public:
  struct Request {
    std::string service_code, description, status = "open";
    std::optional<std::string> status_notes = {}, agency_responsible = {};
  };

  explicit FakeOpen311(std::string api_key) : api_key_(std::move(api_key)) {}
  ~FakeOpen311();

  bool Start();
  void Stop();
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/georeport/v2"; }

  // Moves request `id` along; false if there is no such request.
  bool Update(const std::string& id, const std::string& status, std::optional<std::string> notes,
              std::optional<std::string> agency);
  std::map<std::string, Request> requests() const;
  int status_reads() const;

 private:
  web::Response Handle(const web::Request& req);

  std::string api_key_;
  mutable std::mutex mu_;
  std::map<std::string, Request> requests_;
  int next_id_ = 638344, status_reads_ = 0;
  boost::asio::io_context ioc_{1};
  std::unique_ptr<web::HttpServer> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

}  // namespace sambat::testing
