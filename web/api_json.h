// JSON in and out of the API: a writer whose strings are always valid UTF-8, the error shape,
// and a reader for request bodies that refuses unknown fields, wrong types and oversized values.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "web/http_server.h"

namespace sambat::web {

// A failed API call: status, a stable code for programs and a message for people (Indonesian).
struct ApiError {
  http::status status = http::status::bad_request;
  std::string code, message;
};

Response ErrorResponse(const Request& req, const ApiError& error);
Response JsonResponse(const Request& req, http::status status, std::string body);

class JsonOut {
 public:
  JsonOut() : buf_(nullptr, 32 * 1024), w_(buf_) {}
  JsonOut& Key(const char* k) { w_.Key(k); return *this; }
  JsonOut& Str(std::string_view s);
  JsonOut& Opt(const std::optional<std::string>& s) { return s ? Str(*s) : Null(); }
  JsonOut& Int(int64_t v) { w_.Int64(v); return *this; }
  JsonOut& OptInt(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }
  JsonOut& Num(double v) { w_.Double(v); return *this; }
  JsonOut& Bool(bool v) { w_.Bool(v); return *this; }
  JsonOut& Null() { w_.Null(); return *this; }
  JsonOut& Time(int64_t unix_ms);  // ISO 8601 UTC
  JsonOut& OptTime(const std::optional<int64_t>& unix_ms) { return unix_ms ? Time(*unix_ms) : Null(); }
  // Stored JSON text, embedded as a value; `fallback` when it does not parse.
  JsonOut& Raw(const std::string& json, const char* fallback = "null");
  // A JSON array this program wrote itself (a column filled by our own writer), copied without
  // parsing: the queue listing's hot path. Anything not shaped like an array becomes [].
  JsonOut& TrustedArray(const std::string& json);
  JsonOut& BeginObject() { w_.StartObject(); return *this; }
  JsonOut& EndObject() { w_.EndObject(); return *this; }
  JsonOut& BeginArray() { w_.StartArray(); return *this; }
  JsonOut& EndArray() { w_.EndArray(); return *this; }
  std::string Take() { return buf_.GetString(); }

 private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

// A request body that must be one JSON object with only the fields named.
class JsonIn {
 public:
  // Errors: 400 bad_json (not JSON, not an object, invalid UTF-8) or unknown_field.
  static std::optional<ApiError> Parse(const std::string& body, std::initializer_list<std::string_view> allowed,
                                       JsonIn* out);

  bool Has(const char* key) const { return doc_.HasMember(key); }
  // 400 when missing (if required) or of the wrong type.
  std::optional<ApiError> Int(const char* key, bool required, std::optional<int64_t>* out) const;
  // Strings are trimmed; 422 too_long over max_bytes. Absent → unset; null → set to nullopt
  // (only where `nullable`); "" → nullopt too.
  std::optional<ApiError> Text(const char* key, size_t max_bytes, bool nullable,
                               std::optional<std::optional<std::string>>* out) const;

 private:
  rapidjson::Document doc_;
};

struct Principal;  // web/auth.h

// Shared by the API's handlers.
constexpr size_t kMaxApiBody = 64 * 1024;
ApiError Forbidden(const Principal& who);
ApiError MethodNotAllowed();
bool IsGet(const Request& req);
std::optional<int64_t> ParseInt(std::string_view s);
std::string QueryError(const std::string& what);
// Every API body is JSON of at most kMaxApiBody bytes; 413 or 415 otherwise.
std::optional<ApiError> CheckBody(const Request& req);

}  // namespace sambat::web
