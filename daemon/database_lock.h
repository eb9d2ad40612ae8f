// The running daemon's claim on its database: an exclusive flock on "<database>.lock", held for
// the daemon's lifetime and by `sambatd restore` while it replaces the file. The kernel drops
// it when the process ends, even by SIGKILL, so a crashed daemon never leaves a stale lock
// behind (a pid file would, and its pid may meanwhile belong to another process).
#pragma once

#include <string>

#include "base/status.h"

namespace sambat::daemon {

class DatabaseLock {
 public:
  static std::string PathFor(const std::string& database_path) { return database_path + ".lock"; }

  // Takes the lock without waiting. Unavailable when another process holds it; IoError when
  // the lock file cannot be created (the folder is missing or read-only).
  static Result<DatabaseLock> TryAcquire(const std::string& database_path);

  DatabaseLock(DatabaseLock&& other) noexcept;
  DatabaseLock& operator=(DatabaseLock&& other) noexcept;
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;
  ~DatabaseLock();  // releases it

 private:
  explicit DatabaseLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace sambat::daemon
