#include "base/sop_clock.h"

#include <algorithm>

namespace sambat {

SopTimeline ComputeSopTimeline(int64_t captured_ms, std::optional<int64_t> confirmed_ms,
                               std::vector<std::pair<std::string, int64_t>> reports, const SopLimits& l,
                               int64_t now_ms) {
  std::sort(reports.begin(), reports.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  // After the last return by an OPD, only what came later counts; Admin Utama's step restarts
  // when the draft came back.
  int64_t start = captured_ms;
  for (const auto& [step, at] : reports) {
    if (step == "dikembalikan_opd") start = at;
  }
  if (start != captured_ms && confirmed_ms && *confirmed_ms < start) confirmed_ms.reset();
  auto first = [&](const std::string& step) -> std::optional<int64_t> {
    for (const auto& [s, at] : reports) {
      if (s == step && at >= start) return at;
    }
    return std::nullopt;
  };
  const std::pair<const char*, int64_t> plan[] = {
      {"konfirmasi", l.admin_utama},
      {"diterima_opd", l.admin_opd},
      {"koordinasi", l.pejabat_penghubung},
      {"ditindaklanjuti", l.kepala_opd},
      {"selesai", l.penghubung_teruskan + l.admin_opd_input},
  };
  SopTimeline t;
  int64_t from = start;
  for (const auto& [stage, limit] : plan) {
    SopStage s;
    s.stage = stage;
    s.due_ms = from + limit;
    s.done_ms = std::string(stage) == "konfirmasi" ? confirmed_ms : first(stage);
    // A later step reported implies the earlier ones happened (pipelines skip reports).
    s.late = s.done_ms ? *s.done_ms > s.due_ms : now_ms > s.due_ms;
    t.stages.push_back(s);
    from = s.done_ms ? *s.done_ms : s.due_ms;
  }
  for (auto it = t.stages.rbegin(); it != t.stages.rend(); ++it) {
    if (!it->done_ms) continue;
    for (auto earlier = std::next(it); earlier != t.stages.rend(); ++earlier) {
      if (!earlier->done_ms) {
        earlier->done_ms = it->done_ms;
        earlier->late = *earlier->done_ms > earlier->due_ms;
      }
    }
    break;
  }
  for (const auto& s : t.stages) {
    if (!s.done_ms && s.late) {
      t.overdue_stage = s.stage;
      break;
    }
  }
  t.total_due_ms = captured_ms + l.total;
  const auto done = t.stages.back().done_ms;
  t.total_late = done ? *done > t.total_due_ms : now_ms > t.total_due_ms;
  return t;
}

}  // namespace sambat
