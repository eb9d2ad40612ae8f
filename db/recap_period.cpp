// Months and days in WIB for the recap.
#include <charconv>
#include <chrono>
#include <cstdio>

#include "db/recap.h"

namespace sambat::db {
namespace {

int64_t DaysFromCivil(int year, int month, int day) {
  using namespace std::chrono;
  return sys_days(std::chrono::year(year) / std::chrono::month(static_cast<unsigned>(month)) /
                  std::chrono::day(static_cast<unsigned>(day)))
      .time_since_epoch()
      .count();
}

RecapPeriod MakePeriod(int year, int month) {
  RecapPeriod p;
  p.year = year;
  p.month_number = month;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  p.month = buf;
  const int64_t first = DaysFromCivil(year, month, 1);
  const int64_t next = month == 12 ? DaysFromCivil(year + 1, 1, 1) : DaysFromCivil(year, month + 1, 1);
  p.days = static_cast<int>(next - first);
  // Midnight WIB is 17:00 UTC the day before.
  p.start_ms = first * kDayMs - kWibOffsetMs;
  p.end_ms = next * kDayMs - kWibOffsetMs;
  return p;
}

// Whole WIB days since 1970-01-01 for a Unix time (floor, also before 1970).
int64_t WibDay(int64_t unix_ms) {
  const int64_t t = unix_ms + kWibOffsetMs;
  return t >= 0 ? t / kDayMs : -((-t + kDayMs - 1) / kDayMs);
}

std::chrono::year_month_day CivilOf(int64_t unix_ms) {
  return std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(WibDay(unix_ms))));
}

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

}  // namespace

void RecapCounts::Add(const std::string& status) {
  ++total;
  if (status == "pending") ++pending;
  else if (status == "confirmed") ++confirmed;
  else if (status == "returned") ++returned;
  else if (status == "rejected") ++rejected;
  else if (status == "duplicate") ++duplicate;
}

Result<RecapPeriod> ParseRecapMonth(std::string_view text) {
  const std::string shown(text.substr(0, 32));
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("Bulan \"" + shown + "\" tidak sah: " + why +
                                   " Tulis TAHUN-BULAN, misalnya 2026-11. (invalid month: expected YYYY-MM, e.g. 2026-11)");
  };
  if (text.size() != 7 || text[4] != '-' || !Digits(text.substr(0, 4)) || !Digits(text.substr(5, 2))) {
    return bad("bentuknya harus empat angka tahun, tanda minus, dua angka bulan.");
  }
  int year = 0, month = 0;
  std::from_chars(text.data(), text.data() + 4, year);
  std::from_chars(text.data() + 5, text.data() + 7, month);
  if (month < 1 || month > 12) return bad("bulan harus 01 sampai 12.");
  if (year < 2000 || year > 2999) return bad("tahun harus antara 2000 dan 2999.");
  return MakePeriod(year, month);
}

RecapPeriod RecapMonthOf(int64_t unix_ms) {
  const auto ymd = CivilOf(unix_ms);
  return MakePeriod(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())));
}

std::string WibDate(int64_t unix_ms) {
  const auto ymd = CivilOf(unix_ms);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace sambat::db
