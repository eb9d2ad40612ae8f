// RecapStore: the monthly recap, read from the store.
#pragma once

#include <cstdint>

#include "base/sop_clock.h"
#include "base/status.h"
#include "db/recap.h"

namespace sambat::db {

class RecapStore {
 public:
  virtual ~RecapStore() = default;

  // The recap of `period` (db/recap.h has the definitions). SOP steps still open are judged
  // at `now_ms` against `limits`. Thread-safe; reads only.
  virtual Result<Recap> MonthlyRecap(const RecapPeriod& period, const SopLimits& limits, int64_t now_ms) = 0;
};

}  // namespace sambat::db
