#include "tools/fake_sink/fake_open311.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/asio/post.hpp>

namespace sambat::testing {

namespace http = web::http;

FakeOpen311::~FakeOpen311() { Stop(); }

bool FakeOpen311::Start() {
  server_ = std::make_unique<web::HttpServer>(
      ioc_, web::ServerOptions{.host = "127.0.0.1", .port = 0, .handler_threads = 2},
      [this](const web::Request& req, const std::string&) { return Handle(req); });
  if (!server_->Start().ok()) return false;
  port_ = server_->port();
  thread_ = std::thread([this] { ioc_.run(); });
  return true;
}

void FakeOpen311::Stop() {
  if (!server_) return;
  boost::asio::post(ioc_, [this] { server_->Stop(); });
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

bool FakeOpen311::Update(const std::string& id, const std::string& status, std::optional<std::string> notes,
                         std::optional<std::string> agency) {
  std::lock_guard lock(mu_);
  auto it = requests_.find(id);
  if (it == requests_.end()) return false;
  it->second.status = status;
  it->second.status_notes = std::move(notes);
  it->second.agency_responsible = std::move(agency);
  return true;
}

std::map<std::string, FakeOpen311::Request> FakeOpen311::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

int FakeOpen311::status_reads() const {
  std::lock_guard lock(mu_);
  return status_reads_;
}

web::Response FakeOpen311::Handle(const web::Request& req) {
  auto json = [&](http::status s, const std::string& body) {
    return web::MakeResponse(req, s, body, "application/json; charset=utf-8");
  };
  auto error = [&](http::status s, const std::string& description) {
    return json(s, R"([{"code":)" + std::to_string(static_cast<int>(s)) + R"(,"description":")" + description + "\"}]");
  };
  const std::string target(req.target());
  const std::string path = target.substr(0, target.find('?'));
  const std::string prefix = "/georeport/v2/requests";
  std::lock_guard lock(mu_);
  if (req.method() == http::verb::post && path == prefix + ".json") {
    auto form = web::ParseQuery("?" + req.body());
    if (form["api_key"] != api_key_) return error(http::status::forbidden, "api_key tidak sah");
    if (form["service_code"].empty()) return error(http::status::bad_request, "service_code wajib diisi");
    const std::string id = std::to_string(next_id_++);
    requests_[id] = Request{.service_code = form["service_code"], .description = form["description"]};
    return json(http::status::created, R"([{"service_request_id":")" + id + R"(","service_notice":""}])");
  }
  if (req.method() == http::verb::get && path.rfind(prefix + "/", 0) == 0 && path.ends_with(".json")) {
    if (web::ParseQuery(target)["api_key"] != api_key_) return error(http::status::forbidden, "api_key tidak sah");
    const std::string id = path.substr(prefix.size() + 1, path.size() - prefix.size() - 1 - 5);
    ++status_reads_;
    auto it = requests_.find(id);
    if (it == requests_.end()) return error(http::status::not_found, "service_request_id tidak ditemukan");
    const Request& r = it->second;
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    auto opt = [&](const char* key, const std::optional<std::string>& v) {
      w.Key(key);
      if (v) w.String(v->c_str()); else w.Null();
    };
    w.StartArray();
    w.StartObject();
    w.Key("service_request_id"); w.String(id.c_str());
    w.Key("status"); w.String(r.status.c_str());
    opt("status_notes", r.status_notes);
    opt("agency_responsible", r.agency_responsible);
    w.Key("service_code"); w.String(r.service_code.c_str());
    w.Key("description"); w.String(r.description.c_str());
    w.EndObject();
    w.EndArray();
    return json(http::status::ok, b.GetString());
  }
  return error(http::status::not_found, "alamat tidak dikenal");
}

}  // namespace sambat::testing
