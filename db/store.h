// Store: everything sambatd keeps. One interface so that SQLite can be swapped for
// PostgreSQL when several daemons share one database (DESIGN.md §5).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "db/records.h"

namespace sambat::db {

class Store {
 public:
  virtual ~Store() = default;

  // Stores the batch in ONE transaction: new posts (a post already known by platform +
  // platform id is left as it is, with its classification and draft), their classifications,
  // drafts for complaints, and the cursor. Ingesting the same batch again changes nothing
  // but the cursor's timestamps. On failure nothing of the batch is stored.
  virtual Result<IngestStats> Ingest(const IngestBatch& batch) = 0;
  // The same, with the items handed over one at a time as they become ready, so the caller
  // can classify the next posts on another core while these are written. `next` returns the
  // next item (valid until the following call) or nullptr at the end of the batch; an error
  // from the store stops asking for more.
  using NextItem = std::function<const IngestItem*()>;
  virtual Result<IngestStats> IngestStream(const NextItem& next, const std::optional<CursorState>& cursor) = 0;

  virtual Result<std::optional<CursorState>> GetCursor(const std::string& source,
                                                       const std::string& endpoint) = 0;

  // Counts for status lines and health checks. `status` empty = all drafts.
  virtual Result<int64_t> CountPosts() = 0;
  virtual Result<int64_t> CountDrafts(const std::string& status) = 0;

  virtual Status AppendAudit(const AuditEntry& entry) = 0;

  // Drafts, oldest first.
  virtual Result<std::vector<DraftView>> ListDrafts(const DraftFilter& filter) = 0;
  // Every source's cursor row (for health and status lines).
  virtual Result<std::vector<CursorState>> ListCursors() = 0;

  // Users (Admin Utama, viewers) and machine tokens. Names are unique; AlreadyExists/NotFound
  // say when they are not. Every change is also written to the audit log.
  virtual Status CreateUser(const std::string& username, const std::string& password_hash, const std::string& role) = 0;
  virtual Status SetPassword(const std::string& username, const std::string& password_hash) = 0;
  virtual Status DisableUser(const std::string& username) = 0;
  virtual Result<std::vector<UserRecord>> ListUsers() = 0;
  virtual Status CreateApiToken(const std::string& name, const std::string& token_sha256, const std::string& role) = 0;

  // Stores a webhook body on receipt; false when the same body was stored before.
  virtual Result<bool> SaveWebhookEvent(const std::string& source, const std::string& body,
                                        const std::string& body_sha256) = 0;
  virtual Result<std::vector<WebhookEvent>> PendingWebhookEvents(int limit) = 0;
  virtual Status FinishWebhookEvent(int64_t id, const std::optional<std::string>& error) = 0;
};

}  // namespace sambat::db
