// `sambatd restore BACKUP`: puts a backup in place of the configured database.
#pragma once

#include <string>

namespace sambat::daemon {

// Refuses while a daemon holds the database (DatabaseLock), when BACKUP fails
// integrity_check, is not a sambatd database, or is newer than this binary. Keeps the old
// database (with its -wal/-shm) as DATABASE.before-restore-YYYYMMDDTHHMMSSZ. Holds the lock
// throughout, so a daemon started meanwhile refuses to start. Messages in Bahasa Indonesia.
int Restore(const std::string& config_path, const std::string& backup_path);

}  // namespace sambat::daemon
