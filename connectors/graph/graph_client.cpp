#include "connectors/graph/graph_client.h"

#include "connectors/json_util.h"

namespace sambat::connectors {
namespace {

void ScanUsage(const rapidjson::Value& v, GraphUsage* u) {
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      const std::string key = m.name.GetString();
      if (m.value.IsNumber() && (key == "call_count" || key == "total_cputime" || key == "total_time")) {
        u->max_percent = std::max(u->max_percent, m.value.GetInt());
      } else if (m.value.IsNumber() && key == "estimated_time_to_regain_access") {
        u->regain_minutes = std::max(u->regain_minutes, m.value.GetInt());
      } else {
        ScanUsage(m.value, u);
      }
    }
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) ScanUsage(e, u);
  }
}

}  // namespace

GraphUsage ParseGraphUsage(const std::optional<std::string>& app_usage, const std::optional<std::string>& buc_usage) {
  GraphUsage u;
  for (const auto* h : {&app_usage, &buc_usage}) {
    if (!*h) continue;
    rapidjson::Document doc;
    if (ParseJson(**h, &doc).ok()) ScanUsage(doc, &u);
  }
  return u;
}

PollOutcome GraphFailure(int http_status, const std::string& body, const std::string& platform, int64_t now_ms,
                         const std::optional<std::string>& app_usage, const std::optional<std::string>& buc_usage) {
  PollOutcome out;
  rapidjson::Document doc;
  int code = 0, subcode = 0;
  std::string message;
  if (ParseJson(body, &doc).ok()) {
    if (const auto* e = Member(doc, "error")) {
      code = static_cast<int>(Int(*e, "code").value_or(0));
      subcode = static_cast<int>(Int(*e, "error_subcode").value_or(0));
      message = String(*e, "message").value_or("");
    }
  }
  // Meta's messages may quote the token; keep them short and cut at "access_token".
  if (auto at = message.find("access_token"); at != std::string::npos) message = message.substr(0, at) + "…";
  if (message.size() > 200) message = message.substr(0, 200) + "…";
  const std::string where = platform + " error " + std::to_string(code) + (subcode ? "/" + std::to_string(subcode) : "") +
                            " (HTTP " + std::to_string(http_status) + ")";
  out.log_message = where + (message.empty() ? "" : ": " + message);

  if (code == 190 || code == 102) {
    out.kind = PollOutcome::Kind::kPaused;
    std::string why = subcode == 463 ? "sudah kedaluwarsa"
                      : subcode == 460 ? "tidak berlaku karena kata sandi admin diganti"
                      : subcode == 458 ? "tidak berlaku karena aplikasi dilepas dari akun"
                      : subcode == 467 ? "tidak valid"
                                       : "tidak berlaku";
    out.operator_message = "Token " + platform + " " + why + ": token perlu diperbarui, lalu muat ulang sambatd (systemctl reload sambatd).";
    return out;
  }
  if (code == 10 || code == 100 || (code >= 200 && code <= 299)) {
    out.kind = PollOutcome::Kind::kPaused;
    out.operator_message = "Izin " + platform + " kurang (kode " + std::to_string(code) +
                           "): berikan izin yang diminta pada aplikasi Meta, lalu muat ulang sambatd.";
    return out;
  }
  out.kind = PollOutcome::Kind::kBackoff;
  if (code == 4 || code == 17 || code == 32 || code == 613 || code == 341 || code == 80001 || code == 80002) {
    // Throttled: more calls prolong it. Wait what Meta estimates, at least 15 minutes.
    GraphUsage u = ParseGraphUsage(app_usage, buc_usage);
    const int64_t wait_ms = std::max<int64_t>(15, u.regain_minutes) * 60'000;
    out.retry_at = now_ms + wait_ms;
    out.rate_reset_at = out.retry_at;
    out.rate_remaining = 0;
    out.operator_message = "Batas permintaan " + platform + " tercapai (kode " + std::to_string(code) +
                           "); dilanjutkan otomatis setelah " + std::to_string(wait_ms / 60'000) + " menit.";
    return out;
  }
  out.operator_message = platform + " sedang bermasalah (kode " + std::to_string(code) + ", HTTP " +
                         std::to_string(http_status) + "); dicoba lagi nanti.";
  return out;
}

bool GraphClient::Fetch(const std::string& url, rapidjson::Document* doc, PollOutcome* out) {
  HttpRequest req;
  req.url = url;
  // The token goes in a header, so URLs this side builds never carry it; Meta's own
  // paging.next URLs do, which is why URLs are never logged in full.
  req.headers.emplace_back("Authorization", "Bearer " + token_.Reveal());
  auto res = http_->Send(req);
  ++out->requests;
  const int64_t now = ToUnixMillis(clock_->Now());
  if (!res.ok()) {
    out->kind = PollOutcome::Kind::kBackoff;
    out->log_message = platform_ + " request failed: " + res.status().message();
    out->operator_message = "Tidak dapat menghubungi " + platform_ + "; dicoba lagi nanti.";
    return false;
  }
  GraphUsage usage = ParseGraphUsage(res->Header("x-app-usage"), res->Header("x-business-use-case-usage"));
  out->rate_remaining = 100 - std::min(usage.max_percent, 100);
  if (res->status != 200) {
    PollOutcome fail = GraphFailure(res->status, res->body, platform_, now, res->Header("x-app-usage"),
                                    res->Header("x-business-use-case-usage"));
    fail.requests = out->requests;
    *out = std::move(fail);
    return false;
  }
  if (Status s = ParseJson(res->body, doc); !s.ok() || !doc->IsObject()) {
    out->kind = PollOutcome::Kind::kBackoff;
    out->log_message = platform_ + " sent an unreadable page: " + (s.ok() ? std::string("not an object") : s.message());
    out->operator_message = "Jawaban " + platform_ + " tidak terbaca; dicoba lagi nanti.";
    return false;
  }
  if (usage.max_percent >= 100) {  // answered, but throttled from now on
    out->retry_at = now + std::max(15, usage.regain_minutes) * 60'000LL;
  }
  return true;
}

bool GraphClient::Get(const std::string& path_and_query, rapidjson::Document* doc, PollOutcome* out) {
  return Fetch(base_ + path_and_query, doc, out);
}

bool GraphClient::ForEach(const std::string& path_and_query, int max_pages, PollOutcome* out,
                          const std::function<bool(const rapidjson::Value&)>& on_item) {
  std::string url = base_ + path_and_query;
  for (int page = 0; page < max_pages && !url.empty(); ++page) {
    rapidjson::Document doc;
    if (!Fetch(url, &doc, out)) return true;
    if (const auto* data = Member(doc, "data"); data && data->IsArray()) {
      for (const auto& item : data->GetArray()) {
        if (!on_item(item)) return true;
      }
    }
    // The end is a missing paging.next, not an empty page.
    url.clear();
    if (const auto* paging = Member(doc, "paging")) url = String(*paging, "next").value_or("");
  }
  return url.empty();
}

}  // namespace sambat::connectors
