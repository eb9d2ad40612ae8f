// SqliteStore's ReplyStore part: which events still need an answer to the citizen, and the
// reply rows' life (review → pending → sending → delivered, or dead / discarded).
#include "db/sqlite_store.h"

namespace sambat::db {
namespace {

// The three events, each with the post to answer. The NOT EXISTS on the unique idempotency
// key makes the scan cheap and the answer "only what has no reply yet".
constexpr const char* kEventsSql = R"sql(
SELECT 'tanda_terima', 'reply:tanda_terima:' || d.id, d.id, o.delivered_at,
       p.platform, p.kind, p.platform_id, p.parent_platform_id, p.url,
       o.external_ref, d.opd, NULL, NULL, d.nama, d.alamat, d.missing_fields_json
  FROM outbox o JOIN drafts d ON d.id = o.draft_id JOIN posts p ON p.id = d.post_id
 WHERE o.kind = 'handoff' AND o.status = 'delivered' AND o.delivered_at >= ?1 AND p.platform <> 'manual'
   AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.idempotency_key = 'reply:tanda_terima:' || d.id)
UNION ALL
SELECT 'kelengkapan', 'reply:kelengkapan:' || d.id, d.id, d.decided_at,
       p.platform, p.kind, p.platform_id, p.parent_platform_id, p.url,
       NULL, d.opd, NULL, d.decision_reason, d.nama, d.alamat, d.missing_fields_json
  FROM drafts d JOIN posts p ON p.id = d.post_id
 WHERE d.status = 'returned' AND d.decided_at >= ?1 AND p.platform <> 'manual'
   AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.idempotency_key = 'reply:kelengkapan:' || d.id)
UNION ALL
SELECT 'jawaban_akhir', 'reply:jawaban_akhir:' || d.id, d.id, s.at,
       p.platform, p.kind, p.platform_id, p.parent_platform_id, p.url,
       (SELECT h.external_ref FROM outbox h WHERE h.draft_id = d.id AND h.kind = 'handoff'
         AND h.external_ref IS NOT NULL ORDER BY h.id DESC LIMIT 1),
       d.opd, s.note, NULL, d.nama, d.alamat, d.missing_fields_json
  FROM disposition_steps s JOIN drafts d ON d.id = s.draft_id JOIN posts p ON p.id = d.post_id
 WHERE s.step = 'selesai' AND s.at >= ?1 AND p.platform <> 'manual'
   AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.idempotency_key = 'reply:jawaban_akhir:' || d.id)
 ORDER BY 4, 3 LIMIT ?2
)sql";

}  // namespace

Result<std::vector<ReplyEvent>> SqliteStore::UnansweredReplyEvents(int64_t since_ms, int limit) {
  return Read([&](Connection& conn) -> Result<std::vector<ReplyEvent>> {
    auto st = conn.Prepare(kEventsSql);
    if (!st.ok()) return st.status();
    (*st)->Bind(1, since_ms).Bind(2, static_cast<int64_t>(limit));
    std::vector<ReplyEvent> out;
    SAMBAT_RETURN_IF_ERROR((*st)->ForEachRow([&](const Statement& s) {
      ReplyEvent e;
      e.template_name = s.Text(0);
      e.key = s.Text(1);
      e.draft_id = s.Int(2);
      e.at = s.Int(3);
      e.platform = s.Text(4);
      e.post_kind = s.Text(5);
      e.post_id = s.Text(6);
      e.parent_id = s.OptText(7);
      e.post_url = s.OptText(8);
      e.ticket = s.OptText(9);
      e.opd = s.OptText(10);
      e.jawaban = s.OptText(11);
      e.reason = s.OptText(12);
      e.nama = s.OptText(13);
      e.alamat = s.OptText(14);
      e.missing_fields_json = s.Text(15);
      out.push_back(std::move(e));
    }));
    return out;
  });
}

Status SqliteStore::AddReply(const NewReply& r, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto st = conn_.Prepare(
      "INSERT INTO outbox (draft_id, kind, idempotency_key, payload_json, status, next_attempt_at, last_error,"
      " created_at) VALUES (?1, 'reply', ?2, ?3, ?4, ?5, ?6, ?5) ON CONFLICT (idempotency_key) DO NOTHING");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, r.draft_id).Bind(2, r.key).Bind(3, r.payload_json).Bind(4, r.status).Bind(5, now_ms).Bind(6, r.error);
  SAMBAT_RETURN_IF_ERROR((*st)->Run());
  if (conn_.Changes() == 0) return Status::Ok();
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked({.actor = "sambatd", .action = "reply_created", .entity = "draft",
                                            .entity_id = std::to_string(r.draft_id), .after_json = r.payload_json,
                                            .reason = r.error},
                                           now_ms));
  return tx.Commit();
}

