// SqliteStore's AuthStore part: credentials, sessions, tokens, failed logins.
#include "db/sqlite_store.h"

namespace sambat::db {

Result<std::optional<UserCredentials>> SqliteStore::FindUser(const std::string& username) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare("SELECT id, username, password_hash, role, disabled FROM users WHERE username = ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, username);
  std::optional<UserCredentials> out;
  auto found = (*st)->FirstRow(
      [&](const Statement& s) { out = UserCredentials{s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4) != 0}; });
  if (!found.ok()) return found.status();
  return out;
}

Status SqliteStore::CreateSession(const SessionRecord& r) {
  std::lock_guard lock(mu_);
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto st = conn_.Prepare(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, remote_addr)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6)");
  if (!st.ok()) return st.status();
  (*st)
      ->Bind(1, r.token_hash)
      .Bind(2, r.user_id)
      .Bind(3, r.csrf_token)
      .Bind(4, r.created_at)
      .Bind(5, r.expires_at)
      .Bind(6, r.remote_addr);
  SAMBAT_RETURN_IF_ERROR((*st)->Run());
  // Expired sessions are of no use to anyone: dropped as new ones are made.
  auto purge = conn_.Prepare("DELETE FROM sessions WHERE expires_at < ?1");
  if (!purge.ok()) return purge.status();
  (*purge)->Bind(1, r.created_at);
  SAMBAT_RETURN_IF_ERROR((*purge)->Run());
  auto who = conn_.Prepare("SELECT username FROM users WHERE id = ?1");
  if (!who.ok()) return who.status();
  (*who)->Bind(1, r.user_id);
  std::string username = std::to_string(r.user_id);
  auto found = (*who)->FirstRow([&](const Statement& s) { username = s.Text(0); });
  if (!found.ok()) return found.status();
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked(
      {.actor = username, .action = "login", .entity = "user", .entity_id = username, .reason = r.remote_addr},
      r.created_at));
  return tx.Commit();
}

Result<std::optional<SessionInfo>> SqliteStore::FindSession(const std::string& token_hash, int64_t now_ms) {
  return Read([&](Connection& conn) -> Result<std::optional<SessionInfo>> {
    auto st = conn.Prepare(
        "SELECT u.username, u.role, s.csrf_token, s.expires_at, s.last_seen_at FROM sessions s"
        " JOIN users u ON u.id = s.user_id"
        " WHERE s.token_hash = ?1 AND s.revoked = 0 AND s.expires_at > ?2 AND u.disabled = 0");
    if (!st.ok()) return st.status();
    (*st)->Bind(1, token_hash).Bind(2, now_ms);
    std::optional<SessionInfo> out;
    auto found = (*st)->FirstRow(
        [&](const Statement& s) { out = SessionInfo{s.Text(0), s.Text(1), s.Text(2), s.Int(3), s.Int(4)}; });
    if (!found.ok()) return found.status();
    return out;
  });
}

Status SqliteStore::TouchSession(const std::string& token_hash, int64_t now_ms) {
  return RunLocked("UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1", token_hash, now_ms);
}

Status SqliteStore::RevokeSession(const std::string& token_hash) {
  return RunLocked("UPDATE sessions SET revoked = 1 WHERE token_hash = ?1", token_hash);
}

Result<std::optional<ApiTokenInfo>> SqliteStore::FindApiToken(const std::string& token_hash) {
  return Read([&](Connection& conn) -> Result<std::optional<ApiTokenInfo>> {
    auto st = conn.Prepare("SELECT name, role, last_used_at FROM api_tokens WHERE token_hash = ?1 AND revoked = 0");
    if (!st.ok()) return st.status();
    (*st)->Bind(1, token_hash);
    std::optional<ApiTokenInfo> out;
    auto found = (*st)->FirstRow([&](const Statement& s) {
      out = ApiTokenInfo{s.Text(0), s.Text(1), std::nullopt};
      if (!s.IsNull(2)) out->last_used_at = s.Int(2);
    });
    if (!found.ok()) return found.status();
    return out;
  });
}

Status SqliteStore::TouchApiToken(const std::string& token_hash, int64_t now_ms) {
  return RunLocked("UPDATE api_tokens SET last_used_at = ?2 WHERE token_hash = ?1", token_hash, now_ms);
}

Status SqliteStore::RecordLoginFailure(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare("INSERT INTO login_failures (key, at) VALUES (?1, ?2)");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, key).Bind(2, now_ms);
  SAMBAT_RETURN_IF_ERROR((*st)->Run());
  // Old failures no longer count for anything.
  auto purge = conn_.Prepare("DELETE FROM login_failures WHERE at < ?1");
  if (!purge.ok()) return purge.status();
  (*purge)->Bind(1, now_ms - 24 * 3600'000);
  return (*purge)->Run();
}

Result<int64_t> SqliteStore::CountLoginFailures(const std::string& key, int64_t since_ms) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare("SELECT count(*) FROM login_failures WHERE key = ?1 AND at >= ?2");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, key).Bind(2, since_ms);
  int64_t n = 0;
  auto found = (*st)->FirstRow([&](const Statement& s) { n = s.Int(0); });
  if (!found.ok()) return found.status();
  return n;
}

Status SqliteStore::ClearLoginFailures(const std::string& key) {
  return RunLocked("DELETE FROM login_failures WHERE key = ?1", key);
}

}  // namespace sambat::db
