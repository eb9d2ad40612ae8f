#include "connectors/json_util.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>

namespace sambat::connectors {
namespace {

constexpr int kMaxDepth = 64;

int Depth(const rapidjson::Value& v, int depth) {
  if (depth > kMaxDepth) return depth;
  int best = depth;
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) best = std::max(best, Depth(m.value, depth + 1));
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) best = std::max(best, Depth(e, depth + 1));
  }
  return best;
}

bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[at + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

Status ParseJson(std::string_view text, rapidjson::Document* doc) {
  doc->Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc->HasParseError()) {
    return Status::InvalidArgument(std::string("malformed JSON: ") + rapidjson::GetParseError_En(doc->GetParseError()) +
                                   " at byte " + std::to_string(doc->GetErrorOffset()));
  }
  // Depth is checked on the parsed tree; Depth() stops descending past the limit.
  if (Depth(*doc, 0) > kMaxDepth) return Status::InvalidArgument("JSON nested deeper than 64 levels");
  return Status::Ok();
}

const rapidjson::Value* Member(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return nullptr;
  return &it->value;
}

std::optional<std::string> String(const rapidjson::Value& obj, const char* name) {
  const auto* v = Member(obj, name);
  if (!v || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::string> IdString(const rapidjson::Value& obj, const char* name) {
  const auto* v = Member(obj, name);
  if (!v) return std::nullopt;
  if (v->IsString()) return std::string(v->GetString(), v->GetStringLength());
  if (v->IsUint64()) return std::to_string(v->GetUint64());
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  return std::nullopt;
}

std::optional<int64_t> Int(const rapidjson::Value& obj, const char* name) {
  const auto* v = Member(obj, name);
  if (!v) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsString()) {
    std::string s(v->GetString());
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoll(s);
  }
  return std::nullopt;
}

std::optional<int64_t> ParseTimestamp(std::string_view s) {
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos) {
    if (s.size() > 12) return std::nullopt;
    int64_t secs = 0;
    for (char c : s) secs = secs * 10 + (c - '0');
    return secs * 1000;
  }
  int y, mo, d, h, mi, se;
  if (!Digits(s, 0, 4, &y) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, &mo) || s[7] != '-' ||
      !Digits(s, 8, 2, &d) || s[10] != 'T' || !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) ||
      s[16] != ':' || !Digits(s, 17, 2, &se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  size_t i = 19;
  int ms = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (digits < 3) ms = ms * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    for (; digits < 3; ++digits) ms *= 10;
  }
  int64_t offset_min = 0;
  if (i < s.size() && s[i] == 'Z') {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    const int sign = s[i] == '-' ? -1 : 1;
    int oh, om;
    if (!Digits(s, i + 1, 2, &oh)) return std::nullopt;
    size_t j = i + 3;
    if (j < s.size() && s[j] == ':') ++j;  // +07:00 as well as +0700
    if (!Digits(s, j, 2, &om)) return std::nullopt;
    offset_min = sign * (oh * 60 + om);
    i = j + 2;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 86400 + h * 3600 + mi * 60 + se) - offset_min * 60) * 1000 + ms;
}

std::optional<int64_t> TimestampMember(const rapidjson::Value& obj, const char* name) {
  const auto* v = Member(obj, name);
  if (!v) return std::nullopt;
  if (v->IsString()) return ParseTimestamp(std::string_view(v->GetString(), v->GetStringLength()));
  if (v->IsInt64()) return v->GetInt64() * 1000;
  return std::nullopt;
}

std::string ToJson(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return b.GetString();
}

}  // namespace sambat::connectors
