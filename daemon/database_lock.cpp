#include "daemon/database_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace sambat::daemon {

Result<DatabaseLock> DatabaseLock::TryAcquire(const std::string& database_path) {
  const std::string path = PathFor(database_path);
  // Read-only and world-readable (it holds nothing): a lock file that root created with
  // `sambatd restore` can still be locked by the daemon's own user. flock needs no write access.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  DatabaseLock lock(fd);  // closes fd on every return below
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return Status::Unavailable(path + " is held by another process");
    return Status::IoError("cannot lock " + path + ": " + std::strerror(errno));
  }
  return lock;
}

DatabaseLock::DatabaseLock(DatabaseLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DatabaseLock& DatabaseLock::operator=(DatabaseLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

DatabaseLock::~DatabaseLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the only descriptor releases the flock
}

}  // namespace sambat::daemon
