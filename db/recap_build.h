// The recap's arithmetic: pure functions of rows already read, so every figure is tested
// without a database (and the SQLite part only reads).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/sop_clock.h"
#include "db/recap.h"

namespace sambat::db {

// One draft captured in the period, with what the recap needs of it.
struct RecapDraft {
  int64_t id = 0;
  std::string status = {}, kanal = {};
  std::optional<std::string> opd = {}, kategori = {}, kecamatan = {}, desa = {};
  int64_t created_at = 0;
  std::optional<int64_t> decided_at = {};
  bool returned_by_opd = false;
  std::vector<std::pair<std::string, int64_t>> reports = {};  // the pipeline's (step, at)
};

// The p-th percentile (0 ≤ p ≤ 1) by linear interpolation between closest ranks — the
// definition of Excel's PERCENTILE.INC and numpy's default, so an operator can check it in a
// spreadsheet — rounded to the nearest millisecond. Unset for no values.
std::optional<int64_t> Percentile(std::vector<int64_t> values, double p);

// Per SOP stage (and "total"), how the confirmed drafts among `drafts` did at `now_ms`.
std::vector<RecapSla> TallySla(const std::vector<RecapDraft>& drafts, const SopLimits& limits, int64_t now_ms);

// Every figure of the recap. `drafts`: those captured in `period`; `confirmations`: the
// decided_at of every draft confirmed within `period` (any capture date), for the daily trend.
Recap BuildRecap(const RecapPeriod& period, const std::vector<RecapDraft>& drafts,
                 const std::vector<int64_t>& confirmations, const SopLimits& limits, int64_t now_ms);

}  // namespace sambat::db
