// What operators read in the recap, in Bahasa Indonesia: status, kanal and SOP stage names,
// month titles, WIB times.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "db/recap.h"

namespace sambat::recap {

// Names the recap cannot know from the store: OPD code → full name (from the loaded rules).
struct RecapNames {
  std::map<std::string, std::string> opd;
};

std::string StatusLabel(const std::string& status);  // "Dikonfirmasi"; unknown: as given
std::string KanalLabel(const std::string& kanal);    // "Facebook"
std::string StageLabel(const std::string& stage);    // "Konfirmasi Admin Utama"
inline constexpr const char* kNotFilled = "(belum diisi)";

// "November 2026".
std::string MonthTitle(const db::RecapPeriod& period);
// "2026-11-01 00:00 WIB".
std::string WibDateTime(int64_t unix_ms);
// "2026-10-31T17:00:00Z".
std::string IsoUtc(int64_t unix_ms);
// One sentence on what the recap counts, for the head of every table.
std::string PeriodNote(const db::Recap& recap);

}  // namespace sambat::recap
