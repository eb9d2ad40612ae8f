#include "connectors/http/http_transport.h"

#include <cctype>

namespace sambat::connectors {

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string RedactUrl(std::string_view url) {
  auto cut = url.find_first_of("?#");
  return std::string(url.substr(0, cut));
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void AddQuery(std::string* url, std::string_view key, std::string_view value) {
  *url += url->find('?') == std::string::npos ? '?' : '&';
  *url += PercentEncode(key);
  *url += '=';
  *url += PercentEncode(value);
}

}  // namespace sambat::connectors
