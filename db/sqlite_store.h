#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "db/sqlite.h"
#include "db/store.h"

namespace sambat::db {

// Store on one SQLite file. Thread-safe: calls are serialised on one connection.
class SqliteStore final : public Store {
 public:
  // Opens `path`, applies migrations; refuses a database newer than this binary.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, const Clock* clock);

  Result<IngestStats> Ingest(const IngestBatch& batch) override;
  Result<std::optional<CursorState>> GetCursor(const std::string& source,
                                               const std::string& endpoint) override;
  Result<int64_t> CountPosts() override;
  Result<int64_t> CountDrafts(const std::string& status) override;
  Status AppendAudit(const AuditEntry& entry) override;
  Result<std::vector<DraftView>> ListDrafts(const DraftFilter& filter) override;
  Result<std::vector<CursorState>> ListCursors() override;
  Result<bool> SaveWebhookEvent(const std::string& source, const std::string& body,
                                const std::string& body_sha256) override;
  Result<std::vector<WebhookEvent>> PendingWebhookEvents(int limit) override;
  Status CreateUser(const std::string& username, const std::string& password_hash, const std::string& role) override;
  Status SetPassword(const std::string& username, const std::string& password_hash) override;
  Status DisableUser(const std::string& username) override;
  Result<std::vector<UserRecord>> ListUsers() override;
  Status CreateApiToken(const std::string& name, const std::string& token_sha256, const std::string& role) override;
  Status FinishWebhookEvent(int64_t id, const std::optional<std::string>& error) override;

  SqliteStore(Connection conn, const Clock* clock) : conn_(std::move(conn)), clock_(clock) {}

 private:
  Status InsertItem(const IngestItem& item, int64_t now, IngestStats* stats);
  Status GroupNearDuplicates(int64_t draft_id, const DraftRecord& d, int64_t now);
  // Runs `sql` (one user-changing statement) and its audit entry in one transaction;
  // NotFound when no row changed.
  Status ChangeUser(const std::string& sql, const std::string& username, const std::optional<std::string>& value,
                    const AuditEntry& audit);
  Status UpsertCursor(const CursorState& c, int64_t now);
  Status AppendAuditLocked(const AuditEntry& entry, int64_t now);
  Result<int64_t> CountLocked(const std::string& sql, const std::string* arg);

  std::mutex mu_;
  Connection conn_;
  const Clock* clock_;
};

}  // namespace sambat::db
