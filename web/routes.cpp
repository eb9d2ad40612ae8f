#include "web/routes.h"

#include <string>

#include "web/api_json.h"
#include "web/queue_api.h"
#include "web/static_assets.h"
#include "web/webhook.h"

namespace sambat::web {
Handler MakeAppHandler(AppContext ctx) {
  return [ctx = std::move(ctx)](const Request& req, const std::string& remote_addr) -> Response {
    std::string_view target(req.target().data(), req.target().size());
    std::string_view path = target.substr(0, target.find('?'));
    const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
    if (path == "/healthz") {
      if (!get) return ErrorResponse(req, {http::status::method_not_allowed, "method_not_allowed", "Metode tidak diizinkan."});
      return MakeResponse(req, http::status::ok, "ok\n", "text/plain; charset=utf-8");
    }
    if (path == "/readyz") {
      if (!get) return ErrorResponse(req, {http::status::method_not_allowed, "method_not_allowed", "Metode tidak diizinkan."});
      auto posts = ctx.store->CountPosts();
      const bool rules = !ctx.rules_loaded || ctx.rules_loaded();
      if (posts.ok() && rules) return MakeResponse(req, http::status::ok, "ready\n", "text/plain; charset=utf-8");
      std::string why = !posts.ok() ? "database unavailable\n" : "rules not loaded\n";
      return MakeResponse(req, http::status::service_unavailable, why, "text/plain; charset=utf-8");
    }
    if (path == "/metrics" && ctx.metrics) {
      if (!get) return ErrorResponse(req, {http::status::method_not_allowed, "method_not_allowed", "Metode tidak diizinkan."});
      return MakeResponse(req, http::status::ok, ctx.metrics(), "text/plain; version=0.0.4; charset=utf-8");
    }
    if (path == "/webhook/meta") {
      if (!ctx.webhook) return ErrorResponse(req, {http::status::not_found, "not_found", "Webhook tidak diaktifkan."});
      return ctx.webhook->Handle(req);
    }
    if (path.substr(0, 8) == "/api/v1/") {
      if (!ctx.api) return ErrorResponse(req, {http::status::not_found, "not_found", "API tidak diaktifkan."});
      return ctx.api->Handle(req, path, remote_addr);
    }
    if (path == "/" || path.substr(0, 8) == "/static/") {
      if (!get) return ErrorResponse(req, {http::status::method_not_allowed, "method_not_allowed", "Metode tidak diizinkan."});
      if (auto asset = ServeAsset(req, path)) return std::move(*asset);
    }
    return ErrorResponse(req, {http::status::not_found, "not_found", "Halaman tidak ditemukan."});
  };
}

}  // namespace sambat::web
