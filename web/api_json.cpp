#include "web/api_json.h"

#include <rapidjson/error/en.h>

#include <charconv>
#include <cstdio>

#include "base/utf8.h"
#include "web/auth.h"

namespace sambat::web {

Response JsonResponse(const Request& req, http::status status, std::string body) {
  auto res = MakeResponse(req, status, std::move(body), "application/json");
  res.set(http::field::cache_control, "no-store");
  return res;
}

Response ErrorResponse(const Request& req, const ApiError& e) {
  JsonOut j;
  j.BeginObject().Key("error").BeginObject().Key("code").Str(e.code).Key("message").Str(e.message).EndObject().EndObject();
  return JsonResponse(req, e.status, j.Take());
}

JsonOut& JsonOut::Str(std::string_view s) {
  if (IsValidUtf8(s)) {  // nearly always: no copy
    w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return *this;
  }
  const std::string safe = RepairUtf8(s);
  w_.String(safe.data(), static_cast<rapidjson::SizeType>(safe.size()));
  return *this;
}

JsonOut& JsonOut::Time(int64_t ms) {
  // Civil date from days since the epoch (Howard Hinnant's algorithm): the listing writes two
  // times per draft, and strftime showed in its profile.
  int64_t days = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
  int64_t rem = ms - days * 86'400'000;
  days += 719'468;
  const int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const int64_t doe = days - era * 146'097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  char buf[32];
  const int n = snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y),
                         static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(rem / 3'600'000),
                         static_cast<long long>(rem / 60'000 % 60), static_cast<long long>(rem / 1000 % 60),
                         static_cast<long long>(rem % 1000));
  w_.String(buf, static_cast<rapidjson::SizeType>(n));
  return *this;
}

JsonOut& JsonOut::TrustedArray(const std::string& json) {
  if (json.size() < 2 || json.front() != '[' || json.back() != ']') return BeginArray().EndArray();
  w_.RawValue(json.data(), json.size(), rapidjson::kArrayType);
  return *this;
}

JsonOut& JsonOut::Raw(const std::string& json, const char* fallback) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  if (d.HasParseError()) d.Parse(fallback);
  d.Accept(w_);
  return *this;
}

std::optional<ApiError> JsonIn::Parse(const std::string& body, std::initializer_list<std::string_view> allowed,
                                      JsonIn* out) {
  out->doc_.Parse<rapidjson::kParseValidateEncodingFlag>(body.c_str(), body.size());
  if (out->doc_.HasParseError()) {
    return ApiError{http::status::bad_request, "bad_json",
                    std::string("Isi permintaan bukan JSON yang sah (") +
                        rapidjson::GetParseError_En(out->doc_.GetParseError()) + ", posisi " +
                        std::to_string(out->doc_.GetErrorOffset()) + ")."};
  }
  if (!out->doc_.IsObject()) {
    return ApiError{http::status::bad_request, "bad_json", "Isi permintaan harus berupa objek JSON."};
  }
  for (const auto& m : out->doc_.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    bool known = false;
    for (auto a : allowed) known = known || a == key;
    if (!known) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return ApiError{http::status::bad_request, "unknown_field",
                      "Kolom \"" + RepairUtf8(key.substr(0, 64)) + "\" tidak dikenal. Kolom yang diterima: " + list + "."};
    }
  }
  return std::nullopt;
}

std::optional<ApiError> JsonIn::Int(const char* key, bool required, std::optional<int64_t>* out) const {
  auto it = doc_.FindMember(key);
  if (it == doc_.MemberEnd() || it->value.IsNull()) {
    if (required) return ApiError{http::status::bad_request, "missing_field", std::string("Kolom \"") + key + "\" wajib diisi."};
    return std::nullopt;
  }
  if (!it->value.IsInt64()) {
    return ApiError{http::status::bad_request, "bad_type", std::string("Kolom \"") + key + "\" harus berupa bilangan bulat."};
  }
  *out = it->value.GetInt64();
  return std::nullopt;
}

std::optional<ApiError> JsonIn::Text(const char* key, size_t max_bytes, bool nullable,
                                     std::optional<std::optional<std::string>>* out) const {
  auto it = doc_.FindMember(key);
  if (it == doc_.MemberEnd()) return std::nullopt;
  if (it->value.IsNull()) {
    if (!nullable) return ApiError{http::status::unprocessable_entity, "invalid", std::string("Kolom \"") + key + "\" tidak boleh kosong."};
    *out = std::optional<std::string>();
    return std::nullopt;
  }
  if (!it->value.IsString()) {
    return ApiError{http::status::bad_request, "bad_type", std::string("Kolom \"") + key + "\" harus berupa teks."};
  }
  std::string_view v(it->value.GetString(), it->value.GetStringLength());
  if (v.size() > max_bytes) {
    return ApiError{http::status::unprocessable_entity, "too_long",
                    std::string("Kolom \"") + key + "\" terlalu panjang (maksimal " + std::to_string(max_bytes) + " byte)."};
  }
  if (v.find('\0') != std::string_view::npos) {
    return ApiError{http::status::unprocessable_entity, "invalid", std::string("Kolom \"") + key + "\" berisi karakter NUL."};
  }
  const auto b = v.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) {
    *out = std::optional<std::string>();
    return std::nullopt;
  }
  const auto e = v.find_last_not_of(" \t\r\n");
  *out = std::optional<std::string>(std::string(v.substr(b, e - b + 1)));
  return std::nullopt;
}

ApiError Forbidden(const Principal& who) {
  return {http::status::forbidden, "forbidden",
          "Peran Anda (" + who.role + ") hanya dapat melihat antrean, tidak dapat mengubahnya."};
}

ApiError MethodNotAllowed() {
  return {http::status::method_not_allowed, "method_not_allowed", "Metode tidak diizinkan untuk alamat ini."};
}

bool IsGet(const Request& req) { return req.method() == http::verb::get || req.method() == http::verb::head; }

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string QueryError(const std::string& what) { return "Parameter " + what + " tidak sah."; }

// Every API body is JSON: a cross-site HTML form cannot send that without a CORS preflight.
std::optional<ApiError> CheckBody(const Request& req) {
  if (req.body().size() > kMaxApiBody) {
    return ApiError{http::status::payload_too_large, "payload_too_large",
                    "Isi permintaan terlalu besar (maksimal " + std::to_string(kMaxApiBody / 1024) + " KiB)."};
  }
  auto ct = req.find(http::field::content_type);
  if (ct == req.end() || std::string_view(ct->value().data(), ct->value().size()).substr(0, 16) != "application/json") {
    return ApiError{http::status::unsupported_media_type, "unsupported_media_type",
                    "Kirim isi permintaan sebagai application/json."};
  }
  return std::nullopt;
}

}  // namespace sambat::web
