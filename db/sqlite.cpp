#include "db/sqlite.h"

namespace sambat::db {

Result<Connection> Connection::Open(const std::string& path, Options options) {
  sqlite3* raw = nullptr;
  int flags = options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Connection conn(raw);  // owns `raw` even when opening failed
  if (rc != SQLITE_OK) {
    return Status::IoError("cannot open database " + path + ": " +
                           (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
  SAMBAT_RETURN_IF_ERROR(conn.Exec("PRAGMA foreign_keys=ON"));
  if (path != ":memory:" && !options.read_only) {
    // WAL: readers (the web queue) never block the ingesting writer. synchronous=NORMAL is
    // durable against a process crash; after a power loss the last batches may be rolled back
    // together with their cursor, so they are fetched again, never lost.
    auto stmt = conn.Prepare("PRAGMA journal_mode=WAL");
    if (!stmt.ok()) return stmt.status();
    if (!(*stmt)->Step() || (*stmt)->Text(0) != "wal") {
      return Status::IoError("cannot switch " + path + " to WAL mode (is the folder writable?)");
    }
    (*stmt)->Reset();
    SAMBAT_RETURN_IF_ERROR(conn.Exec("PRAGMA synchronous=NORMAL"));
    // 8 MiB of page cache: the indexes of a busy day stay in memory (the default is 2 MiB).
    SAMBAT_RETURN_IF_ERROR(conn.Exec("PRAGMA cache_size=-8192; PRAGMA temp_store=MEMORY"));
    // Deleted rows, the old text of edited drafts and freed pages are overwritten with zeros,
    // so what a purge or a subject's erasure removes (UU 27/2022) does not linger in free space
    // of the file. Cheap here: capture inserts, and deletes and edits are few.
    SAMBAT_RETURN_IF_ERROR(conn.Exec("PRAGMA secure_delete=ON"));
  }
  return conn;
}

Result<int> Connection::BackupTo(const std::string& dest_path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(dest_path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<sqlite3, SqliteCloser> dest(raw);
  if (rc != SQLITE_OK) return Status::IoError("cannot create " + dest_path + ": " + sqlite3_errstr(rc));
  struct BackupFinisher {
    void operator()(sqlite3_backup* b) const { sqlite3_backup_finish(b); }
  };
  std::unique_ptr<sqlite3_backup, BackupFinisher> backup(sqlite3_backup_init(dest.get(), "main", db_.get(), "main"));
  if (!backup) return Status::IoError(std::string("backup: ") + sqlite3_errmsg(dest.get()));
  do {
    rc = sqlite3_backup_step(backup.get(), 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  const int pages = sqlite3_backup_pagecount(backup.get());
  backup.reset();
  if (rc != SQLITE_DONE) return Status::IoError(std::string("backup to ") + dest_path + " failed: " + sqlite3_errstr(rc));
  return pages;
}

Status Connection::Error(std::string_view what) const {
  int code = sqlite3_extended_errcode(db_.get());
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(db_.get()) + " (" + std::to_string(code) + ")";
  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB) return Status::Corruption(msg);
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) return Status::Unavailable(msg);
  if ((code & 0xff) == SQLITE_CONSTRAINT) return Status::AlreadyExists(msg);
  return Status::IoError(msg);
}

Status Connection::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    Status base = Error("exec");
    return Status::IoError("SQL failed: " + msg + " [" + base.message() + "]");
  }
  return Status::Ok();
}

Result<Statement*> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return Error("prepare '" + sql.substr(0, 60) + "'");
  }
  auto stmt = std::make_unique<Statement>(this, raw);
  Statement* ptr = stmt.get();
  cache_.emplace(sql, std::move(stmt));
  return ptr;
}

Statement& Statement::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_.get(), i, v);
  return *this;
}
Statement& Statement::Bind(int i, double v) {
  sqlite3_bind_double(stmt_.get(), i, v);
  return *this;
}
Statement& Statement::Bind(int i, std::string_view v) {
  sqlite3_bind_text64(stmt_.get(), i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Statement& Statement::Bind(int i, const std::optional<std::string>& v) {
  return v ? Bind(i, std::string_view(*v)) : BindNull(i);
}
Statement& Statement::Bind(int i, const std::optional<int64_t>& v) {
  return v ? Bind(i, *v) : BindNull(i);
}
Statement& Statement::BindNull(int i) {
  sqlite3_bind_null(stmt_.get(), i);
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = conn_->Error("step");
  return false;
}

Status Statement::Run() {
  while (Step()) {
  }
  Status s = status_;
  Reset();
  return s;
}

std::string Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_.get(), col);
  int n = sqlite3_column_bytes(stmt_.get(), col);
  return p ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
}

std::optional<std::string> Statement::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  status_ = Status::Ok();
}

Status Transaction::Begin() {
  SAMBAT_RETURN_IF_ERROR(conn_->Exec("BEGIN IMMEDIATE"));
  active_ = true;
  return Status::Ok();
}

Transaction::~Transaction() {
  if (active_) (void)conn_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Status s = conn_->Exec("COMMIT");
  if (s.ok()) active_ = false;
  return s;
}

}  // namespace sambat::db
