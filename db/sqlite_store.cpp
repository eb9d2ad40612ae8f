#include "db/sqlite_store.h"

#include "db/migrations.h"

namespace sambat::db {

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, const Clock* clock) {
  auto conn = Connection::Open(path);
  if (!conn.ok()) return conn.status();
  Status s = Migrate(&*conn);
  if (!s.ok()) return s;
  return std::make_unique<SqliteStore>(std::move(*conn), clock);
}

Result<IngestStats> SqliteStore::Ingest(const IngestBatch& batch) {
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  IngestStats stats;
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  for (const auto& item : batch.items) {
    SAMBAT_RETURN_IF_ERROR(InsertItem(item, now, &stats));
  }
  if (batch.cursor) SAMBAT_RETURN_IF_ERROR(UpsertCursor(*batch.cursor, now));
  SAMBAT_RETURN_IF_ERROR(tx.Commit());
  return stats;
}

Status SqliteStore::InsertItem(const IngestItem& item, int64_t now, IngestStats* stats) {
  const PostRecord& p = item.post;
  auto ins = conn_.Prepare(
      "INSERT INTO posts (platform, platform_id, kind, endpoint, author_id, author_handle,"
      " author_name, text, url, created_at, fetched_at, media_json, parent_platform_id, raw_json)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
      " ON CONFLICT (platform, platform_id) DO NOTHING");
  if (!ins.ok()) return ins.status();
  Statement& s = **ins;
  s.Bind(1, p.platform).Bind(2, p.platform_id).Bind(3, p.kind).Bind(4, p.endpoint)
      .Bind(5, p.author_id).Bind(6, p.author_handle).Bind(7, p.author_name).Bind(8, p.text)
      .Bind(9, p.url).Bind(10, p.created_at).Bind(11, now).Bind(12, p.media_json)
      .Bind(13, p.parent_platform_id).Bind(14, p.raw_json);
  SAMBAT_RETURN_IF_ERROR(s.Run());
  if (conn_.Changes() == 0) {  // already known: keep what was decided about it
    ++stats->posts_already_known;
    return Status::Ok();
  }
  ++stats->posts_inserted;
  const int64_t post_id = conn_.LastInsertRowId();

  if (item.classification) {
    const ClassificationRecord& c = *item.classification;
    auto cs = conn_.Prepare(
        "INSERT INTO classifications (post_id, rules_version, is_complaint, score, threshold,"
        " kategori, opd_json, rules_json, location_json, classified_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!cs.ok()) return cs.status();
    (*cs)->Bind(1, post_id).Bind(2, c.rules_version).Bind(3, c.is_complaint ? 1 : 0)
        .Bind(4, c.score).Bind(5, c.threshold).Bind(6, c.kategori).Bind(7, c.opd_json)
        .Bind(8, c.rules_json).Bind(9, c.location_json).Bind(10, now);
    SAMBAT_RETURN_IF_ERROR((*cs)->Run());
  }
  if (item.draft) {
    const DraftRecord& d = *item.draft;
    auto ds = conn_.Prepare(
        "INSERT INTO drafts (post_id, nama, nama_from_profile, alamat, pesan, kanal, url,"
        " lampiran_json, kategori, opd_candidates_json, opd, kecamatan, desa,"
        " missing_fields_json, created_at, sla_due_at, updated_at, simhash)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?15, ?17)");
    if (!ds.ok()) return ds.status();
    (*ds)->Bind(1, post_id).Bind(2, d.nama).Bind(3, d.nama_from_profile ? 1 : 0).Bind(4, d.alamat)
        .Bind(5, d.pesan).Bind(6, d.kanal).Bind(7, d.url).Bind(8, d.lampiran_json)
        .Bind(9, d.kategori).Bind(10, d.opd_candidates_json).Bind(11, d.opd)
        .Bind(12, d.kecamatan).Bind(13, d.desa).Bind(14, d.missing_fields_json).Bind(15, now)
        .Bind(16, d.sla_due_at).Bind(17, d.simhash);
    SAMBAT_RETURN_IF_ERROR((*ds)->Run());
    ++stats->drafts_created;
  }
  return Status::Ok();
}

Status SqliteStore::UpsertCursor(const CursorState& c, int64_t now) {
  auto st = conn_.Prepare(
      "INSERT INTO cursors (source, endpoint, cursor, rate_limit_remaining, rate_limit_reset_at,"
      " paused_until, pause_reason, last_success_at, last_error, updated_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
      " ON CONFLICT (source, endpoint) DO UPDATE SET cursor = excluded.cursor,"
      " rate_limit_remaining = excluded.rate_limit_remaining,"
      " rate_limit_reset_at = excluded.rate_limit_reset_at, paused_until = excluded.paused_until,"
      " pause_reason = excluded.pause_reason, last_success_at = excluded.last_success_at,"
      " last_error = excluded.last_error, updated_at = excluded.updated_at");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, c.source).Bind(2, c.endpoint).Bind(3, c.cursor).Bind(4, c.rate_limit_remaining)
      .Bind(5, c.rate_limit_reset_at).Bind(6, c.paused_until).Bind(7, c.pause_reason)
      .Bind(8, c.last_success_at).Bind(9, c.last_error).Bind(10, now);
  return (*st)->Run();
}

