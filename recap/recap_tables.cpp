#include "recap/recap_tables.h"

#include <functional>

namespace sambat::recap {
namespace {

Cell Text(std::string s) { return {Cell::Kind::kText, std::move(s), 0}; }
Cell Int(int64_t n) { return {Cell::Kind::kInt, {}, static_cast<double>(n)}; }
Cell Minutes(const std::optional<int64_t>& ms) {
  if (!ms) return Text("-");
  return {Cell::Kind::kMinutes, {}, static_cast<double>(*ms) / 60'000.0};
}
Cell Percent(int64_t part, int64_t whole) {
  if (whole == 0) return Text("-");
  return {Cell::Kind::kPercent, {}, static_cast<double>(part) / static_cast<double>(whole)};
}

const std::vector<Column> kStatusColumns = {{"Jumlah", 10},      {"Menunggu", 11}, {"Dikonfirmasi", 13},
                                            {"Dikembalikan ke pemohon", 14}, {"Ditolak", 10}, {"Duplikat", 10}};

void AppendCounts(std::vector<Cell>& row, const db::RecapCounts& c) {
  for (int64_t n : {c.total, c.pending, c.confirmed, c.returned, c.rejected, c.duplicate}) row.push_back(Int(n));
}

// A breakdown table: the key's own columns, then the counts per status.
Table Breakdown(const db::Recap& r, std::string name, std::vector<Column> key_columns,
                const std::vector<db::RecapRow>& rows,
                const std::function<std::vector<Cell>(const std::optional<std::string>&)>& key_cells) {
  Table t{.name = name, .title = "", .columns = std::move(key_columns), .rows = {}};
  t.title = "Rekap Bulanan Aduan " + MonthTitle(r.period) + " — " + name;
  t.columns.insert(t.columns.end(), kStatusColumns.begin(), kStatusColumns.end());
  for (const auto& row : rows) {
    auto cells = key_cells(row.key);
    AppendCounts(cells, row.counts);
    t.rows.push_back(std::move(cells));
  }
  return t;
}

Table Summary(const db::Recap& r) {
  Table t{.name = "Ringkasan", .title = "Rekap Bulanan Aduan " + MonthTitle(r.period),
          .columns = {{"Ukuran", 48}, {"Nilai", 24}}, .rows = {}};
  auto add = [&](std::string label, Cell value) { t.rows.push_back({Text(std::move(label)), std::move(value)}); };
  add("Bulan", Text(r.period.month));
  add("Awal periode", Text(WibDateTime(r.period.start_ms)));
  add("Akhir periode (tidak termasuk)", Text(WibDateTime(r.period.end_ms)));
  add("Dibuat pada", Text(WibDateTime(r.generated_at)));
  add("Aduan tertangkap", Int(r.totals.total));
  add("Dikonfirmasi & didisposisikan", Int(r.totals.confirmed));
  add("Ditolak", Int(r.totals.rejected));
  add("Dikembalikan ke pemohon", Int(r.totals.returned));
  add("Ditandai duplikat", Int(r.totals.duplicate));
  add("Masih menunggu", Int(r.totals.pending));
  add("Pernah dikembalikan oleh OPD", Int(r.returned_by_opd));
  add("Waktu tangkap → konfirmasi: aduan diukur", Int(r.capture_to_confirm.count));
  add("Waktu tangkap → konfirmasi: median (menit)", Minutes(r.capture_to_confirm.median_ms));
  add("Waktu tangkap → konfirmasi: persentil ke-90 (menit)", Minutes(r.capture_to_confirm.p90_ms));
  add("Catatan", Text(PeriodNote(r)));
  return t;
}

Table ByStatus(const db::Recap& r) {
  Table t{.name = "Per Status", .title = "Rekap Bulanan Aduan " + MonthTitle(r.period) + " — Per Status",
          .columns = {{"Status", 28}, {"Jumlah", 10}, {"Persen", 10}}, .rows = {}};
  const auto& c = r.totals;
  const std::pair<const char*, int64_t> rows[] = {{"confirmed", c.confirmed}, {"rejected", c.rejected},
                                                  {"returned", c.returned},   {"duplicate", c.duplicate},
                                                  {"pending", c.pending}};
  for (const auto& [status, n] : rows) t.rows.push_back({Text(StatusLabel(status)), Int(n), Percent(n, c.total)});
  t.rows.push_back({Text("Jumlah"), Int(c.total), Percent(c.total, c.total)});
  return t;
}

Table Sla(const db::Recap& r) {
  Table t{.name = "SLA per Tahap", .title = "Rekap Bulanan Aduan " + MonthTitle(r.period) + " — SLA per Tahap SOP",
          .columns = {{"Tahap SOP", 34}, {"Batas (menit)", 12}, {"Tepat waktu", 12}, {"Terlambat", 11},
                      {"Berjalan, belum lewat batas", 16}, {"Persen tepat waktu", 14}},
          .rows = {}};
  for (const auto& s : r.sla) {
    t.rows.push_back({Text(StageLabel(s.stage)), Minutes(s.limit_ms), Int(s.met), Int(s.late), Int(s.open),
                      Percent(s.met, s.met + s.late)});
  }
  return t;
}

Table Locations(const db::Recap& r) {
  Table t{.name = "Lokasi Teratas", .title = "Rekap Bulanan Aduan " + MonthTitle(r.period) + " — Lokasi Teratas",
          .columns = {{"Peringkat", 10}, {"Kecamatan", 22}, {"Desa/Kelurahan", 26}, {"Jumlah aduan", 12}}, .rows = {}};
  int rank = 0;
  for (const auto& l : r.top_locations) {
    t.rows.push_back({Int(++rank), Text(l.kecamatan), Text(l.desa.value_or("-")), Int(l.count)});
  }
  return t;
}

Table Daily(const db::Recap& r) {
  Table t{.name = "Tren Harian", .title = "Rekap Bulanan Aduan " + MonthTitle(r.period) + " — Tren Harian (WIB)",
          .columns = {{"Tanggal (WIB)", 14}, {"Aduan tertangkap", 16}, {"Konfirmasi dibuat", 16}}, .rows = {}};
  for (const auto& d : r.daily) t.rows.push_back({Text(d.date), Int(d.captured), Int(d.confirmed)});
  return t;
}

}  // namespace

std::vector<Table> RecapTables(const db::Recap& r, const RecapNames& names) {
  auto plain = [](const std::optional<std::string>& k) { return std::vector<Cell>{Text(k.value_or(kNotFilled))}; };
  std::vector<Table> out;
  out.push_back(Summary(r));
  out.push_back(Breakdown(r, "Per OPD", {{"Kode OPD", 14}, {"Nama OPD", 40}}, r.by_opd,
                          [&](const std::optional<std::string>& k) {
                            auto it = k ? names.opd.find(*k) : names.opd.end();
                            return std::vector<Cell>{Text(k.value_or(kNotFilled)),
                                                     Text(it == names.opd.end() ? "-" : it->second)};
                          }));
  out.push_back(Breakdown(r, "Per Kanal", {{"Kanal", 16}}, r.by_kanal, [](const std::optional<std::string>& k) {
    return std::vector<Cell>{Text(k ? KanalLabel(*k) : kNotFilled)};
  }));
  out.push_back(Breakdown(r, "Per Kategori", {{"Kategori", 30}}, r.by_kategori, plain));
  out.push_back(Breakdown(r, "Per Kecamatan", {{"Kecamatan", 22}}, r.by_kecamatan, plain));
  out.push_back(ByStatus(r));
  out.push_back(Sla(r));
  out.push_back(Locations(r));
  out.push_back(Daily(r));
  return out;
}

}  // namespace sambat::recap
