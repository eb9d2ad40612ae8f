#include "daemon/backup_command.h"

#include <filesystem>
#include <iostream>

#include "daemon/setup.h"
#include "db/sqlite.h"

namespace sambat::daemon {

int Backup(const std::string& config_path, const std::string& dest) {
  auto config = LoadConfigOrPrint(config_path);
  if (!config) return 1;
  namespace fs = std::filesystem;
  if (fs::exists(dest)) {
    std::cerr << dest << " sudah ada; cadangan tidak menimpa berkas. Pilih nama lain atau hapus dulu.\n";
    return 1;
  }
  auto source = db::Connection::Open(config->database, {.read_only = true});
  if (!source.ok()) {
    std::cerr << "Basis data tidak dapat dibuka: " << source.status().message() << "\n";
    return 1;
  }
  const std::string tmp = dest + ".tmp";
  std::error_code ec;
  fs::remove(tmp, ec);
  auto pages = source->BackupTo(tmp);
  if (!pages.ok()) {
    fs::remove(tmp, ec);
    std::cerr << "Cadangan gagal (apakah foldernya ada dan boleh ditulisi?): " << pages.status().message() << "\n";
    return 1;
  }
  {
    auto copy = db::Connection::Open(tmp, {.read_only = true});
    auto check = copy.ok() ? copy->Prepare("PRAGMA integrity_check") : Result<db::Statement*>(copy.status());
    if (!check.ok() || !(*check)->Step() || (*check)->Text(0) != "ok") {
      fs::remove(tmp, ec);
      std::cerr << "Salinan gagal diperiksa keutuhannya (integrity_check); " << dest << " tidak ditulis.\n";
      return 1;
    }
    (*check)->Reset();
  }
  fs::rename(tmp, dest, ec);
  if (ec) {
    std::cerr << "Tidak dapat memindahkan " << tmp << " ke " << dest << ": " << ec.message() << "\n";
    return 1;
  }
  std::cout << "Cadangan " << config->database << " ditulis ke " << dest << " (" << *pages << " halaman).\n";
  return 0;
}

}  // namespace sambat::daemon
