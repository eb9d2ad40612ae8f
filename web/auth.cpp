#include "web/auth.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "web/credentials.h"

namespace sambat::web {
namespace {

ApiError Unauthenticated() {
  return {http::status::unauthorized, "unauthenticated", "Silakan masuk terlebih dahulu."};
}

ApiError StoreError(const Status& s) {
  spdlog::error("auth: {}", s.message());
  return {http::status::service_unavailable, "unavailable", "Basis data tidak dapat dibaca. Coba lagi sebentar lagi."};
}

std::string RandomToken() { return MakeApiToken().token; }

}  // namespace

std::optional<std::string> CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

std::variant<Principal, ApiError> Authenticator::Authenticate(const Request& req) {
  const int64_t now = ToUnixMillis(clock_->Now());
  auto auth = req.find(http::field::authorization);
  if (auth != req.end()) {
    std::string_view v(auth->value().data(), auth->value().size());
    if (v.substr(0, 7) != "Bearer " || v.size() < 8) {
      return ApiError{http::status::unauthorized, "unauthenticated", "Header Authorization harus berbentuk \"Bearer TOKEN\"."};
    }
    const std::string hash = Sha256Hex(std::string(v.substr(7)));
    auto token = store_->FindApiToken(hash);
    if (!token.ok()) return StoreError(token.status());
    if (!*token) return ApiError{http::status::unauthorized, "unauthenticated", "Token tidak dikenal atau sudah dicabut."};
    // last_used_at is for operators; once a minute is precise enough and keeps reads read-only.
    if (!(*token)->last_used_at || now - *(*token)->last_used_at > 60'000) (void)store_->TouchApiToken(hash, now);
    return Principal{.name = "token:" + (*token)->name, .role = (*token)->role};
  }
  auto cookie = req.find(http::field::cookie);
  if (cookie == req.end()) return Unauthenticated();
  auto value = CookieValue(std::string_view(cookie->value().data(), cookie->value().size()), kSessionCookie);
  if (!value || value->empty()) return Unauthenticated();
  const std::string hash = Sha256Hex(*value);
  auto session = store_->FindSession(hash, now);
  if (!session.ok()) return StoreError(session.status());
  if (!*session || now - (*session)->last_seen_at > options_.session_idle_ms) {
    return ApiError{http::status::unauthorized, "unauthenticated", "Sesi Anda sudah berakhir. Silakan masuk kembali."};
  }
  if (now - (*session)->last_seen_at > 60'000) (void)store_->TouchSession(hash, now);
  return Principal{.name = (*session)->username, .role = (*session)->role, .via_cookie = true,
                   .csrf_token = (*session)->csrf_token, .session_hash = hash};
}

std::optional<ApiError> Authenticator::CheckCsrf(const Request& req, const Principal& who) const {
  if (!who.via_cookie) return std::nullopt;
  auto h = req.find("X-CSRF-Token");
  const std::string given = h == req.end() ? "" : std::string(h->value());
  if (given.size() == who.csrf_token.size() &&
      sodium_memcmp(given.data(), who.csrf_token.data(), given.size()) == 0) {
    return std::nullopt;
  }
  return ApiError{http::status::forbidden, "csrf",
                  "Permintaan ditolak: token CSRF tidak ada atau salah. Muat ulang halaman lalu coba lagi."};
}

std::variant<Principal, ApiError> Authenticator::Login(const std::string& username, const std::string& password,
                                                       const std::string& remote_addr, std::string* set_cookie) {
  const int64_t now = ToUnixMillis(clock_->Now());
  const std::string user_key = "user:" + username, addr_key = "addr:" + remote_addr;
  const int64_t since = now - options_.failure_window_ms;
  auto by_user = store_->CountLoginFailures(user_key, since);
  auto by_addr = store_->CountLoginFailures(addr_key, since);
  if (!by_user.ok()) return StoreError(by_user.status());
  if (!by_addr.ok()) return StoreError(by_addr.status());
  if (*by_user >= options_.max_failures_per_user || *by_addr >= options_.max_failures_per_address) {
    return ApiError{http::status::too_many_requests, "too_many_attempts",
                    "Terlalu banyak percobaan masuk yang gagal. Tunggu " +
                        std::to_string(options_.failure_window_ms / 60'000) + " menit lalu coba lagi."};
  }
  auto user = store_->FindUser(username);
  if (!user.ok()) return StoreError(user.status());
  // An unknown user costs the same Argon2id time as a wrong password: no user enumeration.
  static const std::string kDummyHash = HashPassword("sambatd-dummy-password").value();
  const bool valid = VerifyPassword(*user ? (*user)->password_hash : kDummyHash, password) && *user && !(*user)->disabled;
  if (!valid) {
    (void)store_->RecordLoginFailure(user_key, now);
    (void)store_->RecordLoginFailure(addr_key, now);
    spdlog::warn("failed login for a user from {}", remote_addr);
    return ApiError{http::status::unauthorized, "bad_credentials", "Nama pengguna atau kata sandi salah."};
  }
  (void)store_->ClearLoginFailures(user_key);
  const std::string cookie = RandomToken();
  db::SessionRecord rec{.token_hash = Sha256Hex(cookie), .user_id = (*user)->id, .csrf_token = RandomToken(),
                        .created_at = now, .expires_at = now + options_.session_max_ms, .remote_addr = remote_addr};
  if (Status s = store_->CreateSession(rec); !s.ok()) return StoreError(s);
  *set_cookie = CookieHeader(cookie, options_.session_max_ms / 1000);
  return Principal{.name = (*user)->username, .role = (*user)->role, .via_cookie = true,
                   .csrf_token = rec.csrf_token, .session_hash = rec.token_hash};
}

std::string Authenticator::Logout(const Principal& who) {
  if (!who.session_hash.empty()) (void)store_->RevokeSession(who.session_hash);
  return CookieHeader("", 0);
}

std::string Authenticator::CookieHeader(const std::string& value, int64_t max_age_s) const {
  std::string c = std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(max_age_s);
  if (options_.secure_cookies) c += "; Secure";
  return c;
}

}  // namespace sambat::web
