#include "db/migrations.h"

#include <string>

namespace sambat::db {
namespace {

// Times are Unix milliseconds (UTC). JSON columns hold arrays/objects as text.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE posts (
  id                 INTEGER PRIMARY KEY,
  platform           TEXT NOT NULL CHECK (platform IN ('x', 'facebook', 'instagram', 'manual')),
  platform_id        TEXT NOT NULL,           -- ids stay strings: they overflow doubles
  kind               TEXT NOT NULL DEFAULT 'post' CHECK (kind IN ('post', 'comment', 'reply', 'mention', 'tag')),
  endpoint           TEXT NOT NULL DEFAULT '',-- which endpoint or webhook delivered it
  author_id          TEXT,
  author_handle      TEXT,
  author_name        TEXT,
  text               TEXT NOT NULL,
  url                TEXT,
  created_at         INTEGER,                 -- by the platform
  fetched_at         INTEGER NOT NULL,
  media_json         TEXT NOT NULL DEFAULT '[]',
  parent_platform_id TEXT,                    -- the post a comment/reply belongs to
  raw_json           TEXT,
  UNIQUE (platform, platform_id)
);
CREATE INDEX posts_author ON posts (platform, author_id);
CREATE INDEX posts_fetched ON posts (fetched_at);

CREATE TABLE classifications (
  post_id        INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  rules_version  TEXT NOT NULL,
  is_complaint   INTEGER NOT NULL CHECK (is_complaint IN (0, 1)),
  score          REAL NOT NULL,
  threshold      REAL NOT NULL,
  kategori       TEXT,
  opd_json       TEXT NOT NULL DEFAULT '[]',  -- [{"code":"DPUPR","score":5}, ...] best first
  rules_json     TEXT NOT NULL DEFAULT '[]',  -- matched rules with spans on the original text
  location_json  TEXT,                        -- {kecamatan, desa, candidates, matched}
  classified_at  INTEGER NOT NULL
);

-- The pre-filled Lapor dan SambatMasBup entry Admin Utama confirms.
CREATE TABLE drafts (
  id                  INTEGER PRIMARY KEY,
  post_id             INTEGER NOT NULL UNIQUE REFERENCES posts (id),
  status              TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'confirmed', 'returned', 'rejected', 'duplicate')),
  nama                TEXT,
  nama_from_profile   INTEGER NOT NULL DEFAULT 0,  -- nama was taken from the author's profile
  alamat              TEXT,
  pesan               TEXT NOT NULL,
  kanal               TEXT NOT NULL,
  url                 TEXT,
  lampiran_json       TEXT NOT NULL DEFAULT '[]',
  kategori            TEXT,
  opd_candidates_json TEXT NOT NULL DEFAULT '[]',
  opd                 TEXT,                        -- chosen OPD code
  kecamatan           TEXT,
  desa                TEXT,
  missing_fields_json TEXT NOT NULL DEFAULT '[]',  -- of nama, alamat, pesan
  created_at          INTEGER NOT NULL,
  sla_due_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1,  -- optimistic locking
  decided_by          TEXT,
  decided_at          INTEGER,
  decision_reason     TEXT,
  duplicate_of        INTEGER REFERENCES drafts (id),
  duplicate_group     INTEGER,                     -- near-duplicates share a group id
  simhash             INTEGER,
  returned_by_opd     INTEGER NOT NULL DEFAULT 0   -- came back from an Admin OPD (SOP step 3)
);
CREATE INDEX drafts_status_created ON drafts (status, created_at);
CREATE INDEX drafts_group ON drafts (duplicate_group);

-- Per source and endpoint: where polling resumes, and what the platform last said about limits.
CREATE TABLE cursors (
  source               TEXT NOT NULL,
  endpoint             TEXT NOT NULL,
  cursor               TEXT,
  rate_limit_remaining INTEGER,
  rate_limit_reset_at  INTEGER,
  paused_until         INTEGER,
  pause_reason         TEXT,
  last_success_at      INTEGER,
  last_error           TEXT,
  updated_at           INTEGER NOT NULL,
  PRIMARY KEY (source, endpoint)
);

-- Append-only: who did what, when, and why.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT,
  before_json TEXT,
  after_json  TEXT,
  reason      TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Deliveries to the disposition pipeline and replies to citizens, written in the same
-- transaction as the decision that causes them.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  draft_id        INTEGER NOT NULL REFERENCES drafts (id),
  kind            TEXT NOT NULL CHECK (kind IN ('handoff', 'reply')),
  idempotency_key TEXT NOT NULL UNIQUE,
  payload_json    TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'review', 'sending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  external_ref    TEXT,                 -- the pipeline's ticket number, the platform's reply id
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- The SOP's steps after confirmation, as the pipeline reports them.
CREATE TABLE disposition_steps (
  id        INTEGER PRIMARY KEY,
  draft_id  INTEGER NOT NULL REFERENCES drafts (id),
  step      TEXT NOT NULL,             -- diterima_opd, dikembalikan_opd, koordinasi, ...
  at        INTEGER NOT NULL,
  note      TEXT
);
CREATE INDEX disposition_steps_draft ON disposition_steps (draft_id, at);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,          -- Argon2id, libsodium's encoded form
  role          TEXT NOT NULL CHECK (role IN ('admin_utama', 'viewer')),
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,        -- the cookie value is never stored
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  revoked      INTEGER NOT NULL DEFAULT 0,
  remote_addr  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  token_hash   TEXT NOT NULL UNIQUE,
  role         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE login_failures (
  key   TEXT NOT NULL,                  -- "user:NAME" or "addr:IP"
  at    INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
)sql";

