#include "db/sqlite_store.h"

#include "db/draft_row.h"
#include "db/migrations.h"
#include "db/subject_ref.h"

namespace sambat::db {

// Read-only connections for the queue: as many as the web server has handler threads.
constexpr int kReaders = 2;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, const Clock* clock) {
  auto conn = Connection::Open(path);
  if (!conn.ok()) return conn.status();
  Status s = Migrate(&*conn);
  if (!s.ok()) return s;
  auto store = std::make_unique<SqliteStore>(std::move(*conn), clock);
  SAMBAT_RETURN_IF_ERROR(store->IndexMissedDrafts());
  if (path != ":memory:") {
    for (int i = 0; i < kReaders; ++i) {
      auto reader = Connection::Open(path, {.read_only = true});
      if (!reader.ok()) return reader.status();
      store->readers_.push_back(std::make_unique<Reader>(std::move(*reader)));
    }
  }
  return store;
}

Result<IngestStats> SqliteStore::Ingest(const IngestBatch& batch) {
  size_t i = 0;
  return IngestStream(
      [&]() -> const IngestItem* { return i < batch.items.size() ? &batch.items[i++] : nullptr; },
      batch.cursor);
}

Result<IngestStats> SqliteStore::IngestStream(const NextItem& next, const std::optional<CursorState>& cursor) {
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  IngestStats stats;
  NewDrafts new_drafts;
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto erased = ErasedSubjectsLocked();
  if (!erased.ok()) return erased.status();
  while (const IngestItem* item = next()) {
    const auto& p = item->post;
    if (!erased->refs.empty() && p.author_id &&
        erased->refs.count(SubjectRef(erased->salt, p.platform, *p.author_id)) > 0) {
      ++stats.posts_of_erased_authors;
      continue;
    }
    SAMBAT_RETURN_IF_ERROR(InsertItem(*item, now, &stats, &new_drafts));
  }
  SAMBAT_RETURN_IF_ERROR(IndexForSearch(new_drafts));
  if (cursor) SAMBAT_RETURN_IF_ERROR(UpsertCursor(*cursor, now));
  SAMBAT_RETURN_IF_ERROR(tx.Commit());
  return stats;
}

// Read per batch, not cached: `sambatd subject erase` runs in another process.
Result<SqliteStore::ErasedSubjects> SqliteStore::ErasedSubjectsLocked() {
  ErasedSubjects out;
  auto refs = conn_.Prepare("SELECT ref FROM erased_subjects");
  if (!refs.ok()) return refs.status();
  SAMBAT_RETURN_IF_ERROR((*refs)->ForEachRow([&](const Statement& s) { out.refs.insert(s.Text(0)); }));
  if (out.refs.empty()) return out;
  auto salt = conn_.Prepare("SELECT value FROM meta WHERE key = 'subject_salt'");
  if (!salt.ok()) return salt.status();
  auto found = (*salt)->FirstRow([&](const Statement& s) { out.salt = s.Text(0); });
  if (!found.ok()) return found.status();
  return out;
}

