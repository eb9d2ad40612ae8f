// SqliteStore's RetentionStore part: the purge by age, and one subject's export and erasure.
//
// Both delete through the same steps (DeleteDoomed): the ids to delete are first collected in
// two temporary tables, doomed_drafts and doomed_posts, so that what is counted is exactly what
// is deleted, and a dry run can count with the same selection without deleting.
#include <chrono>
#include <string>
#include <thread>

#include "base/duration.h"
#include "db/sqlite_store.h"

namespace sambat::db {
namespace {

// Rows per purge transaction: small enough that capture and the queue wait only briefly.
constexpr int64_t kPurgeBatch = 500;

// A draft the purge may delete, with ?1 the cutoff: rejected or marked duplicate before it,
// and no delivery to the pipeline still in flight. Confirmed, pending and returned drafts are
// never candidates.
constexpr const char* kPurgeableDraft =
    "d.status IN ('rejected', 'duplicate') AND coalesce(d.decided_at, d.updated_at) < ?1"
    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.draft_id = d.id AND o.status IN ('pending', 'sending', 'review'))";

// A post that is not a complaint, stored before ?1: no draft, and not classified as one.
constexpr const char* kNonComplaintPost =
    "p.fetched_at < ?1 AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.post_id = p.id)"
    " AND NOT EXISTS (SELECT 1 FROM classifications c WHERE c.post_id = p.id AND c.is_complaint = 1)";

// A webhook body naming the subject (?1 platform, ?2 author id) or one of their posts, as a
// JSON string. Meta writes ids as strings, so the quotes keep "42" from matching "1420".
constexpr const char* kSubjectWebhook =
    "w.source = ?1 AND (instr(w.body, '\"' || ?2 || '\"') > 0 OR EXISTS (SELECT 1 FROM posts wp"
    " WHERE wp.platform = ?1 AND wp.author_id = ?2 AND instr(w.body, '\"' || wp.platform_id || '\"') > 0))";

// Runs `sql` with `args` bound as ?1, ?2, …; the number of rows it changed.
template <typename... Args>
Result<int64_t> Change(Connection& conn, const std::string& sql, const Args&... args) {
  auto st = conn.Prepare(sql);
  if (!st.ok()) return st.status();
  int i = 0;
  ((*st)->Bind(++i, args), ...);
  SAMBAT_RETURN_IF_ERROR((*st)->Run());
  return static_cast<int64_t>(conn.Changes());
}

// The first column of the first row as an integer (0 for NULL or no row).
template <typename... Args>
Result<int64_t> Number(Connection& conn, const std::string& sql, const Args&... args) {
  auto st = conn.Prepare(sql);
  if (!st.ok()) return st.status();
  int i = 0;
  ((*st)->Bind(++i, args), ...);
  int64_t n = 0;
  auto found = (*st)->FirstRow([&](const Statement& s) { n = s.IsNull(0) ? 0 : s.Int(0); });
  if (!found.ok()) return found.status();
  return n;
}

#define SAMBAT_ASSIGN_OR_RETURN(lhs, expr) \
  do {                                     \
    auto r_ = (expr);                      \
    if (!r_.ok()) return r_.status();      \
    lhs = *r_;                             \
  } while (0)

Status ResetDoomed(Connection& conn) {
  SAMBAT_RETURN_IF_ERROR(conn.Exec(
      "CREATE TEMP TABLE IF NOT EXISTS doomed_drafts (id INTEGER PRIMARY KEY);"
      "CREATE TEMP TABLE IF NOT EXISTS doomed_posts (id INTEGER PRIMARY KEY);"));
  return conn.Exec("DELETE FROM temp.doomed_drafts; DELETE FROM temp.doomed_posts;");
}

// What DeleteDoomed removed (or would remove).
struct Deleted {
  int64_t drafts = 0, posts = 0, classifications = 0, outbox = 0, steps = 0, audit_redacted = 0;
};

// Deletes the doomed drafts and posts with everything hanging off them, in FK order, and
// redacts the audit rows about those drafts (see migration v5 for why rows stay but lose their
// content). The full-text rows go with the drafts through the drafts_fts_delete trigger.
// `count_only`: counts the same rows and changes nothing.
Result<Deleted> DeleteDoomed(Connection& conn, int64_t now, bool count_only) {
  const std::string drafts = "(SELECT id FROM temp.doomed_drafts)";
  const std::string posts = "(SELECT id FROM temp.doomed_posts)";
  const std::string about_drafts = " WHERE entity = 'draft' AND redacted_at IS NULL AND entity_id IN"
                                   " (SELECT CAST(id AS TEXT) FROM temp.doomed_drafts)";
  Deleted n;
  SAMBAT_ASSIGN_OR_RETURN(n.classifications, Number(conn, "SELECT count(*) FROM classifications WHERE post_id IN " + posts));
  if (count_only) {
    SAMBAT_ASSIGN_OR_RETURN(n.audit_redacted, Number(conn, "SELECT count(*) FROM audit_log" + about_drafts));
    SAMBAT_ASSIGN_OR_RETURN(n.steps, Number(conn, "SELECT count(*) FROM disposition_steps WHERE draft_id IN " + drafts));
    SAMBAT_ASSIGN_OR_RETURN(n.outbox, Number(conn, "SELECT count(*) FROM outbox WHERE draft_id IN " + drafts));
    SAMBAT_ASSIGN_OR_RETURN(n.drafts, Number(conn, "SELECT count(*) FROM temp.doomed_drafts"));
    SAMBAT_ASSIGN_OR_RETURN(n.posts, Number(conn, "SELECT count(*) FROM temp.doomed_posts"));
    return n;
  }
  SAMBAT_ASSIGN_OR_RETURN(
      n.audit_redacted,
      Change(conn, "UPDATE audit_log SET before_json = NULL, after_json = NULL, reason = NULL, redacted_at = ?1" +
                       about_drafts,
             now));
  SAMBAT_ASSIGN_OR_RETURN(n.steps, Change(conn, "DELETE FROM disposition_steps WHERE draft_id IN " + drafts));
  SAMBAT_ASSIGN_OR_RETURN(n.outbox, Change(conn, "DELETE FROM outbox WHERE draft_id IN " + drafts));
  SAMBAT_ASSIGN_OR_RETURN(n.drafts, Change(conn, "DELETE FROM drafts WHERE id IN " + drafts));
  // Classifications go with their posts (ON DELETE CASCADE).
  SAMBAT_ASSIGN_OR_RETURN(n.posts, Change(conn, "DELETE FROM posts WHERE id IN " + posts));
  return n;
}

// Moves every WAL frame into the database file and truncates the WAL, so old page images
// (holding deleted rows) are not left in it. Readers on other connections (the daemon) can
// hold it up for a moment; tries for about two seconds. True when the WAL was emptied.
bool CheckpointTruncate(Connection& conn) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto st = conn.Prepare("PRAGMA wal_checkpoint(TRUNCATE)");
    if (!st.ok()) return false;
    int64_t busy = 1;
    auto found = (*st)->FirstRow([&](const Statement& s) { busy = s.Int(0); });
    if (found.ok() && busy == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

Result<PurgeCounts> SqliteStore::Purge(const PurgeRequest& request) {
  const RetentionPolicy& policy = request.policy;
  const int64_t now_ms = request.now_ms;
  const bool dry_run = request.dry_run;
  const int64_t posts_cutoff = now_ms - policy.non_complaint_posts_ms;
  const int64_t drafts_cutoff = now_ms - policy.rejected_drafts_ms;
  const int64_t events_cutoff = now_ms - policy.webhook_events_ms;
  const std::string purgeable(kPurgeableDraft);
  PurgeCounts total;
  int64_t after_draft = 0;  // keyset: drafts kept in one batch are not looked at again
  int64_t after_post = 0;   // the same for posts: old complaints are kept, and not rescanned
  bool more = true;
  while (more) {
    std::lock_guard lock(mu_);
    Transaction tx(&conn_);
    SAMBAT_RETURN_IF_ERROR(tx.Begin());
    SAMBAT_RETURN_IF_ERROR(ResetDoomed(conn_));
    const int64_t limit = dry_run ? -1 : kPurgeBatch;  // a dry run counts everything at once
    int64_t drafts_selected = 0, posts_selected = 0, events = 0;
    SAMBAT_ASSIGN_OR_RETURN(drafts_selected,
                            Change(conn_,
                                   "INSERT INTO temp.doomed_drafts SELECT d.id FROM drafts d WHERE " + purgeable +
                                       " AND d.id > ?2 ORDER BY d.id LIMIT ?3",
                                   drafts_cutoff, after_draft, limit));
    SAMBAT_ASSIGN_OR_RETURN(after_draft, Number(conn_, "SELECT coalesce(max(id), ?1) FROM temp.doomed_drafts", after_draft));
    // A draft that another draft names as its original (duplicate_of) may go only with it:
    // pull in purgeable duplicates of doomed drafts, drop doomed drafts a kept draft still
    // names, until nothing moves.
    for (bool moved = true; moved;) {
      int64_t added = 0, dropped = 0;
      SAMBAT_ASSIGN_OR_RETURN(added, Change(conn_,
                                            "INSERT OR IGNORE INTO temp.doomed_drafts SELECT d.id FROM drafts d"
                                            " WHERE d.duplicate_of IN (SELECT id FROM temp.doomed_drafts) AND " +
                                                purgeable,
                                            drafts_cutoff));
      SAMBAT_ASSIGN_OR_RETURN(dropped, Change(conn_,
                                              "DELETE FROM temp.doomed_drafts WHERE id IN (SELECT o.duplicate_of FROM"
                                              " drafts o WHERE o.duplicate_of IS NOT NULL AND o.id NOT IN"
                                              " (SELECT id FROM temp.doomed_drafts))"));
      moved = added > 0 || dropped > 0;
    }
    int64_t rejected = 0, duplicate = 0;
    SAMBAT_ASSIGN_OR_RETURN(rejected, Number(conn_, "SELECT count(*) FROM drafts WHERE status = 'rejected' AND id IN"
                                                    " (SELECT id FROM temp.doomed_drafts)"));
    SAMBAT_ASSIGN_OR_RETURN(duplicate, Number(conn_, "SELECT count(*) FROM drafts WHERE status = 'duplicate' AND id IN"
                                                     " (SELECT id FROM temp.doomed_drafts)"));
    int64_t draft_posts = 0;
    SAMBAT_ASSIGN_OR_RETURN(draft_posts, Change(conn_, "INSERT OR IGNORE INTO temp.doomed_posts SELECT post_id FROM drafts"
                                                       " WHERE id IN (SELECT id FROM temp.doomed_drafts)"));
    SAMBAT_ASSIGN_OR_RETURN(posts_selected,
                            Change(conn_,
                                   std::string("INSERT OR IGNORE INTO temp.doomed_posts SELECT p.id FROM posts p WHERE ") +
                                       kNonComplaintPost + " AND p.id > ?3 ORDER BY p.id LIMIT ?2",
                                   posts_cutoff, limit, after_post));
    // Non-complaint posts have no draft: the largest doomed post without one is where this
    // batch's scan ended.
    SAMBAT_ASSIGN_OR_RETURN(after_post, Number(conn_, "SELECT coalesce(max(t.id), ?1) FROM temp.doomed_posts t"
                                                      " WHERE NOT EXISTS (SELECT 1 FROM drafts d WHERE d.post_id = t.id)",
                                               after_post));
    const std::string events_where = "processed_at IS NOT NULL AND processed_at < ?1";
    if (dry_run) {
      SAMBAT_ASSIGN_OR_RETURN(events, Number(conn_, "SELECT count(*) FROM webhook_events WHERE " + events_where, events_cutoff));
    } else {
      SAMBAT_ASSIGN_OR_RETURN(events, Change(conn_,
                                             "DELETE FROM webhook_events WHERE id IN (SELECT id FROM webhook_events WHERE " +
                                                 events_where + " ORDER BY id LIMIT ?2)",
                                             events_cutoff, limit));
    }
    auto deleted = DeleteDoomed(conn_, now_ms, dry_run);
    if (!deleted.ok()) return deleted.status();
    total.non_complaint_posts += posts_selected;
    total.rejected_drafts += rejected;
    total.duplicate_drafts += duplicate;
    total.draft_posts += draft_posts;
    total.classifications += deleted->classifications;
    total.outbox_rows += deleted->outbox;
    total.disposition_steps += deleted->steps;
    total.webhook_events += events;
    total.audit_rows_redacted += deleted->audit_redacted;
    if (dry_run) return total;  // the transaction rolls back: nothing changed
    SAMBAT_RETURN_IF_ERROR(tx.Commit());
    more = drafts_selected == kPurgeBatch || posts_selected == kPurgeBatch || events == kPurgeBatch;
    if (request.cancel && request.cancel->load()) break;
  }

  std::lock_guard lock(mu_);
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  if (total.rejected_drafts + total.duplicate_drafts > 0) {
    // Merges the full-text index into one segment, so the deleted drafts' words are gone from
    // it rather than only shadowed by delete markers.
    SAMBAT_RETURN_IF_ERROR(conn_.Exec("INSERT INTO drafts_fts (drafts_fts) VALUES ('optimize')"));
  }
  auto counts = conn_.Prepare(
      "SELECT json_object('postingan_bukan_aduan', ?1, 'draf_ditolak', ?2, 'draf_duplikat', ?3,"
      " 'postingan_draf', ?4, 'klasifikasi', ?5, 'outbox', ?6, 'langkah_disposisi', ?7, 'webhook', ?8,"
      " 'audit_disunting', ?9, 'retensi', json_object('bukan_aduan', ?10, 'draf_ditolak', ?11, 'webhook', ?12))");
  if (!counts.ok()) return counts.status();
  auto age = [](int64_t ms) { return FormatDuration(std::chrono::milliseconds(ms)); };
  (*counts)
      ->Bind(1, total.non_complaint_posts)
      .Bind(2, total.rejected_drafts)
      .Bind(3, total.duplicate_drafts)
      .Bind(4, total.draft_posts)
      .Bind(5, total.classifications)
      .Bind(6, total.outbox_rows)
      .Bind(7, total.disposition_steps)
      .Bind(8, total.webhook_events)
      .Bind(9, total.audit_rows_redacted)
      .Bind(10, age(policy.non_complaint_posts_ms))
      .Bind(11, age(policy.rejected_drafts_ms))
      .Bind(12, age(policy.webhook_events_ms));
  std::string after_json;
  auto found = (*counts)->FirstRow([&](const Statement& s) { after_json = s.Text(0); });
  if (!found.ok()) return found.status();
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked(
      {.actor = request.actor, .action = "purge", .entity = "retention", .after_json = after_json}, now_ms));
  SAMBAT_RETURN_IF_ERROR(tx.Commit());
  return total;
}

Result<std::optional<int64_t>> SqliteStore::LastPurgeAt() {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare("SELECT max(at) FROM audit_log WHERE action = 'purge'");
  if (!st.ok()) return st.status();
  std::optional<int64_t> at;
  auto found = (*st)->FirstRow([&](const Statement& s) {
    if (!s.IsNull(0)) at = s.Int(0);
  });
  if (!found.ok()) return found.status();
  return at;
}

Result<std::string> SqliteStore::SubjectSalt() {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare("SELECT value FROM meta WHERE key = 'subject_salt'");
  if (!st.ok()) return st.status();
  std::string salt;
  auto found = (*st)->FirstRow([&](const Statement& s) { salt = s.Text(0); });
  if (!found.ok()) return found.status();
  if (!*found || salt.empty()) {
    return Status::Internal("Basis data tidak memuat meta.subject_salt; jalankan sambatd versi ini sekali agar migrasinya"
                            " lengkap, lalu ulangi.");
  }
  return salt;
}

namespace {

// JSON text columns embedded as JSON when they parse, as strings otherwise.
#define SAMBAT_J(col) "CASE WHEN json_valid(" col ") THEN json(" col ") ELSE " col " END"

// ?1 platform, ?2 author id, ?3 now. Everything about one subject as one JSON object, built by
// SQLite's JSON functions (strings are escaped there, whatever the text holds).
constexpr const char* kExportSql =
    "WITH sp AS (SELECT * FROM posts WHERE platform = ?1 AND author_id = ?2),"
    " sd AS (SELECT d.* FROM drafts d WHERE d.post_id IN (SELECT id FROM sp))"
    " SELECT json_object('platform', ?1, 'author_id', ?2, 'exported_at', ?3,"
    " 'posts', (SELECT json_group_array(json(x)) FROM (SELECT json_object("
    "   'id', p.id, 'platform_id', p.platform_id, 'kind', p.kind, 'endpoint', p.endpoint,"
    "   'author_id', p.author_id, 'author_handle', p.author_handle, 'author_name', p.author_name,"
    "   'text', p.text, 'url', p.url, 'created_at', p.created_at, 'fetched_at', p.fetched_at,"
    "   'media', " SAMBAT_J("p.media_json") ", 'parent_platform_id', p.parent_platform_id,"
    "   'raw', " SAMBAT_J("p.raw_json") ","
    "   'classification', json((SELECT json_object('rules_version', c.rules_version,"
    "     'is_complaint', json(CASE c.is_complaint WHEN 1 THEN 'true' ELSE 'false' END), 'score', c.score,"
    "     'threshold', c.threshold, 'kategori', c.kategori, 'opd', " SAMBAT_J("c.opd_json") ","
    "     'rules', " SAMBAT_J("c.rules_json") ", 'location', " SAMBAT_J("c.location_json") ","
    "     'classified_at', c.classified_at) FROM classifications c WHERE c.post_id = p.id)),"
    "   'draft', json((SELECT json_object('id', d.id, 'status', d.status, 'nama', d.nama,"
    "     'nama_from_profile', json(CASE d.nama_from_profile WHEN 1 THEN 'true' ELSE 'false' END),"
    "     'alamat', d.alamat, 'pesan', d.pesan, 'kanal', d.kanal, 'url', d.url,"
    "     'lampiran', " SAMBAT_J("d.lampiran_json") ", 'kategori', d.kategori, 'opd', d.opd,"
    "     'kecamatan', d.kecamatan, 'desa', d.desa, 'created_at', d.created_at, 'updated_at', d.updated_at,"
    "     'decided_by', d.decided_by, 'decided_at', d.decided_at, 'decision_reason', d.decision_reason,"
    "     'duplicate_of', d.duplicate_of) FROM sd d WHERE d.post_id = p.id))"
    "   ) AS x FROM sp p ORDER BY p.id)),"
    " 'outbox', (SELECT json_group_array(json(x)) FROM (SELECT json_object('id', o.id, 'draft_id', o.draft_id,"
    "   'kind', o.kind, 'status', o.status, 'payload', " SAMBAT_J("o.payload_json") ","
    "   'external_ref', o.external_ref, 'created_at', o.created_at, 'delivered_at', o.delivered_at) AS x"
    "   FROM outbox o WHERE o.draft_id IN (SELECT id FROM sd) ORDER BY o.id)),"
    " 'disposition_steps', (SELECT json_group_array(json(x)) FROM (SELECT json_object('draft_id', s.draft_id,"
    "   'step', s.step, 'at', s.at, 'note', s.note) AS x"
    "   FROM disposition_steps s WHERE s.draft_id IN (SELECT id FROM sd) ORDER BY s.id)),"
    " 'audit', (SELECT json_group_array(json(x)) FROM (SELECT json_object('at', a.at, 'actor', a.actor,"
    "   'action', a.action, 'draft_id', a.entity_id, 'before', " SAMBAT_J("a.before_json") ","
    "   'after', " SAMBAT_J("a.after_json") ", 'reason', a.reason, 'redacted_at', a.redacted_at) AS x"
    "   FROM audit_log a WHERE a.entity = 'draft' AND a.entity_id IN (SELECT CAST(id AS TEXT) FROM sd)"
    "   ORDER BY a.id)),"
    " 'webhook_events', (SELECT json_group_array(json(x)) FROM (SELECT json_object('id', w.id,"
    "   'received_at', w.received_at, 'processed_at', w.processed_at, 'body', " SAMBAT_J("w.body") ") AS x"
    "   FROM webhook_events w WHERE " /* kSubjectWebhook follows */;

}  // namespace

Result<std::string> SqliteStore::ExportSubject(const Subject& subject, const std::string& actor,
                                               const std::string& subject_ref) {
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  Transaction tx(&conn_);  // the export and its audit row see one snapshot
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto st = conn_.Prepare(std::string(kExportSql) + kSubjectWebhook + " ORDER BY w.id)))");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, subject.platform).Bind(2, subject.author_id).Bind(3, now);
  std::string json;
  auto found = (*st)->FirstRow([&](const Statement& s) { json = s.Text(0); });
  if (!found.ok()) return found.status();
  auto summary = conn_.Prepare(
      "SELECT json_object('platform', ?2, 'postingan', json_array_length(?1, '$.posts'),"
      " 'draf', (SELECT count(*) FROM json_each(?1, '$.posts') WHERE json_type(value, '$.draft') = 'object'))");
  if (!summary.ok()) return summary.status();
  (*summary)->Bind(1, json).Bind(2, subject.platform);
  std::string after_json;
  found = (*summary)->FirstRow([&](const Statement& s) { after_json = s.Text(0); });
  if (!found.ok()) return found.status();
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked(
      {.actor = actor, .action = "subject_export", .entity = "subject", .entity_id = subject_ref, .after_json = after_json},
      now));
  SAMBAT_RETURN_IF_ERROR(tx.Commit());
  return json;
}