Result<int> SqliteStore::AbandonInterruptedReplies(const std::string& why) {
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto st = conn_.Prepare(
      "UPDATE outbox SET status = 'dead', last_error = ?1 WHERE kind = 'reply' AND status = 'sending' RETURNING draft_id");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, why);
  std::vector<int64_t> drafts;
  SAMBAT_RETURN_IF_ERROR((*st)->ForEachRow([&](const Statement& s) { drafts.push_back(s.Int(0)); }));
  for (int64_t d : drafts) {
    SAMBAT_RETURN_IF_ERROR(AppendAuditLocked(
        {.actor = "sambatd", .action = "reply_dead", .entity = "draft", .entity_id = std::to_string(d), .reason = why},
        now));
  }
  SAMBAT_RETURN_IF_ERROR(tx.Commit());
  return static_cast<int>(drafts.size());
}

Result<int64_t> SqliteStore::RepliesDeliveredSince(const std::string& platform, int64_t since_ms) {
  return Read([&](Connection& conn) -> Result<int64_t> {
    auto st = conn.Prepare(
        "SELECT count(*) FROM outbox WHERE kind = 'reply' AND delivered_at >= ?2"
        " AND json_extract(payload_json, '$.platform') = ?1");
    if (!st.ok()) return st.status();
    (*st)->Bind(1, platform).Bind(2, since_ms);
    int64_t n = 0;
    auto found = (*st)->FirstRow([&](const Statement& s) { n = s.Int(0); });
    if (!found.ok()) return found.status();
    return n;
  });
}

Status SqliteStore::ApproveReply(int64_t id, const std::optional<std::string>& text, const std::string& actor,
                                 int64_t now_ms) {
  std::lock_guard lock(mu_);
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto before = conn_.Prepare(
      "SELECT draft_id, json_object('teks', json_extract(payload_json, '$.text')) FROM outbox"
      " WHERE id = ?1 AND kind = 'reply' AND status = 'review'");
  if (!before.ok()) return before.status();
  (*before)->Bind(1, id);
  int64_t draft_id = 0;
  std::string before_json;
  auto found = (*before)->FirstRow([&](const Statement& s) {
    draft_id = s.Int(0);
    before_json = s.Text(1);
  });
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("Balasan #" + std::to_string(id) + " tidak sedang menunggu persetujuan.");
  auto st = conn_.Prepare(
      "UPDATE outbox SET status = 'pending', next_attempt_at = ?2,"
      " payload_json = CASE WHEN ?3 IS NULL THEN payload_json ELSE json_set(payload_json, '$.text', ?3) END"
      " WHERE id = ?1 RETURNING json_object('teks', json_extract(payload_json, '$.text'))");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, id).Bind(2, now_ms).Bind(3, text);
  std::string after_json;
  auto updated = (*st)->FirstRow([&](const Statement& s) { after_json = s.Text(0); });
  if (!updated.ok()) return updated.status();
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked({.actor = actor, .action = "reply_approved", .entity = "draft",
                                            .entity_id = std::to_string(draft_id), .before_json = before_json,
                                            .after_json = after_json},
                                           now_ms));
  return tx.Commit();
}

Status SqliteStore::DiscardReply(int64_t id, const std::string& reason, const std::string& actor, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto st = conn_.Prepare(
      "UPDATE outbox SET status = 'discarded', last_error = ?2 WHERE id = ?1 AND kind = 'reply'"
      " AND status IN ('review', 'dead') RETURNING draft_id");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, id).Bind(2, reason);
  int64_t draft_id = 0;
  auto found = (*st)->FirstRow([&](const Statement& s) { draft_id = s.Int(0); });
  if (!found.ok()) return found.status();
  if (!*found) {
    return Status::NotFound("Balasan #" + std::to_string(id) + " tidak bisa dibatalkan (sudah terkirim atau tidak ada).");
  }
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked({.actor = actor, .action = "reply_discarded", .entity = "draft",
                                            .entity_id = std::to_string(draft_id), .reason = reason},
                                           now_ms));
  return tx.Commit();
}

}  // namespace sambat::db
