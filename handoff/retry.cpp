#include "handoff/retry.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <random>

namespace sambat::handoff {

std::function<double()> RandomUnit() {
  return [rng = std::mt19937_64(std::random_device{}())]() mutable {
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  };
}

int64_t RetryDelayMs(int attempts, double unit, const RetryPolicy& p, std::optional<int64_t> retry_after_ms) {
  const int shift = std::clamp(attempts - 1, 0, 30);
  const double exp = std::min(static_cast<double>(p.max_ms), static_cast<double>(p.base_ms) * std::ldexp(1.0, shift));
  const double factor = 1.0 + p.jitter * (2.0 * std::clamp(unit, 0.0, 1.0) - 1.0);
  int64_t delay = static_cast<int64_t>(exp * factor);
  if (retry_after_ms) delay = std::max(delay, std::min(*retry_after_ms, p.max_retry_after_ms));
  return std::max<int64_t>(delay, 1000);
}

std::optional<int64_t> ParseRetryAfterMs(const std::string& v, int64_t now_ms) {
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (v.size() > 9) return std::nullopt;
    return std::stoll(v) * 1000;
  }
  std::tm tm{};
  const char* end = strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  const int64_t at = static_cast<int64_t>(timegm(&tm)) * 1000;
  return std::max<int64_t>(0, at - now_ms);
}

namespace {

std::string Clip(const std::string& s) { return s.size() > 300 ? s.substr(0, 300) + "…" : s; }

std::optional<std::string> StringOrNumber(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  return std::nullopt;
}

// Retry for transient statuses, dead for the rest of the 4xx; nullopt for 2xx.
std::optional<Verdict> JudgeStatus(const connectors::HttpResponse& r, int64_t now_ms, const std::string& message) {
  if (r.status >= 200 && r.status < 300) return std::nullopt;
  Verdict v;
  if (r.status == 408 || r.status == 429 || r.status >= 500) {
    v.kind = Verdict::Kind::kRetry;
    if (auto ra = r.Header("retry-after")) v.retry_after_ms = ParseRetryAfterMs(*ra, now_ms);
  } else {
    v.kind = Verdict::Kind::kDead;
  }
  v.message = "HTTP " + std::to_string(r.status) + (message.empty() ? "" : ": " + message);
  return v;
}

}  // namespace

Verdict JudgeHttpJson(const Result<connectors::HttpResponse>& response, int64_t now_ms) {
  if (!response.ok()) return {Verdict::Kind::kRetry, std::nullopt, std::nullopt, response.status().message()};
  const auto& r = *response;
  rapidjson::Document d;
  d.Parse(r.body.c_str(), r.body.size());
  const bool object = !d.HasParseError() && d.IsObject();
  std::optional<std::string> ticket;
  std::string message;
  if (object) {
    for (const char* k : {"ticket", "ticket_number", "id"}) {
      if (!ticket && d.HasMember(k)) ticket = StringOrNumber(d[k]);
    }
    if (d.HasMember("error") && d["error"].IsObject() && d["error"].HasMember("message") && d["error"]["message"].IsString()) {
      message = d["error"]["message"].GetString();
    } else if (d.HasMember("message") && d["message"].IsString()) {
      message = d["message"].GetString();
    }
  } else if (r.status >= 300) {
    message = Clip(r.body);
  }
  if (r.status == 409) return {Verdict::Kind::kDelivered, ticket, std::nullopt, "already processed (409)"};
  if (auto v = JudgeStatus(r, now_ms, Clip(message))) return *v;
  return {Verdict::Kind::kDelivered, ticket, std::nullopt, "HTTP " + std::to_string(r.status)};
}

Verdict JudgeOpen311(const Result<connectors::HttpResponse>& response, int64_t now_ms) {
  if (!response.ok()) return {Verdict::Kind::kRetry, std::nullopt, std::nullopt, response.status().message()};
  const auto& r = *response;
  rapidjson::Document d;
  d.Parse(r.body.c_str(), r.body.size());
  const rapidjson::Value* first = nullptr;
  if (!d.HasParseError() && d.IsArray() && d.Size() > 0 && d[0].IsObject()) first = &d[0];
  std::string message;
  if (first && first->HasMember("description") && (*first)["description"].IsString()) message = (*first)["description"].GetString();
  else if (!first && r.status >= 300) message = Clip(r.body);
  if (auto v = JudgeStatus(r, now_ms, Clip(message))) return *v;
  std::optional<std::string> ref;
  if (first && first->HasMember("service_request_id")) ref = StringOrNumber((*first)["service_request_id"]);
  if (!ref && first && first->HasMember("token")) ref = "token:" + StringOrNumber((*first)["token"]).value_or("");
  if (!ref) {  // created, but unnamed: sending again would make a second request
    return {Verdict::Kind::kDelivered, std::nullopt, std::nullopt,
            "HTTP " + std::to_string(r.status) + " without service_request_id or token"};
  }
  return {Verdict::Kind::kDelivered, ref, std::nullopt, "HTTP " + std::to_string(r.status)};
}

}  // namespace sambat::handoff