Result<EraseCounts> SqliteStore::EraseSubject(const Subject& subject, const std::string& actor,
                                              const std::string& subject_ref, bool vacuum) {
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  EraseCounts n;
  {
    Transaction tx(&conn_);
    SAMBAT_RETURN_IF_ERROR(tx.Begin());
    SAMBAT_RETURN_IF_ERROR(ResetDoomed(conn_));
    SAMBAT_RETURN_IF_ERROR(Change(conn_, "INSERT INTO temp.doomed_posts SELECT id FROM posts"
                                                   " WHERE platform = ?1 AND author_id = ?2",
                                            subject.platform, subject.author_id).status());
    SAMBAT_RETURN_IF_ERROR(Change(conn_, "INSERT INTO temp.doomed_drafts SELECT id FROM drafts"
                                                   " WHERE post_id IN (SELECT id FROM temp.doomed_posts)").status());
    auto tickets = conn_.Prepare(
        "SELECT DISTINCT external_ref FROM outbox WHERE external_ref IS NOT NULL AND draft_id IN"
        " (SELECT id FROM temp.doomed_drafts) ORDER BY external_ref");
    if (!tickets.ok()) return tickets.status();
    SAMBAT_RETURN_IF_ERROR(
        (*tickets)->ForEachRow([&](const Statement& s) { n.handed_off_tickets.push_back(s.Text(0)); }));
    // Webhook bodies naming them go too, processed or not: one not yet processed would bring
    // the erased post back. A batched body may also hold other people's entries; those were
    // (or would have been) captured from the same body, and erasure wins.
    SAMBAT_ASSIGN_OR_RETURN(n.webhook_events, Change(conn_, std::string("DELETE FROM webhook_events AS w WHERE ") +
                                                               kSubjectWebhook,
                                                     subject.platform, subject.author_id));
    // Other people's drafts marked as duplicates of theirs lose the link (it would point nowhere).
    SAMBAT_RETURN_IF_ERROR(Change(conn_, "UPDATE drafts SET duplicate_of = NULL WHERE duplicate_of IN"
                                                   " (SELECT id FROM temp.doomed_drafts) AND id NOT IN"
                                                   " (SELECT id FROM temp.doomed_drafts)").status());
    auto deleted = DeleteDoomed(conn_, now, false);
    if (!deleted.ok()) return deleted.status();
    SAMBAT_RETURN_IF_ERROR(Change(conn_, "INSERT INTO erased_subjects (ref, erased_at) VALUES (?1, ?2)"
                                         " ON CONFLICT (ref) DO NOTHING",
                                  subject_ref, now)
                               .status());
    n.posts = deleted->posts;
    n.classifications = deleted->classifications;
    n.drafts = deleted->drafts;
    n.outbox_rows = deleted->outbox;
    n.disposition_steps = deleted->steps;
    n.audit_rows_redacted = deleted->audit_redacted;
    auto counts = conn_.Prepare(
        "SELECT json_object('platform', ?1, 'postingan', ?2, 'klasifikasi', ?3, 'draf', ?4, 'outbox', ?5,"
        " 'langkah_disposisi', ?6, 'webhook', ?7, 'audit_disunting', ?8)");
    if (!counts.ok()) return counts.status();
    (*counts)->Bind(1, subject.platform).Bind(2, n.posts).Bind(3, n.classifications).Bind(4, n.drafts)
        .Bind(5, n.outbox_rows).Bind(6, n.disposition_steps).Bind(7, n.webhook_events).Bind(8, n.audit_rows_redacted);
    std::string after_json;
    auto found = (*counts)->FirstRow([&](const Statement& s) { after_json = s.Text(0); });
    if (!found.ok()) return found.status();
    SAMBAT_RETURN_IF_ERROR(AppendAuditLocked(
        {.actor = actor, .action = "subject_erase", .entity = "subject", .entity_id = subject_ref, .after_json = after_json},
        now));
    SAMBAT_RETURN_IF_ERROR(tx.Commit());
  }
  // After the commit, so the words are gone from the index's pages and not only marked deleted.
  if (n.drafts > 0) SAMBAT_RETURN_IF_ERROR(conn_.Exec("INSERT INTO drafts_fts (drafts_fts) VALUES ('optimize')"));
  if (vacuum) SAMBAT_RETURN_IF_ERROR(conn_.Exec("VACUUM"));
  n.wal_truncated = CheckpointTruncate(conn_);
  return n;
}

}  // namespace sambat::db
