#include "daemon/restore_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <iostream>
#include <set>
#include <vector>

#include "base/clock.h"
#include "daemon/database_lock.h"
#include "daemon/setup.h"
#include "db/migrations.h"
#include "db/sqlite.h"
#include "db/sqlite_store.h"
#include "db/subject_ref.h"

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

// Erasures made after the backup was taken must survive the restore (UU 27/2022): the
// current database's erased authors are carried into the restored copy, and every author of
// the copy who hashes to one of them is erased again. How many were erased again, or why not.
Result<int> CarryErasures(const std::string& current, const std::string& restored) {
  std::set<std::string> refs;
  std::string salt;
  {
    auto cur = db::Connection::Open(current, {.read_only = true});
    if (!cur.ok()) return cur.status();
    auto has = cur->Prepare("SELECT count(*) FROM sqlite_master WHERE name = 'erased_subjects'");
    if (!has.ok()) return has.status();
    int64_t tables = 0;
    SAMBAT_RETURN_IF_ERROR((*has)->FirstRow([&](const db::Statement& s) { tables = s.Int(0); }).status());
    if (tables == 0) return 0;  // from before erasures were recorded
    auto st = cur->Prepare("SELECT ref FROM erased_subjects");
    if (!st.ok()) return st.status();
    SAMBAT_RETURN_IF_ERROR((*st)->ForEachRow([&](const db::Statement& s) { refs.insert(s.Text(0)); }));
    if (refs.empty()) return 0;
    auto salt_st = cur->Prepare("SELECT value FROM meta WHERE key = 'subject_salt'");
    if (!salt_st.ok()) return salt_st.status();
    SAMBAT_RETURN_IF_ERROR((*salt_st)->FirstRow([&](const db::Statement& s) { salt = s.Text(0); }).status());
  }
  SystemClock clock;
  auto store = db::SqliteStore::Open(restored, &clock);  // brings an older backup up to date
  if (!store.ok()) return store.status();
  std::vector<db::Subject> again;
  {
    auto conn = db::Connection::Open(restored);
    if (!conn.ok()) return conn.status();
    // One salt from now on: the current one, which the carried refs were made with.
    auto set_salt = conn->Prepare("UPDATE meta SET value = ?1 WHERE key = 'subject_salt'");
    if (!set_salt.ok()) return set_salt.status();
    (*set_salt)->Bind(1, salt);
    SAMBAT_RETURN_IF_ERROR((*set_salt)->Run());
    auto authors = conn->Prepare("SELECT DISTINCT platform, author_id FROM posts WHERE author_id IS NOT NULL");
    if (!authors.ok()) return authors.status();
    SAMBAT_RETURN_IF_ERROR((*authors)->ForEachRow([&](const db::Statement& s) {
      db::Subject who{s.Text(0), s.Text(1)};
      if (refs.count(db::SubjectRef(salt, who.platform, who.author_id)) > 0) again.push_back(who);
    }));
  }
  for (const auto& who : again) {
    auto erased = (*store)->EraseSubject(who, "restore", db::SubjectRef(salt, who.platform, who.author_id), false);
    if (!erased.ok()) return erased.status();
  }
  auto conn = db::Connection::Open(restored);
  if (!conn.ok()) return conn.status();
  for (const auto& ref : refs) {
    auto ins = conn->Prepare("INSERT INTO erased_subjects (ref, erased_at) VALUES (?1, ?2) ON CONFLICT (ref) DO NOTHING");
    if (!ins.ok()) return ins.status();
    (*ins)->Bind(1, ref).Bind(2, ToUnixMillis(clock.Now()));
    SAMBAT_RETURN_IF_ERROR((*ins)->Run());
  }
  return static_cast<int>(again.size());
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
  int erased_again = 0;
  if (fs::exists(database, ec)) {
    auto carried = CarryErasures(database, tmp);
    if (!carried.ok()) {
      fs::remove(tmp, ec);
      std::cerr << "Penghapusan data pemohon yang tercatat di basis data sekarang tidak dapat diterapkan ke "
                   "cadangan (" << carried.status().message() << "). Basis data tidak diubah.\n";
      return 1;
    }
    erased_again = *carried;
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
  std::vector<const char*> moved;  // what went aside, to put back if a later step fails
  auto put_back = [&] {
    std::error_code ignored;
    for (const char* suffix : moved) fs::rename(kept + suffix, database + suffix, ignored);
  };
  if (fs::exists(database, ec)) {
    kept = database + ".before-restore-" + UtcStamp();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      if (!MoveIfExists(database + suffix, kept + suffix, ec)) {
        std::cerr << "Tidak dapat memindahkan " << database << suffix << " ke " << kept << suffix << ": "
                  << ec.message() << ". Basis data lama dikembalikan ke tempatnya; periksa berkasnya sebelum"
                  << " mencoba lagi.\n";
        put_back();
        fs::remove(tmp, ec);
        return 1;
      }
      moved.push_back(suffix);
    }
  }
  fs::rename(tmp, database, ec);
  if (ec) {
    std::cerr << "Tidak dapat memindahkan " << tmp << " ke " << database << ": " << ec.message()
              << ". Basis data lama dikembalikan ke tempatnya; cadangan yang disalin tetap di " << tmp << ".\n";
    put_back();
    return 1;
  }
  std::cout << "Basis data " << database << " dipulihkan dari " << backup_path << ".";
  if (!kept.empty()) std::cout << " Yang lama disimpan sebagai " << kept << ".";
  if (erased_again > 0) {
    std::cout << " Data " << erased_again << " pemohon yang dihapus setelah cadangan dibuat dihapus lagi.";
  }
  std::cout << "\n";
  return 0;
}

}  // namespace sambat::daemon