Status SqliteStore::InsertItem(const IngestItem& item, int64_t now, IngestStats* stats, NewDrafts* new_drafts) {
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
    // Looked up before the insert so the draft is written with its group: linking it with an
    // UPDATE afterwards rewrote the row and its index entries for nearly every draft.
    auto near = FindNearDuplicate(d, now);
    if (!near.ok()) return near.status();
    auto ds = conn_.Prepare(
        "INSERT INTO drafts (post_id, nama, nama_from_profile, alamat, pesan, kanal, url,"
        " lampiran_json, kategori, opd_candidates_json, opd, kecamatan, desa,"
        " missing_fields_json, created_at, sla_due_at, updated_at, simhash, simhash_b0, simhash_b1, simhash_b2,"
        " simhash_b3, duplicate_group)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?15, ?17, ?18, ?19, ?20, ?21,"
        " ?22)");
    if (!ds.ok()) return ds.status();
    (*ds)->Bind(1, post_id).Bind(2, d.nama).Bind(3, d.nama_from_profile ? 1 : 0).Bind(4, d.alamat)
        .Bind(5, d.pesan).Bind(6, d.kanal).Bind(7, d.url).Bind(8, d.lampiran_json)
        .Bind(9, d.kategori).Bind(10, d.opd_candidates_json).Bind(11, d.opd)
        .Bind(12, d.kecamatan).Bind(13, d.desa).Bind(14, d.missing_fields_json).Bind(15, now)
        .Bind(16, d.sla_due_at).Bind(17, d.simhash).Bind(22, near->group);
    if (d.simhash) {
      const uint64_t h = static_cast<uint64_t>(*d.simhash);
      for (int b = 0; b < 4; ++b) (*ds)->Bind(18 + b, static_cast<int64_t>((h >> (16 * b)) & 0xffff));
    }
    SAMBAT_RETURN_IF_ERROR((*ds)->Run());
    ++stats->drafts_created;
    const int64_t draft_id = conn_.LastInsertRowId();
    if (new_drafts->last < new_drafts->first) new_drafts->first = draft_id;
    new_drafts->last = draft_id;
    if (near->original_needs_group) {  // the first pair of a group: the original joins it
      auto link = conn_.Prepare("UPDATE drafts SET duplicate_group = id WHERE id = ?1 AND duplicate_group IS NULL");
      if (!link.ok()) return link.status();
      (*link)->Bind(1, *near->group);
      SAMBAT_RETURN_IF_ERROR((*link)->Run());
    }
  }
  return Status::Ok();
}

Status SqliteStore::IndexMissedDrafts() {
  // Drafts past the newest one in the search index. Only a sambatd from before migration v8,
  // still running while a newer command migrated the file (the seconds of an upgrade),
  // leaves such drafts: it relied on the trigger v8 dropped. Read first, so opening the
  // store for a read-only command takes no write lock.
  auto missed = conn_.Prepare(
      "SELECT min(id), max(id) FROM drafts WHERE id > (SELECT coalesce(max(id), 0) FROM drafts_fts_docsize)");
  if (!missed.ok()) return missed.status();
  NewDrafts range;
  auto found = (*missed)->FirstRow([&](const Statement& s) {
    if (!s.IsNull(0)) range = {s.Int(0), s.Int(1)};
  });
  if (!found.ok()) return found.status();
  return IndexForSearch(range);
}

Status SqliteStore::IndexForSearch(const NewDrafts& drafts) {
  // One statement for the whole batch: FTS5 writes an index segment per statement (migration v8).
  if (drafts.last < drafts.first) return Status::Ok();
  auto st = conn_.Prepare(
      "INSERT INTO drafts_fts (rowid, pesan, nama, alamat, desa, kecamatan)"
      " SELECT id, pesan, nama, alamat, desa, kecamatan FROM drafts WHERE id BETWEEN ?1 AND ?2");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, drafts.first).Bind(2, drafts.last);
  return (*st)->Run();
}

namespace {
constexpr int64_t kDuplicateWindowMs = 24 * 3600'000;
constexpr int kMaxHammingDistance = 3;
int64_t Band(uint64_t h, int b) { return static_cast<int64_t>((h >> (16 * b)) & 0xffff); }
}  // namespace