// Near-duplicate lookup (SimHash split in four 16-bit bands, LSH style) and webhook events.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE drafts ADD COLUMN simhash_b0 INTEGER;
ALTER TABLE drafts ADD COLUMN simhash_b1 INTEGER;
ALTER TABLE drafts ADD COLUMN simhash_b2 INTEGER;
ALTER TABLE drafts ADD COLUMN simhash_b3 INTEGER;
CREATE INDEX drafts_b0 ON drafts (simhash_b0, created_at);
CREATE INDEX drafts_b1 ON drafts (simhash_b1, created_at);
CREATE INDEX drafts_b2 ON drafts (simhash_b2, created_at);
CREATE INDEX drafts_b3 ON drafts (simhash_b3, created_at);
CREATE INDEX drafts_topic_place ON drafts (kecamatan, kategori, created_at);

-- Meta does not resend webhooks: each is stored on receipt, then processed.
CREATE TABLE webhook_events (
  id           INTEGER PRIMARY KEY,
  source       TEXT NOT NULL,
  body         TEXT NOT NULL,
  body_sha256  TEXT NOT NULL UNIQUE,
  received_at  INTEGER NOT NULL,
  processed_at INTEGER,
  error        TEXT
);
CREATE INDEX webhook_events_pending ON webhook_events (processed_at);
)sql";


// The queue: full-text search over what Admin Utama searches for, indexes for the filters and
// the counters, and an index for the outbox by draft.
constexpr std::string_view kV3 = R"sql(
CREATE VIRTUAL TABLE drafts_fts USING fts5(
  pesan, nama, alamat, desa, kecamatan,
  content = 'drafts', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO drafts_fts (drafts_fts) VALUES ('rebuild');
CREATE TRIGGER drafts_fts_insert AFTER INSERT ON drafts BEGIN
  INSERT INTO drafts_fts (rowid, pesan, nama, alamat, desa, kecamatan)
  VALUES (new.id, new.pesan, new.nama, new.alamat, new.desa, new.kecamatan);
END;
CREATE TRIGGER drafts_fts_delete AFTER DELETE ON drafts BEGIN
  INSERT INTO drafts_fts (drafts_fts, rowid, pesan, nama, alamat, desa, kecamatan)
  VALUES ('delete', old.id, old.pesan, old.nama, old.alamat, old.desa, old.kecamatan);
END;
CREATE TRIGGER drafts_fts_update AFTER UPDATE OF pesan, nama, alamat, desa, kecamatan ON drafts BEGIN
  INSERT INTO drafts_fts (drafts_fts, rowid, pesan, nama, alamat, desa, kecamatan)
  VALUES ('delete', old.id, old.pesan, old.nama, old.alamat, old.desa, old.kecamatan);
  INSERT INTO drafts_fts (rowid, pesan, nama, alamat, desa, kecamatan)
  VALUES (new.id, new.pesan, new.nama, new.alamat, new.desa, new.kecamatan);
END;
CREATE INDEX drafts_created ON drafts (created_at);
CREATE INDEX drafts_status_opd ON drafts (status, opd, created_at);
CREATE INDEX drafts_status_sla ON drafts (status, sla_due_at);
CREATE INDEX drafts_status_decided ON drafts (status, decided_at);
CREATE INDEX outbox_draft ON outbox (draft_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
)sql";

// Replies to citizens: the outbox gains "discarded" (a reply Admin Utama chose not to send).
// SQLite cannot alter a CHECK constraint, so the table is rebuilt with the same rows.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE outbox_v4 (
  id              INTEGER PRIMARY KEY,
  draft_id        INTEGER NOT NULL REFERENCES drafts (id),
  kind            TEXT NOT NULL CHECK (kind IN ('handoff', 'reply')),
  idempotency_key TEXT NOT NULL UNIQUE,  -- reply: one per event (reply:<template>:<draft>[:<at>])
  payload_json    TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'review', 'sending', 'delivered', 'dead', 'discarded')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  external_ref    TEXT,                 -- the pipeline's ticket number, the platform's reply id
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER
);
INSERT INTO outbox_v4 SELECT id, draft_id, kind, idempotency_key, payload_json, status, attempts, next_attempt_at,
  last_error, external_ref, created_at, delivered_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v4 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (kind, status, next_attempt_at);
CREATE INDEX outbox_draft ON outbox (draft_id);
CREATE INDEX outbox_delivered ON outbox (kind, delivered_at);
CREATE INDEX disposition_steps_step ON disposition_steps (step, at);
)sql";