Result<std::optional<CursorState>> SqliteStore::GetCursor(const std::string& source,
                                                          const std::string& endpoint) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare(
      "SELECT cursor, rate_limit_remaining, rate_limit_reset_at, paused_until, pause_reason,"
      " last_success_at, last_error FROM cursors WHERE source = ?1 AND endpoint = ?2");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, source).Bind(2, endpoint);
  if (!s.Step()) {
    Status err = s.status();
    s.Reset();
    if (!err.ok()) return err;
    return std::optional<CursorState>();
  }
  auto opt_int = [&](int col) -> std::optional<int64_t> {
    if (s.IsNull(col)) return std::nullopt;
    return s.Int(col);
  };
  CursorState c;
  c.source = source;
  c.endpoint = endpoint;
  c.cursor = s.OptText(0);
  c.rate_limit_remaining = opt_int(1);
  c.rate_limit_reset_at = opt_int(2);
  c.paused_until = opt_int(3);
  c.pause_reason = s.OptText(4);
  c.last_success_at = opt_int(5);
  c.last_error = s.OptText(6);
  s.Reset();
  return std::optional<CursorState>(std::move(c));
}

Result<int64_t> SqliteStore::CountLocked(const std::string& sql, const std::string* arg) {
  auto st = conn_.Prepare(sql);
  if (!st.ok()) return st.status();
  if (arg) (*st)->Bind(1, *arg);
  if (!(*st)->Step()) return (*st)->status().ok() ? conn_.Error("count") : (*st)->status();
  int64_t n = (*st)->Int(0);
  (*st)->Reset();
  return n;
}

Result<int64_t> SqliteStore::CountPosts() {
  std::lock_guard lock(mu_);
  return CountLocked("SELECT count(*) FROM posts", nullptr);
}

Result<int64_t> SqliteStore::CountDrafts(const std::string& status) {
  std::lock_guard lock(mu_);
  if (status.empty()) return CountLocked("SELECT count(*) FROM drafts", nullptr);
  return CountLocked("SELECT count(*) FROM drafts WHERE status = ?1", &status);
}

Status SqliteStore::AppendAudit(const AuditEntry& entry) {
  std::lock_guard lock(mu_);
  return AppendAuditLocked(entry, ToUnixMillis(clock_->Now()));
}

Status SqliteStore::AppendAuditLocked(const AuditEntry& e, int64_t now) {
  auto st = conn_.Prepare(
      "INSERT INTO audit_log (at, actor, action, entity, entity_id, before_json, after_json, reason)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, now).Bind(2, e.actor).Bind(3, e.action).Bind(4, e.entity).Bind(5, e.entity_id)
      .Bind(6, e.before_json).Bind(7, e.after_json).Bind(8, e.reason);
  return (*st)->Run();
}

}  // namespace sambat::db
