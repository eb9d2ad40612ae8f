// Who is asking: browser sessions (cookie + CSRF token) and machine clients (bearer tokens),
// logins with rate limits, and what each role may do.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "base/clock.h"
#include "db/auth_store.h"
#include "web/api_json.h"

namespace sambat::web {

struct AuthOptions {
  bool secure_cookies = false;                 // http.secure_cookies: behind TLS (nginx)
  int64_t session_idle_ms = 2 * 3600'000;      // a session unused this long ends
  int64_t session_max_ms = 12 * 3600'000;      // and every session ends after a working day
  int max_failures_per_user = 5;               // within failure_window_ms
  int max_failures_per_address = 20;
  int64_t failure_window_ms = 15 * 60'000;
};

struct Principal {
  std::string name, role;
  bool via_cookie = false;
  std::string csrf_token = {};    // cookie sessions only
  std::string session_hash = {};  // cookie sessions only

  bool CanDecide() const { return role == "admin_utama"; }
};

inline constexpr const char* kSessionCookie = "sambat_session";

class Authenticator {
 public:
  Authenticator(db::AuthStore* store, const Clock* clock, AuthOptions options)
      : store_(store), clock_(clock), options_(options) {}

  // The caller of a request: a live session cookie or a valid bearer token; else 401.
  std::variant<Principal, ApiError> Authenticate(const Request& req);
  // State-changing cookie requests must carry the session's CSRF token: 403 csrf otherwise.
  std::optional<ApiError> CheckCsrf(const Request& req, const Principal& who) const;

  // Verifies the password (Argon2id: slow on purpose, so not on the I/O thread) and opens a
  // session. On success `set_cookie` receives the Set-Cookie value.
  std::variant<Principal, ApiError> Login(const std::string& username, const std::string& password,
                                          const std::string& remote_addr, std::string* set_cookie);
  // Revokes the session; returns the Set-Cookie value that clears the cookie.
  std::string Logout(const Principal& who);

 private:
  std::string CookieHeader(const std::string& value, int64_t max_age_s) const;

  db::AuthStore* store_;
  const Clock* clock_;
  AuthOptions options_;
};

// The value of cookie `name` in a Cookie header, if any.
std::optional<std::string> CookieValue(std::string_view header, std::string_view name);

}  // namespace sambat::web
