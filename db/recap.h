// The monthly recap ("Rekap bulanan"): a plain record of what happened to the complaints
// captured in one month, and the month itself. No SQL and no formatting here.
//
// Definitions (docs/api.md "Rekap bulanan" says the same for operators):
// - The month is a calendar month in WIB (UTC+7), Cilacap's time: 2026-11 is
//   2026-11-01 00:00 WIB (2026-10-31T17:00:00Z) up to, not including, 2026-12-01 00:00 WIB.
// - The recap is of the drafts *captured* in the month (drafts.created_at in the period),
//   each counted once under its status at the time the recap is made.
// - Capture → confirmation times and SLA are over those drafts whose status is confirmed, from
//   the confirmation that stands (decided_at).
// - The daily trend is per WIB day: drafts captured that day, and confirmations made that day
//   (which may be of drafts captured the month before).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace sambat::db {

inline constexpr int64_t kWibOffsetMs = 7 * 3600'000;
inline constexpr int64_t kDayMs = 24 * 3600'000;

struct RecapPeriod {
  std::string month;      // "2026-11"
  int year = 0, month_number = 0;
  int64_t start_ms = 0;   // first instant, 00:00 WIB on the 1st
  int64_t end_ms = 0;     // first instant after the month
  int days = 0;
};

// Parses "YYYY-MM" (year 2000–2999, month 01–12, nothing else). The error says, in Indonesian
// and English, what was wrong and what to type instead.
Result<RecapPeriod> ParseRecapMonth(std::string_view text);
// The WIB month that contains `unix_ms`.
RecapPeriod RecapMonthOf(int64_t unix_ms);
// "YYYY-MM-DD" of the WIB day that contains `unix_ms`.
std::string WibDate(int64_t unix_ms);

// Drafts by status. `total` is the sum of the five.
struct RecapCounts {
  int64_t total = 0, pending = 0, confirmed = 0, returned = 0, rejected = 0, duplicate = 0;
  void Add(const std::string& status);
};

// One line of a breakdown (per OPD, kanal, kategori or kecamatan). `key` unset: the field was
// empty on those drafts ("belum diisi").
struct RecapRow {
  std::optional<std::string> key;
  RecapCounts counts;
};

struct RecapLocation {
  std::string kecamatan;
  std::optional<std::string> desa;  // unset: the place is known only to the kecamatan
  int64_t count = 0;
};

struct RecapDay {
  std::string date;         // YYYY-MM-DD, WIB
  int64_t captured = 0;     // drafts captured that day
  int64_t confirmed = 0;    // confirmations made that day (any capture date)
};

// How the confirmed drafts did against one SOP step's limit (base/sop_clock.h). `met`: done in
// time; `late`: done late, or not done and past due; `open`: not done, not yet due.
struct RecapSla {
  std::string stage;  // konfirmasi | diterima_opd | koordinasi | ditindaklanjuti | selesai | total
  int64_t limit_ms = 0;
  int64_t met = 0, late = 0, open = 0;
};

struct DurationSummary {
  int64_t count = 0;                        // confirmed drafts measured
  std::optional<int64_t> median_ms, p90_ms;  // unset when count is 0
};

struct Recap {
  RecapPeriod period;
  int64_t generated_at = 0;  // "now" for SLA steps still open
  RecapCounts totals;
  int64_t returned_by_opd = 0;  // of the month's drafts, those an OPD sent back at least once
  DurationSummary capture_to_confirm;
  // Largest first; ties by key, "belum diisi" last.
  std::vector<RecapRow> by_opd, by_kanal, by_kategori, by_kecamatan;
  std::vector<RecapSla> sla;  // the five SOP stages in order, then "total"
  std::vector<RecapLocation> top_locations;  // at most kTopLocations, most first
  std::vector<RecapDay> daily;               // every day of the month, in order
};

inline constexpr size_t kTopLocations = 10;

}  // namespace sambat::db
