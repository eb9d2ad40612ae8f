#include "web/routes.h"

#include <ctime>
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

// Only http(s) links are rendered: a link from a platform's answer is data, never a script.
bool IsWebLink(const std::string& url) { return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0; }

std::string Time(int64_t ms) {
  time_t s = static_cast<time_t>(ms / 1000 + 7 * 3600);  // WIB
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%d-%m-%Y %H:%M WIB", &tm);
  return buf;
}

// A read-only view of the queue until the full Admin Utama UI exists: pending drafts, oldest
// first, and each source's health. Everything from posts is escaped.
Response Index(const Request& req, const AppContext& ctx) {
  auto pending = ctx.store->CountDrafts("pending");
  auto posts = ctx.store->CountPosts();
  std::string body =
      "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"refresh\" content=\"10\">"
      "<title>sambatd — Antrean Admin Utama</title></head><body>"
      "<h1>Antrean Admin Utama</h1>";
  if (!pending.ok() || !posts.ok()) {
    body += "<p>Basis data tidak dapat dibaca. Periksa log sambatd.</p></body></html>";
    return MakeResponse(req, http::status::service_unavailable, std::move(body), "text/html; charset=utf-8");
  }
  body += "<p>Aduan menunggu konfirmasi: <strong>" + std::to_string(*pending) +
          "</strong> &middot; unggahan yang sudah diambil: " + std::to_string(*posts) + "</p>";
  if (auto cursors = ctx.store->ListCursors(); cursors.ok() && !cursors->empty()) {
    body += "<h2>Sumber</h2><ul>";
    for (const auto& c : *cursors) {
      body += "<li>" + HtmlEscape(c.source + "/" + c.endpoint) + ": ";
      if (c.pause_reason) body += "<strong>" + HtmlEscape(*c.pause_reason) + "</strong>";
      else if (c.last_success_at) body += "terakhir berhasil " + Time(*c.last_success_at);
      else body += "belum pernah berhasil";
      body += "</li>";
    }
    body += "</ul>";
  }
  auto drafts = ctx.store->ListDrafts({.status = "pending", .limit = 200});
  if (*pending == 0 || !drafts.ok()) {
    body += "<p>Antrean kosong.</p>";
  } else {
    body += "<table><thead><tr><th>#</th><th>Kanal</th><th>Waktu</th><th>Pesan</th><th>OPD usulan</th>"
            "<th>Lokasi</th><th>Batas SLA</th></tr></thead><tbody>";
    for (const auto& d : *drafts) {
      std::string snippet = d.pesan.substr(0, 160);
      while (!snippet.empty() && (static_cast<unsigned char>(snippet.back()) & 0xC0) == 0x80) snippet.pop_back();
      if (!snippet.empty() && static_cast<unsigned char>(snippet.back()) >= 0xC0) snippet.pop_back();
      body += "<tr><td>" + std::to_string(d.id) + "</td><td>" + HtmlEscape(d.kanal) + "</td><td>" + Time(d.created_at) +
              "</td><td>" + HtmlEscape(snippet) + (d.url && IsWebLink(*d.url) ? " <a href=\"" + HtmlEscape(*d.url) + "\" rel=\"noopener noreferrer\">tautan</a>" : "") +
              "</td><td>" + HtmlEscape(d.opd.value_or("-")) + "</td><td>" +
              HtmlEscape(d.desa ? *d.desa + ", " + d.kecamatan.value_or("") : d.kecamatan.value_or("-")) + "</td><td>" +
              Time(d.sla_due_at) + "</td></tr>";
    }
    body += "</tbody></table>";
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
