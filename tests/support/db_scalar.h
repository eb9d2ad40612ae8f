// One number from a database file, read on a connection of its own (tests that watch a
// daemon's database from outside).
#pragma once

#include <string>

#include "db/sqlite.h"

namespace sambat::testing {

// -1 when the database or the query fails.
inline int64_t Scalar(const std::string& db_path, const std::string& sql) {
  auto conn = db::Connection::Open(db_path);
  if (!conn.ok()) return -1;
  auto st = conn->Prepare(sql);
  if (!st.ok() || !(*st)->Step()) return -1;
  int64_t v = (*st)->Int(0);
  (*st)->Reset();
  return v;
}

}  // namespace sambat::testing
