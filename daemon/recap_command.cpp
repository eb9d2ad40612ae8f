#include "daemon/recap_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "classifier/rules_loader.h"
#include "daemon/manual_entry.h"
#include "daemon/setup.h"
#include "db/sqlite_store.h"
#include "recap/recap_csv.h"
#include "recap/recap_json.h"
#include "recap/recap_xlsx.h"

namespace sambat::daemon {
namespace {

// OPD names for the printed tables, from the configured rules. The recap is still useful with
// codes only, so a rules problem is a note, not a failure.
recap::RecapNames NamesFromRules(const std::string& rules_path) {
  recap::RecapNames names;
  auto load = rules_path.empty() ? classifier::RulesLoad{} : classifier::LoadRules(rules_path);
  if (!load.ok()) {
    std::cerr << "Catatan: aturan di \"" << rules_path
              << "\" tidak terbaca (periksa dengan `sambatd rules check`); kolom Nama OPD berisi \"-\".\n";
    return names;
  }
  const auto catalog = BuildCatalog(*load.classifier);  // held: the loop reads inside it
  for (const auto& [code, name] : catalog->opd) names.opd[code] = name;
  return names;
}

// Writes `text` to `path` through path.tmp, renamed into place.
Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return Status::IoError("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::IoError("cannot rename " + tmp + ": " + ec.message());
  }
  return Status::Ok();
}

}  // namespace

int RecapCommand(const std::string& config_path, const RecapCommandOptions& o) {
  auto period = db::ParseRecapMonth(o.month);
  if (!period.ok()) {
    std::cerr << "--month: " << period.status().message() << "\n";
    return 2;
  }
  if (o.format != "csv" && o.format != "json" && o.format != "xlsx") {
    std::cerr << "--format \"" << o.format << "\" tidak dikenal: pilih csv, json atau xlsx.\n";
    return 2;
  }
  if (o.format == "xlsx" && o.output.empty()) {
    std::cerr << "XLSX adalah berkas biner dan tidak ditulis ke terminal: tambahkan --output rekap-" << period->month
              << ".xlsx\n";
    return 2;
  }
  auto config = LoadConfigOrPrint(config_path);
  if (!config) return 1;
  SystemClock clock;
  auto store = db::SqliteStore::Open(config->database, &clock);
  if (!store.ok()) {
    std::cerr << "Basis data tidak dapat dibuka: " << store.status().message() << "\n";
    return 1;
  }
  auto recap = (*store)->MonthlyRecap(*period, SopLimitsFrom(config->sla), ToUnixMillis(clock.Now()));
  if (!recap.ok()) {
    std::cerr << "Rekap tidak dapat dibaca dari basis data: " << recap.status().message() << "\n";
    return 1;
  }
  Status written;
  if (o.format == "xlsx") {
    written = recap::WriteRecapXlsx(*recap, NamesFromRules(config->rules), o.output);
  } else {
    const std::string text = o.format == "json" ? recap::RecapToJson(*recap) + "\n"
                                                : recap::RecapToCsv(*recap, NamesFromRules(config->rules));
    if (o.output.empty()) {
      std::cout << text << std::flush;
      return std::cout ? 0 : 1;
    }
    written = WriteFileAtomically(o.output, text);
  }
  if (!written.ok()) {
    std::cerr << "Berkas " << o.output << " tidak dapat ditulis (apakah foldernya ada dan boleh ditulisi?): "
              << written.message() << "\n";
    return 1;
  }
  std::cerr << "Rekap " << period->month << " (" << recap->totals.total << " aduan) ditulis ke " << o.output << ".\n";
  return 0;
}

}  // namespace sambat::daemon
