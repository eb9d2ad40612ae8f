// Thin RAII layer over the SQLite C API. The only place in the project that calls sqlite3_*.
// Not thread-safe: one Connection per thread.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

namespace sambat::db {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

class Statement;

class Connection {
 public:
  struct Options {
    bool read_only = false;
    std::chrono::milliseconds busy_timeout{5000};  // wait for a locked database this long
  };

  // Opens (creating unless read_only) the database at `path`, with WAL (files only),
  // foreign_keys=ON and busy_timeout applied.
  static Result<Connection> Open(const std::string& path, Options options);
  static Result<Connection> Open(const std::string& path) { return Open(path, Options{}); }

  Connection(Connection&&) = default;
  Connection& operator=(Connection&&) = default;

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);

  // A prepared statement owned by this connection and reused across calls: reset and with
  // bindings cleared each time it is handed out. REQUIRES: the previous use of the same SQL
  // text has finished (statements are not reentrant).
  Result<Statement*> Prepare(const std::string& sql);

  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_.get()); }
  int Changes() const { return sqlite3_changes(db_.get()); }
  sqlite3* raw() const { return db_.get(); }

  // "what: sqlite message (code)".
  Status Error(std::string_view what) const;

  // Copies the whole database to a new file at `dest_path` with SQLite's online backup API,
  // a few pages at a time, so writers on other connections are never blocked for long.
  // Returns the number of pages copied.
  Result<int> BackupTo(const std::string& dest_path);

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, SqliteCloser> db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

class Statement {
 public:
  Statement(Connection* conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}

  // Parameters are 1-based, as in SQLite.
  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, double v);
  Statement& Bind(int i, std::string_view v);
  Statement& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Statement& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Statement& Bind(int i, const std::optional<std::string>& v);
  Statement& Bind(int i, const std::optional<int64_t>& v);
  Statement& BindNull(int i);

  // Advances: true with a row, false when done. A failure is kept in status().
  bool Step();
  // Steps to completion, for statements without rows.
  Status Run();
  Status status() const { return status_; }

  bool IsNull(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
  double Double(int col) const { return sqlite3_column_double(stmt_.get(), col); }
  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;

  void Reset();

  // Calls `row(*this)` for every row, then resets; the first failure, if any.
  template <typename F>
  Status ForEachRow(F&& row) {
    while (Step()) row(*this);
    Status s = status_;
    Reset();
    return s;
  }
  // Calls `row(*this)` for the first row if there is one, then resets: true when there was.
  template <typename F>
  Result<bool> FirstRow(F&& row) {
    const bool found = Step();
    if (found) row(*this);
    Status s = status_;
    Reset();
    if (!s.ok()) return s;
    return found;
  }

 private:
  Connection* conn_;
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt_;
  Status status_;
};

// Scope guard for one write transaction: Begin() takes the write lock (BEGIN IMMEDIATE, so
// a busy database is waited for up front, not half-way); destruction rolls back unless
// Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  ~Transaction();
  Status Begin();
  Status Commit();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  Connection* conn_;
  bool active_ = false;
};

}  // namespace sambat::db
