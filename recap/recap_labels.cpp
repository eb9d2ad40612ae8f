#include "recap/recap_labels.h"

#include <cstdio>
#include <ctime>

namespace sambat::recap {
namespace {

constexpr const char* kMonths[] = {"Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
                                   "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};

std::string Format(int64_t unix_ms, const char* fmt) {
  const time_t s = static_cast<time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

}  // namespace

std::string StatusLabel(const std::string& s) {
  if (s == "pending") return "Menunggu";
  if (s == "confirmed") return "Dikonfirmasi";
  if (s == "returned") return "Dikembalikan ke pemohon";
  if (s == "rejected") return "Ditolak";
  if (s == "duplicate") return "Duplikat";
  return s;
}

std::string KanalLabel(const std::string& k) {
  if (k == "x") return "X";
  if (k == "facebook") return "Facebook";
  if (k == "instagram") return "Instagram";
  if (k == "manual") return "Entri manual";
  return k;
}

std::string StageLabel(const std::string& s) {
  if (s == "konfirmasi") return "Konfirmasi Admin Utama";
  if (s == "diterima_opd") return "Diterima Admin OPD";
  if (s == "koordinasi") return "Koordinasi Pejabat Penghubung";
  if (s == "ditindaklanjuti") return "Tindak lanjut Kepala OPD";
  if (s == "selesai") return "Diteruskan dan diinput (selesai)";
  if (s == "total") return "Seluruh SOP";
  return s;
}

std::string MonthTitle(const db::RecapPeriod& p) {
  if (p.month_number < 1 || p.month_number > 12) return p.month;
  return std::string(kMonths[p.month_number - 1]) + " " + std::to_string(p.year);
}

std::string WibDateTime(int64_t unix_ms) { return Format(unix_ms + db::kWibOffsetMs, "%Y-%m-%d %H:%M WIB"); }

std::string IsoUtc(int64_t unix_ms) { return Format(unix_ms, "%Y-%m-%dT%H:%M:%SZ"); }

std::string PeriodNote(const db::Recap& r) {
  return "Aduan yang tertangkap " + WibDateTime(r.period.start_ms) + " s.d. sebelum " + WibDateTime(r.period.end_ms) +
         " (WIB, UTC+7); status dan SLA per " + WibDateTime(r.generated_at) + ".";
}

}  // namespace sambat::recap
