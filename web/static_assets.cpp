#include "web/static_assets.h"

#include <string>
#include <unordered_map>

namespace sambat::web {
namespace {

struct Asset {
  std::string_view body;
  std::string content_type, etag;
};

std::string ContentType(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  return "application/octet-stream";
}

// FNV-1a of the content: changes with every build that changes the file.
std::string Etag(std::string_view body) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : body) h = (h ^ c) * 1099511628211ull;
  char buf[24];
  snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

const std::unordered_map<std::string, Asset>& Assets() {
  static const std::unordered_map<std::string, Asset> kAssets = [] {
    std::unordered_map<std::string, Asset> m;
    for (const auto& [path, body] : EmbeddedFiles()) m[std::string(path)] = Asset{body, ContentType(path), Etag(body)};
    return m;
  }();
  return kAssets;
}

}  // namespace

std::optional<Response> ServeAsset(const Request& req, std::string_view path) {
  std::string key = path == "/" ? "/index.html" : path.substr(0, 8) == "/static/" ? std::string(path.substr(7)) : "";
  if (key.empty()) return std::nullopt;
  auto it = Assets().find(key);
  if (it == Assets().end()) return std::nullopt;
  const Asset& a = it->second;
  auto inm = req.find(http::field::if_none_match);
  Response res;
  if (inm != req.end() && std::string_view(inm->value().data(), inm->value().size()) == a.etag) {
    res = MakeResponse(req, http::status::not_modified, "", a.content_type);
  } else {
    res = MakeResponse(req, http::status::ok, std::string(a.body), a.content_type);
  }
  res.set(http::field::etag, a.etag);
  res.set(http::field::cache_control, "no-cache");
  return res;
}

}  // namespace sambat::web
