// The recap as printable tables: one per breakdown, with Indonesian headings. CSV and XLSX
// render these same tables, so both always say the same thing.
#pragma once

#include <string>
#include <vector>

#include "db/recap.h"
#include "recap/recap_labels.h"

namespace sambat::recap {

struct Cell {
  enum class Kind { kEmpty, kText, kInt, kMinutes, kPercent };
  Kind kind = Kind::kEmpty;
  std::string text;   // kText
  double number = 0;  // kInt: a count; kMinutes: minutes; kPercent: a fraction 0..1
};

struct Column {
  std::string heading;
  double width = 12;  // in spreadsheet characters
};

struct Table {
  std::string name;   // the sheet name: "Per OPD" (at most 31 characters)
  std::string title;  // "Rekap Bulanan Aduan November 2026 — Per OPD"
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

// Ringkasan, Per OPD, Per Kanal, Per Kategori, Per Kecamatan, Per Status, SLA per Tahap,
// Lokasi Teratas, Tren Harian — in that order.
std::vector<Table> RecapTables(const db::Recap& recap, const RecapNames& names);

}  // namespace sambat::recap