Result<SqliteStore::NearDuplicate> SqliteStore::FindNearDuplicate(const DraftRecord& d, int64_t now) {
  // Candidates: drafts of the last day sharing a SimHash band (then at most 3 bits apart), or
  // naming the same topic at the same place. Linked into one group, never merged.
  NearDuplicate found;
  auto take = [&](const Statement& s, int id_col, int group_col) {
    found.group = s.IsNull(group_col) ? s.Int(id_col) : s.Int(group_col);
    found.original_needs_group = s.IsNull(group_col);
  };
  if (d.simhash) {
    const uint64_t h = static_cast<uint64_t>(*d.simhash);
    // One indexed lookup per band; UNION ALL streams, so LIMIT stops the search early.
    auto near = conn_.Prepare(
        "SELECT id, simhash, duplicate_group FROM drafts WHERE simhash_b0 = ?2 AND created_at >= ?1"
        " UNION ALL SELECT id, simhash, duplicate_group FROM drafts WHERE simhash_b1 = ?3 AND created_at >= ?1"
        " UNION ALL SELECT id, simhash, duplicate_group FROM drafts WHERE simhash_b2 = ?4 AND created_at >= ?1"
        " UNION ALL SELECT id, simhash, duplicate_group FROM drafts WHERE simhash_b3 = ?5 AND created_at >= ?1"
        " LIMIT 16");
    if (!near.ok()) return near.status();
    Statement& s = **near;
    s.Bind(1, now - kDuplicateWindowMs).Bind(2, Band(h, 0)).Bind(3, Band(h, 1)).Bind(4, Band(h, 2)).Bind(5, Band(h, 3));
    while (!found.group && s.Step()) {
      if (s.IsNull(1) || __builtin_popcountll(static_cast<uint64_t>(s.Int(1)) ^ h) > kMaxHammingDistance) continue;
      take(s, 0, 2);
    }
    Status st = s.status();
    s.Reset();
    SAMBAT_RETURN_IF_ERROR(st);
  }
  if (!found.group && d.kecamatan && d.kategori) {
    auto same = conn_.Prepare(
        "SELECT id, duplicate_group FROM drafts WHERE kecamatan = ?1 AND kategori = ?2 AND created_at >= ?3 LIMIT 1");
    if (!same.ok()) return same.status();
    Statement& s = **same;
    s.Bind(1, *d.kecamatan).Bind(2, *d.kategori).Bind(3, now - kDuplicateWindowMs);
    if (s.Step()) take(s, 0, 1);
    Status st = s.status();
    s.Reset();
    SAMBAT_RETURN_IF_ERROR(st);
  }
  return found;
}

Result<std::vector<DraftView>> SqliteStore::ListDrafts(const DraftFilter& f) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare(std::string("SELECT ") + kDraftViewColumns +
                          " FROM drafts d JOIN posts p ON p.id = d.post_id"
                          " WHERE (?1 = '' OR d.status = ?1) ORDER BY d.created_at, d.id LIMIT ?2");
  if (!st.ok()) return st.status();
  Statement& s = **st;
  s.Bind(1, f.status).Bind(2, static_cast<int64_t>(f.limit));
  std::vector<DraftView> out;
  while (s.Step()) out.push_back(ReadDraftView(s));
  Status err = s.status();
  s.Reset();
  if (!err.ok()) return err;
  return out;
}

Result<std::vector<CursorState>> SqliteStore::ListCursors() {
  std::vector<std::pair<std::string, std::string>> keys;
  {
    std::lock_guard lock(mu_);
    auto st = conn_.Prepare("SELECT source, endpoint FROM cursors ORDER BY source, endpoint");
    if (!st.ok()) return st.status();
    while ((*st)->Step()) keys.emplace_back((*st)->Text(0), (*st)->Text(1));
    Status err = (*st)->status();
    (*st)->Reset();
    if (!err.ok()) return err;
  }
  std::vector<CursorState> out;
  for (const auto& [source, endpoint] : keys) {
    auto c = GetCursor(source, endpoint);
    if (!c.ok()) return c.status();
    if (c->has_value()) out.push_back(std::move(**c));
  }
  return out;
}

Result<bool> SqliteStore::SaveWebhookEvent(const std::string& source, const std::string& body, const std::string& sha) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare(
      "INSERT INTO webhook_events (source, body, body_sha256, received_at) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (body_sha256) DO NOTHING");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, source).Bind(2, body).Bind(3, sha).Bind(4, ToUnixMillis(clock_->Now()));
  SAMBAT_RETURN_IF_ERROR((*st)->Run());
  return conn_.Changes() > 0;
}

