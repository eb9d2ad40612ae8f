#include "web/routes.h"

#include <string>

#include "web/webhook.h"

namespace sambat::web {
namespace {

Response JsonError(const Request& req, http::status status, const std::string& code,
                   const std::string& message) {
  return MakeResponse(req, status,
                      R"({"error":{"code":")" + code + R"(","message":")" + message + R"("}})",
                      "application/json");
}

Response Index(const Request& req, const AppContext& ctx) {
  auto pending = ctx.store->CountDrafts("pending");
  auto posts = ctx.store->CountPosts();
  std::string body =
      "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"
      "<title>sambatd — Antrean Admin Utama</title></head><body>"
      "<h1>Antrean Admin Utama</h1>";
  if (!pending.ok() || !posts.ok()) {
    body += "<p>Basis data tidak dapat dibaca. Periksa log sambatd.</p>";
  } else {
    body += "<p>Aduan menunggu konfirmasi: <strong>" + std::to_string(*pending) +
            "</strong></p><p>Unggahan yang sudah diambil: " + std::to_string(*posts) + "</p>";
    if (*pending == 0) body += "<p>Antrean kosong.</p>";
  }
  body += "<footer>sambatd " + HtmlEscape(ctx.version) + "</footer></body></html>";
  auto res = MakeResponse(req, http::status::ok, std::move(body), "text/html; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  return res;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Handler MakeAppHandler(AppContext ctx) {
  return [ctx = std::move(ctx)](const Request& req, const std::string&) -> Response {
    std::string_view target(req.target().data(), req.target().size());
    std::string_view path = target.substr(0, target.find('?'));
    const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
    if (path == "/healthz") {
      if (!get) return JsonError(req, http::status::method_not_allowed, "method_not_allowed", "Metode tidak diizinkan.");
      return MakeResponse(req, http::status::ok, "ok\n", "text/plain; charset=utf-8");
    }
    if (path == "/readyz") {
      if (!get) return JsonError(req, http::status::method_not_allowed, "method_not_allowed", "Metode tidak diizinkan.");
      auto posts = ctx.store->CountPosts();
      const bool rules = !ctx.rules_loaded || ctx.rules_loaded();
      if (posts.ok() && rules) return MakeResponse(req, http::status::ok, "ready\n", "text/plain; charset=utf-8");
      std::string why = !posts.ok() ? "database unavailable\n" : "rules not loaded\n";
      return MakeResponse(req, http::status::service_unavailable, why, "text/plain; charset=utf-8");
    }
    if (path == "/webhook/meta") {
      if (!ctx.webhook) return JsonError(req, http::status::not_found, "not_found", "Webhook tidak diaktifkan.");
      return ctx.webhook->Handle(req);
    }
    if (path == "/") {
      if (!get) return JsonError(req, http::status::method_not_allowed, "method_not_allowed", "Metode tidak diizinkan.");
      return Index(req, ctx);
    }
    return JsonError(req, http::status::not_found, "not_found", "Halaman tidak ditemukan.");
  };
}

}  // namespace sambat::web
