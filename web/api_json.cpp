#include "web/api_json.h"

#include <rapidjson/error/en.h>

#include <ctime>

#include "base/utf8.h"

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
  const std::string safe = RepairUtf8(s);
  w_.String(safe.data(), static_cast<rapidjson::SizeType>(safe.size()));
  return *this;
}

JsonOut& JsonOut::Time(int64_t ms) {
  time_t s = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(((ms % 1000) + 1000) % 1000));
  return Str(buf);
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

}  // namespace sambat::web