Result<std::vector<WebhookEvent>> SqliteStore::PendingWebhookEvents(int limit) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare("SELECT id, source, body FROM webhook_events WHERE processed_at IS NULL ORDER BY id LIMIT ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, static_cast<int64_t>(limit));
  std::vector<WebhookEvent> out;
  while ((*st)->Step()) out.push_back({(*st)->Int(0), (*st)->Text(1), (*st)->Text(2)});
  Status err = (*st)->status();
  (*st)->Reset();
  if (!err.ok()) return err;
  return out;
}

Status SqliteStore::FinishWebhookEvent(int64_t id, const std::optional<std::string>& error) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare("UPDATE webhook_events SET processed_at = ?2, error = ?3 WHERE id = ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, id).Bind(2, ToUnixMillis(clock_->Now())).Bind(3, error);
  return (*st)->Run();
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

namespace sambat::db {

Status SqliteStore::ChangeUser(const std::string& sql, const std::string& username,
                               const std::optional<std::string>& value, const AuditEntry& audit) {
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto st = conn_.Prepare(sql);
  if (!st.ok()) return st.status();
  (*st)->Bind(1, username).Bind(2, now);
  if (value) (*st)->Bind(3, *value);
  Status s = (*st)->Run();
  if (!s.ok()) {
    if (s.code() == StatusCode::kAlreadyExists) return Status::AlreadyExists("pengguna " + username + " sudah ada");
    return s;
  }
  if (conn_.Changes() == 0) return Status::NotFound("pengguna " + username + " tidak ditemukan");
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked(audit, now));
  return tx.Commit();
}

Status SqliteStore::CreateUser(const std::string& username, const std::string& hash, const std::string& role) {
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto st = conn_.Prepare(
      "INSERT INTO users (username, password_hash, role, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, username).Bind(2, hash).Bind(3, role).Bind(4, now);
  Status s = (*st)->Run();
  if (s.code() == StatusCode::kAlreadyExists) return Status::AlreadyExists("pengguna " + username + " sudah ada");
  SAMBAT_RETURN_IF_ERROR(s);
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked({.actor = "cli", .action = "user_add", .entity = "user", .entity_id = username,
                                            .after_json = "{\"role\":\"" + role + "\"}"},
                                           now));
  return tx.Commit();
}

Status SqliteStore::SetPassword(const std::string& username, const std::string& hash) {
  return ChangeUser("UPDATE users SET updated_at = ?2, password_hash = ?3 WHERE username = ?1", username, hash,
                    {.actor = "cli", .action = "user_passwd", .entity = "user", .entity_id = username});
}

Status SqliteStore::DisableUser(const std::string& username) {
  return ChangeUser("UPDATE users SET updated_at = ?2, disabled = 1 WHERE username = ?1", username, std::nullopt,
                    {.actor = "cli", .action = "user_disable", .entity = "user", .entity_id = username});
}

Result<std::vector<UserRecord>> SqliteStore::ListUsers() {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare("SELECT id, username, role, disabled, created_at FROM users ORDER BY username");
  if (!st.ok()) return st.status();
  std::vector<UserRecord> out;
  while ((*st)->Step()) {
    out.push_back({(*st)->Int(0), (*st)->Text(1), (*st)->Text(2), (*st)->Int(3) != 0, (*st)->Int(4)});
  }
  Status err = (*st)->status();
  (*st)->Reset();
  if (!err.ok()) return err;
  return out;
}

Status SqliteStore::CreateApiToken(const std::string& name, const std::string& sha, const std::string& role) {
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto st = conn_.Prepare("INSERT INTO api_tokens (name, token_hash, role, created_at) VALUES (?1, ?2, ?3, ?4)");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, name).Bind(2, sha).Bind(3, role).Bind(4, now);
  Status s = (*st)->Run();
  if (s.code() == StatusCode::kAlreadyExists) return Status::AlreadyExists("token " + name + " sudah ada");
  SAMBAT_RETURN_IF_ERROR(s);
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked(
      {.actor = "cli", .action = "token_create", .entity = "api_token", .entity_id = name, .after_json = "{\"role\":\"" + role + "\"}"},
      now));
  return tx.Commit();
}

}  // namespace sambat::db
