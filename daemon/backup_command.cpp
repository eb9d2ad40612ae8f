#include "daemon/backup_command.h"

#include <filesystem>
#include <iostream>

#include "config/config.h"
#include "db/sqlite.h"

namespace sambat::daemon {

int Backup(const std::string& config_path, const std::string& dest) {
  auto loaded = config::LoadConfigFile(config_path);
  if (!loaded.ok()) {
    for (const auto& d : loaded.diagnostics) std::cerr << d.ToString() << "\n";
    return 1;
  }
  namespace fs = std::filesystem;
  if (fs::exists(dest)) {
    std::cerr << dest << " sudah ada; cadangan tidak menimpa berkas. Pilih nama lain atau hapus dulu.\n";
    return 1;
  }
  auto source = db::Connection::Open(loaded.config.database, {.read_only = true});
  if (!source.ok()) {
    std::cerr << source.status().message() << "\n";
    return 1;
  }
  const std::string tmp = dest + ".tmp";
  std::error_code ec;
  fs::remove(tmp, ec);
  auto pages = source->BackupTo(tmp);
  if (!pages.ok()) {
    fs::remove(tmp, ec);
    std::cerr << pages.status().message() << "\n";
    return 1;
  }
  {
    auto copy = db::Connection::Open(tmp, {.read_only = true});
    auto check = copy.ok() ? copy->Prepare("PRAGMA integrity_check") : Result<db::Statement*>(copy.status());
    if (!check.ok() || !(*check)->Step() || (*check)->Text(0) != "ok") {
      fs::remove(tmp, ec);
      std::cerr << "the copy failed its integrity check; nothing was written to " << dest << "\n";
      return 1;
    }
    (*check)->Reset();
  }
  fs::rename(tmp, dest, ec);
  if (ec) {
    std::cerr << "cannot move " << tmp << " to " << dest << ": " << ec.message() << "\n";
    return 1;
  }
  std::cout << "Cadangan " << loaded.config.database << " ditulis ke " << dest << " (" << *pages << " halaman).\n";
  return 0;
}

}  // namespace sambat::daemon
