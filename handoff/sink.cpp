#include "handoff/sink.h"

#include <rapidjson/document.h>

namespace sambat::handoff {

Verdict HttpJsonSink::Deliver(const db::OutboxItem& item, int64_t now_ms) {
  connectors::HttpRequest req;
  req.method = "POST";
  req.url = url_;
  req.headers = {{"Authorization", "Bearer " + token_.Reveal()},
                 {"Idempotency-Key", item.idempotency_key},
                 {"Content-Type", "application/json"}};
  req.body = item.payload_json;
  return JudgeHttpJson(http_->Send(req), now_ms);
}

Result<std::string> Open311Sink::FormBody(const std::string& payload_json) const {
  rapidjson::Document d;
  d.Parse(payload_json.c_str(), payload_json.size());
  if (d.HasParseError() || !d.IsObject()) return Status::InvalidArgument("Isi kiriman di outbox bukan objek JSON.");
  auto str = [&](const char* k) -> std::string {
    return d.HasMember(k) && d[k].IsString() ? std::string(d[k].GetString(), d[k].GetStringLength()) : "";
  };
  const std::string opd = str("opd"), kategori = str("kategori");
  std::string service;
  for (const auto& [key, code] : service_map_) {
    if (key == opd + "/" + kategori) service = code;  // the more specific wins
  }
  if (service.empty()) {
    for (const auto& [key, code] : service_map_) {
      if (key == opd) service = code;
    }
  }
  if (service.empty()) {
    // Shown to Admin Utama as the dead letter's reason: it names what to add to the configuration.
    return Status::InvalidArgument("Tidak ada service_code untuk OPD " + opd +
                                   " di handoff.open311_service_map; tambahkan lalu kirim ulang.");
  }
  std::string address = str("alamat");
  if (!str("desa").empty() || !str("kecamatan").empty()) {
    address += (address.empty() ? "" : " (") + std::string("Desa ") + str("desa") + ", Kec. " + str("kecamatan") +
               (address.empty() ? "" : ")");
  }
  std::string body = "service_code=" + connectors::PercentEncode(service);
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) body += std::string("&") + k + "=" + connectors::PercentEncode(v);
  };
  add("api_key", api_key_.Reveal());
  add("description", str("pesan"));
  add("address_string", address);
  add("first_name", str("nama"));
  if (d.HasMember("lampiran") && d["lampiran"].IsArray()) {
    for (const auto& m : d["lampiran"].GetArray()) {
      if (m.IsObject() && m.HasMember("url") && m["url"].IsString()) {
        add("media_url", m["url"].GetString());
        break;  // GeoReport takes one
      }
    }
  }
  return body;
}

Verdict Open311Sink::Deliver(const db::OutboxItem& item, int64_t now_ms) {
  auto body = FormBody(item.payload_json);
  if (!body.ok()) return {Verdict::Kind::kDead, std::nullopt, std::nullopt, body.status().message()};
  connectors::HttpRequest req;
  req.method = "POST";
  req.url = base_url_ + (base_url_.ends_with("/") ? "" : "/") + "requests.json";
  req.headers = {{"Idempotency-Key", item.idempotency_key}, {"Content-Type", "application/x-www-form-urlencoded"}};
  req.body = *body;
  return JudgeOpen311(http_->Send(req), now_ms);
}

}  // namespace sambat::handoff
