#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>
#include <string>

#include "base/clock.h"
#include "db/sqlite.h"
#include "db/auth_store.h"
#include "db/outbox_store.h"
#include "db/queue_store.h"
#include "db/reply_store.h"
#include "db/recap_store.h"
#include "db/retention_store.h"
#include "db/store.h"

namespace sambat::db {

struct EditableDraft;

// Store on one SQLite file. Thread-safe: calls are serialised on one connection.
class SqliteStore final : public Store,
                          public QueueStore,
                          public AuthStore,
                          public OutboxStore,
                          public ReplyStore,
                          public RecapStore,
                          public RetentionStore {
 public:
  // Opens `path`, applies migrations; refuses a database newer than this binary.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, const Clock* clock);

  Result<IngestStats> Ingest(const IngestBatch& batch) override;
  Result<IngestStats> IngestStream(const NextItem& next, const std::optional<CursorState>& cursor) override;
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

  // QueueStore (sqlite_queue.cpp)
  Result<std::vector<DraftView>> QueryDrafts(const DraftQuery& query) override;
  Result<DraftDetail> GetDraft(int64_t id) override;
  Status EditDraft(int64_t id, int64_t version, const DraftEdit& edit, const std::string& actor) override;
  Status Decide(const DecisionRequest& request) override;
  Result<int64_t> CreateManualDraft(const ManualEntry& entry) override;
  Result<QueueCounters> Counters(int64_t now_ms, int64_t day_start_ms) override;
  Result<std::vector<RuleQuality>> RuleQualities() override;

  // AuthStore (sqlite_auth.cpp)
  Result<std::optional<UserCredentials>> FindUser(const std::string& username) override;
  Status CreateSession(const SessionRecord& session) override;
  Result<std::optional<SessionInfo>> FindSession(const std::string& token_hash, int64_t now_ms) override;
  Status TouchSession(const std::string& token_hash, int64_t now_ms) override;
  Status RevokeSession(const std::string& token_hash) override;
  Result<std::optional<ApiTokenInfo>> FindApiToken(const std::string& token_hash) override;
  Status TouchApiToken(const std::string& token_hash, int64_t now_ms) override;
  Status RecordLoginFailure(const std::string& key, int64_t now_ms) override;
  Result<int64_t> CountLoginFailures(const std::string& key, int64_t since_ms) override;
  Status ClearLoginFailures(const std::string& key) override;

  // OutboxStore (sqlite_outbox.cpp)
  Result<std::vector<OutboxItem>> DueOutbox(const std::string& kind, int64_t now_ms, int limit) override;
  Status MarkSending(int64_t id, int64_t now_ms) override;
  Status MarkDelivered(int64_t id, const std::optional<std::string>& external_ref, int64_t now_ms) override;
  Status MarkRetry(int64_t id, int64_t next_attempt_at, const std::string& error) override;
  Status MarkDead(int64_t id, const std::string& error) override;
  Status Resend(int64_t id, const std::string& kind, const std::string& actor, int64_t now_ms) override;
  Result<OutboxCounts> CountOutbox(const std::string& kind) override;
  Result<std::vector<OutboxItem>> ListOutbox(const std::string& kind, const std::string& status, int limit) override;
  Result<std::optional<OutboxItem>> GetOutbox(int64_t id) override;
  Status RecordDispositionStep(const DispositionStep& step) override;
  Result<std::vector<OpenDisposition>> OpenDispositions() override;

  // ReplyStore (sqlite_replies.cpp)
  Result<std::vector<ReplyEvent>> UnansweredReplyEvents(int64_t since_ms, int limit) override;
  Status AddReply(const NewReply& reply, int64_t now_ms) override;
  Result<int> AbandonInterruptedReplies(const std::string& why) override;
  Result<int64_t> RepliesDeliveredSince(const std::string& platform, int64_t since_ms) override;
  Status ApproveReply(int64_t id, const std::optional<std::string>& text, const std::string& actor,
                      int64_t now_ms) override;
  Status DiscardReply(int64_t id, const std::string& reason, const std::string& actor, int64_t now_ms) override;

  // RecapStore (sqlite_recap.cpp)
  Result<Recap> MonthlyRecap(const RecapPeriod& period, const SopLimits& limits, int64_t now_ms) override;

  // RetentionStore (sqlite_retention.cpp)
  Result<PurgeCounts> Purge(const PurgeRequest& request) override;
  Result<std::optional<int64_t>> LastPurgeAt() override;
  Result<std::string> SubjectSalt() override;
  Result<std::string> ExportSubject(const Subject& subject, const std::string& actor,
                                    const std::string& subject_ref) override;
  Result<EraseCounts> EraseSubject(const Subject& subject, const std::string& actor, const std::string& subject_ref,
                                   bool vacuum) override;

  SqliteStore(Connection conn, const Clock* clock) : conn_(std::move(conn)), clock_(clock) {}

 private:
  struct ErasedSubjects {
    std::set<std::string> refs;
    std::string salt;
  };
  Result<ErasedSubjects> ErasedSubjectsLocked();
  // Drafts inserted but not yet in the search index: ids first..last (empty when last < first).
  struct NewDrafts {
    int64_t first = 0, last = -1;
  };
  // Adds the post (and its classification and draft); a new draft's id goes to `new_drafts`,
  // which the caller indexes with IndexForSearch before committing.
  Status InsertItem(const IngestItem& item, int64_t now, IngestStats* stats, NewDrafts* new_drafts);
  Status IndexForSearch(const NewDrafts& drafts);
  // At open: indexes drafts an older sambatd stored without indexing them (see the .cpp).
  Status IndexMissedDrafts();
  struct NearDuplicate {
    std::optional<int64_t> group;       // the group a new draft joins, if any
    bool original_needs_group = false;  // the draft it resembles has no group yet
  };
  Result<NearDuplicate> FindNearDuplicate(const DraftRecord& d, int64_t now);
  // Runs `sql` (one user-changing statement) and its audit entry in one transaction;
  // NotFound when no row changed.
  Status ChangeUser(const std::string& sql, const std::string& username, const std::optional<std::string>& value,
                    const AuditEntry& audit);
  // The draft under the write lock, if it is still pending at `version`.
  Result<EditableDraft> LoadForChange(int64_t id, int64_t version);
  Status WriteDraftFields(int64_t id, const EditableDraft& e, int64_t now);
  Status EnqueueHandoff(int64_t draft_id, int64_t now);
  Status UpsertCursor(const CursorState& c, int64_t now);
  Status AppendAuditLocked(const AuditEntry& entry, int64_t now);
  Result<int64_t> CountLocked(const std::string& sql, const std::string* arg);

  // One statement without rows on the main connection, under the lock; arguments bind as ?1, ?2, …
  template <typename... Args>
  Status RunLocked(const std::string& sql, const Args&... args) {
    std::lock_guard lock(mu_);
    auto st = conn_.Prepare(sql);
    if (!st.ok()) return st.status();
    int i = 0;
    ((*st)->Bind(++i, args), ...);
    return (*st)->Run();
  }

  // Runs `f(Connection&)` on a free read-only connection, so the queue's reads run side by
  // side (WAL) instead of queueing behind each other and behind ingestion on `conn_`.
  template <typename F>
  auto Read(F&& f) {
    for (auto& r : readers_) {
      std::unique_lock lock(r->mu, std::try_to_lock);
      if (lock.owns_lock()) return f(r->conn);
    }
    if (!readers_.empty()) {
      auto& r = readers_[std::hash<std::thread::id>{}(std::this_thread::get_id()) % readers_.size()];
      std::lock_guard lock(r->mu);
      return f(r->conn);
    }
    std::lock_guard lock(mu_);
    return f(conn_);
  }

  struct Reader {
    explicit Reader(Connection c) : conn(std::move(c)) {}
    std::mutex mu;
    Connection conn;
  };

  std::mutex mu_;
  Connection conn_;
  std::vector<std::unique_ptr<Reader>> readers_;  // none for ":memory:"
  const Clock* clock_;
};

}  // namespace sambat::db