// Retention and the data subject's rights (UU 27/2022). The audit log stays append-only with
// one exception: a one-way redaction. When a draft is purged or its author erased, the audit
// rows about that draft keep who did what, when and to which draft id, but their content
// (before_json/after_json/reason may quote nama, alamat, pesan) is set to NULL and redacted_at
// is stamped. The trigger allows exactly that and nothing else: no other column may change, a
// redacted row cannot be touched again, and rows are never deleted. The alternative (keeping
// the content) would keep a citizen's words after we promised to erase them; the other
// alternative (deleting the rows) would erase the record of what officials did.
// meta.subject_salt salts the hash that names an erased subject in the audit log.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE audit_log ADD COLUMN redacted_at INTEGER;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  WHEN NOT (old.redacted_at IS NULL AND new.redacted_at IS NOT NULL
            AND new.id = old.id AND new.at = old.at AND new.actor = old.actor AND new.action = old.action
            AND new.entity = old.entity AND new.entity_id IS old.entity_id
            AND new.before_json IS NULL AND new.after_json IS NULL AND new.reason IS NULL)
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (only a one-time redaction of its content is allowed)'); END;
CREATE INDEX audit_action ON audit_log (action, at);

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('subject_salt', lower(hex(randomblob(32))));
)sql";

// Erased authors, by their salted hash only (db/subject_ref.h): ingestion refuses their posts,
// so an erasure is not undone by the next poll of a platform that still shows them.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE erased_subjects (
  ref       TEXT PRIMARY KEY,  -- sha256:<hex> of salt, platform, author id
  erased_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// The purge keeps a draft that another still names as its original: that lookup, indexed.
constexpr std::string_view kV7 = R"sql(
CREATE INDEX drafts_duplicate_of ON drafts (duplicate_of) WHERE duplicate_of IS NOT NULL;
)sql";

// New drafts are indexed for search once per ingested batch (SqliteStore::Ingest), not by a
// trigger per row: FTS5 writes out its pending terms at every statement savepoint, so the
// trigger wrote one tiny index segment per draft and later merged them all (about a third of
// ingestion time, measured with tools/bench_ingest.sh). Deletes and edits keep their triggers.
constexpr std::string_view kV8 = R"sql(
DROP TRIGGER drafts_fts_insert;
)sql";

// The CHECKs that every ingested row passes spelled as comparisons: SQLite evaluates
// `x IN (3+ values)` in a CHECK by building a temporary b-tree per row, which took a tenth of
// ingestion time (tools/bench_ingest.sh). Same meaning, same data on disk, so the stored
// schema text is rewritten in place, the way SQLite's documentation describes for changes to
// CHECK constraints. `writable_schema = RESET` makes this connection (the daemon's writer)
// re-read the schema; the table that follows bumps the schema cookie so other connections do.
constexpr std::string_view kV9 = R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(sql,
  'CHECK (platform IN (''x'', ''facebook'', ''instagram'', ''manual''))',
  'CHECK (platform = ''x'' OR platform = ''facebook'' OR platform = ''instagram'' OR platform = ''manual'')'),
  'CHECK (kind IN (''post'', ''comment'', ''reply'', ''mention'', ''tag''))',
  'CHECK (kind = ''post'' OR kind = ''comment'' OR kind = ''reply'' OR kind = ''mention'' OR kind = ''tag'')')
WHERE type = 'table' AND name = 'posts';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (status IN (''pending'', ''confirmed'', ''returned'', ''rejected'', ''duplicate''))',
  'CHECK (status = ''pending'' OR status = ''confirmed'' OR status = ''returned'' OR status = ''rejected'' OR status = ''duplicate'')')
WHERE type = 'table' AND name = 'drafts';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_v9_reload (x);
DROP TABLE schema_v9_reload;
)sql";

}  // namespace

const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kAll = {kV1, kV2, kV3, kV4, kV5, kV6, kV7, kV8, kV9};
  return kAll;
}

Result<int> SchemaVersion(Connection* conn) {
  auto stmt = conn->Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  if (!(*stmt)->Step()) return conn->Error("read user_version");
  int v = static_cast<int>((*stmt)->Int(0));
  (*stmt)->Reset();
  return v;
}

Status Migrate(Connection* conn) {
  auto current = SchemaVersion(conn);
  if (!current.ok()) return current.status();
  const int latest = LatestSchemaVersion();
  if (*current > latest) {
    return Status::FailedPrecondition(
        "the database has schema version " + std::to_string(*current) +
        ", newer than this sambatd understands (" + std::to_string(latest) +
        "); run the newer sambatd or restore a backup made by this version");
  }
  if (*current == latest) return Status::Ok();
  Transaction tx(conn);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  // Re-read under the write lock: another process may have migrated meanwhile.
  current = SchemaVersion(conn);
  if (!current.ok()) return current.status();
  for (int v = *current; v < latest; ++v) {
    Status s = conn->Exec(Migrations()[v]);
    if (!s.ok()) return Status::Internal("migration to version " + std::to_string(v + 1) + " failed: " + s.message());
  }
  SAMBAT_RETURN_IF_ERROR(conn->Exec("PRAGMA user_version=" + std::to_string(latest)));
  return tx.Commit();
}

}  // namespace sambat::db
