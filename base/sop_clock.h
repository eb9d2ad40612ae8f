// The SOP's clock for one complaint: which step is due when, which was late, which is late
// now. Pure: times in, deadlines out, so it is tested with any "now".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sambat {

// Minutes per SOP step (milliseconds here). Steps 6 and 7 (forwarding the answer and entering
// it in the app) end together in the pipeline's "selesai", so their limits are added.
struct SopLimits {
  int64_t admin_utama = 15 * 60'000;          // step 2: confirmed
  int64_t admin_opd = 15 * 60'000;            // step 3: diterima_opd
  int64_t pejabat_penghubung = 15 * 60'000;   // step 4: koordinasi
  int64_t kepala_opd = 60 * 60'000;           // step 5: ditindaklanjuti
  int64_t penghubung_teruskan = 15 * 60'000;  // step 6 ┐ selesai
  int64_t admin_opd_input = 15 * 60'000;      // step 7 ┘
  int64_t total = 135 * 60'000;
};

struct SopStage {
  std::string stage;            // konfirmasi | diterima_opd | koordinasi | ditindaklanjuti | selesai
  int64_t due_ms = 0;           // from when the stage before it ended (or was due, if it has not)
  std::optional<int64_t> done_ms;
  bool late = false;            // done after due, or not done and now past due
};

struct SopTimeline {
  std::vector<SopStage> stages;
  int64_t total_due_ms = 0;
  bool total_late = false;
  std::optional<std::string> overdue_stage;  // the first stage not done and past due, if any
};

// `captured_ms`: when sambatd captured the post; `confirmed_ms`: Admin Utama's confirmation;
// `reports`: the pipeline's (step, at) in any order — the first report of each step counts,
// and "dikembalikan_opd" restarts the clock from Admin Utama's step (the draft is back in the
// queue: a new confirmation is awaited, the total keeps running).
SopTimeline ComputeSopTimeline(int64_t captured_ms, std::optional<int64_t> confirmed_ms,
                               std::vector<std::pair<std::string, int64_t>> reports, const SopLimits& limits,
                               int64_t now_ms);

}  // namespace sambat
