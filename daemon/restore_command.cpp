#include "daemon/restore_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <iostream>

#include "daemon/database_lock.h"
#include "daemon/setup.h"
#include "db/migrations.h"
#include "db/sqlite.h"

namespace sambat::daemon {
namespace {

namespace fs = std::filesystem;

// Why `path` cannot be restored, in Bahasa Indonesia; empty when it can.
std::string CheckBackup(const std::string& path) {
  auto conn = db::Connection::Open(path, {.read_only = true});
  if (!conn.ok()) return "tidak dapat dibuka: " + conn.status().message();
  auto check = conn->Prepare("PRAGMA integrity_check");
  if (!check.ok()) return "bukan basis data SQLite (" + check.status().message() + ")";
  std::string verdict;
  auto found = (*check)->FirstRow([&](const db::Statement& s) { verdict = s.Text(0); });
  if (!found.ok()) return "bukan basis data SQLite yang utuh (" + found.status().message() + ")";
  if (verdict != "ok") return "gagal pemeriksaan keutuhan (integrity_check: " + verdict + ")";
  auto version = db::SchemaVersion(&*conn);
  if (!version.ok() || *version < 1) return "bukan basis data sambatd (tidak ada versi skema)";
  if (*version > db::LatestSchemaVersion()) {
    return "dibuat oleh sambatd yang lebih baru (skema versi " + std::to_string(*version) + ", versi ini mengenal " +
           std::to_string(db::LatestSchemaVersion()) + ")";
  }
  auto tables = conn->Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('posts', 'drafts', 'audit_log')");
  int64_t n = 0;
  if (tables.ok()) (void)(*tables)->FirstRow([&](const db::Statement& s) { n = s.Int(0); });
  if (n != 3) return "bukan basis data sambatd (tabel posts, drafts dan audit_log tidak ada)";
  return "";
}

std::string UtcStamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Moves `from` to `to` when it exists; false (with `ec` set) on failure.
bool MoveIfExists(const std::string& from, const std::string& to, std::error_code& ec) {
  if (!fs::exists(from, ec)) return !ec;
  fs::rename(from, to, ec);
  return !ec;
}

}  // namespace

int Restore(const std::string& config_path, const std::string& backup_path) {
  auto config = LoadConfigOrPrint(config_path);
  if (!config) return 1;
  const std::string& database = config->database;
  std::error_code ec;
  if (database == ":memory:") {
    std::cerr << "Konfigurasi memakai basis data :memory:; tidak ada yang dapat dipulihkan.\n";
    return 1;
  }
  if (!fs::is_regular_file(backup_path, ec)) {
    std::cerr << "Berkas cadangan " << backup_path << " tidak ada.\n";
    return 1;
  }
  if (fs::exists(database, ec) && fs::equivalent(backup_path, database, ec)) {
    std::cerr << backup_path << " adalah basis data yang sedang dipakai, bukan cadangan.\n";
    return 1;
  }
  auto lock = DatabaseLock::TryAcquire(database);
  if (!lock.ok()) {
    if (lock.status().code() == StatusCode::kUnavailable) {
      std::cerr << "Daemon sambatd sedang berjalan memakai " << database << " (" << DatabaseLock::PathFor(database)
                << " dikunci). Pemulihan tidak menimpa basis data yang sedang dipakai: hentikan dulu daemon "
                   "(systemctl stop sambatd), lalu jalankan restore lagi.\n";
    } else {
      std::cerr << "Tidak dapat mengunci " << DatabaseLock::PathFor(database) << ": " << lock.status().message()
                << "\n";
    }
    return 1;
  }
  if (std::string why = CheckBackup(backup_path); !why.empty()) {
    std::cerr << "Cadangan " << backup_path << " ditolak: " << why << ". Basis data tidak diubah.\n";
    return 1;
  }

  // The copy is made beside the database first (same file system: the final rename is atomic)
  // with SQLite's backup API, which reads the backup consistently whatever its journal mode.
  const std::string tmp = database + ".restore-tmp";
  fs::remove(tmp, ec);
  {
    auto source = db::Connection::Open(backup_path, {.read_only = true});
    auto pages = source.ok() ? source->BackupTo(tmp) : Result<int>(source.status());
    if (!pages.ok() || !CheckBackup(tmp).empty()) {
      fs::remove(tmp, ec);
      std::cerr << "Menyalin cadangan ke " << tmp << " gagal"
                << (pages.ok() ? "" : ": " + pages.status().message()) << ". Basis data tidak diubah.\n";
      return 1;
    }
  }
  // The restored file belongs to whoever owned the old one (the daemon's user), even when root
  // runs the restore.
  struct stat old_stat {};
  if (::stat(database.c_str(), &old_stat) == 0) {
    if (::chown(tmp.c_str(), old_stat.st_uid, old_stat.st_gid) != 0 && ::geteuid() == 0) {
      std::cerr << "Peringatan: pemilik " << tmp << " tidak dapat diubah.\n";
    }
    (void)::chmod(tmp.c_str(), old_stat.st_mode & 0777);
  }

  // The old database's WAL goes with it (a WAL left beside the restored file would be replayed
  // into it). No daemon holds it (we hold the lock), so its own WAL is complete as it is.
  std::string kept;
  if (fs::exists(database, ec)) {
    kept = database + ".before-restore-" + UtcStamp();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      if (!MoveIfExists(database + suffix, kept + suffix, ec)) {
        std::cerr << "Tidak dapat memindahkan " << database << suffix << " ke " << kept << suffix << ": "
                  << ec.message() << ". Periksa berkasnya sebelum mencoba lagi.\n";
        fs::remove(tmp, ec);
        return 1;
      }
    }
  }
  fs::rename(tmp, database, ec);
  if (ec) {
    std::cerr << "Tidak dapat memindahkan " << tmp << " ke " << database << ": " << ec.message() << "\n";
    return 1;
  }
  std::cout << "Basis data " << database << " dipulihkan dari " << backup_path << ".";
  if (!kept.empty()) std::cout << " Yang lama disimpan sebagai " << kept << ".";
  std::cout << "\n";
  return 0;
}

}  // namespace sambat::daemon
