// AuthStore: users' credentials, browser sessions, machine tokens and failed logins, for the
// web layer's authentication. Secrets are stored only as hashes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"

namespace sambat::db {

struct UserCredentials {
  int64_t id = 0;
  std::string username, password_hash, role;
  bool disabled = false;
};

struct SessionRecord {
  std::string token_hash;  // SHA-256 of the cookie value
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t created_at = 0, expires_at = 0;
  std::optional<std::string> remote_addr = {};
};

// A live session joined with its user.
struct SessionInfo {
  std::string username, role, csrf_token;
  int64_t expires_at = 0, last_seen_at = 0;
};

struct ApiTokenInfo {
  std::string name, role;
  std::optional<int64_t> last_used_at;
};

class AuthStore {
 public:
  virtual ~AuthStore() = default;

  virtual Result<std::optional<UserCredentials>> FindUser(const std::string& username) = 0;

  // Also writes a "login" audit entry.
  virtual Status CreateSession(const SessionRecord& session) = 0;
  // A session that is not revoked, not past expires_at, and whose user is not disabled.
  virtual Result<std::optional<SessionInfo>> FindSession(const std::string& token_hash, int64_t now_ms) = 0;
  virtual Status TouchSession(const std::string& token_hash, int64_t now_ms) = 0;
  virtual Status RevokeSession(const std::string& token_hash) = 0;

  // A token that is not revoked.
  virtual Result<std::optional<ApiTokenInfo>> FindApiToken(const std::string& token_hash) = 0;
  virtual Status TouchApiToken(const std::string& token_hash, int64_t now_ms) = 0;

  // Failed logins, keyed "user:NAME" or "addr:IP"; counted over a window.
  virtual Status RecordLoginFailure(const std::string& key, int64_t now_ms) = 0;
  virtual Result<int64_t> CountLoginFailures(const std::string& key, int64_t since_ms) = 0;
  virtual Status ClearLoginFailures(const std::string& key) = 0;
};

}  // namespace sambat::db
