#include "db/recap_build.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace sambat::db {
namespace {

// Largest first; ties by key; the drafts without a value ("belum diisi") last.
std::vector<RecapRow> Breakdown(const std::vector<RecapDraft>& drafts,
                                std::optional<std::string> RecapDraft::*field_opt,
                                const std::string RecapDraft::*field_str) {
  std::map<std::optional<std::string>, RecapCounts> by;
  for (const auto& d : drafts) {
    std::optional<std::string> key = field_opt ? d.*field_opt : std::optional<std::string>(d.*field_str);
    if (key && key->empty()) key.reset();
    by[key].Add(d.status);
  }
  std::vector<RecapRow> rows;
  for (auto& [key, counts] : by) rows.push_back({key, counts});
  std::stable_sort(rows.begin(), rows.end(), [](const RecapRow& a, const RecapRow& b) {
    if (a.key.has_value() != b.key.has_value()) return a.key.has_value();
    if (a.counts.total != b.counts.total) return a.counts.total > b.counts.total;
    return a.key < b.key;
  });
  return rows;
}

std::vector<RecapLocation> TopLocations(const std::vector<RecapDraft>& drafts) {
  std::map<std::pair<std::string, std::optional<std::string>>, int64_t> by;
  for (const auto& d : drafts) {
    if (!d.kecamatan || d.kecamatan->empty()) continue;
    std::optional<std::string> desa = d.desa && !d.desa->empty() ? d.desa : std::nullopt;
    ++by[{*d.kecamatan, desa}];
  }
  std::vector<RecapLocation> out;
  for (const auto& [place, n] : by) out.push_back({place.first, place.second, n});
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  if (out.size() > kTopLocations) out.resize(kTopLocations);
  return out;
}

}  // namespace

std::optional<int64_t> Percentile(std::vector<int64_t> values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const double h = (static_cast<double>(values.size()) - 1) * std::clamp(p, 0.0, 1.0);
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  const double v = static_cast<double>(values[lo]) + (h - static_cast<double>(lo)) * static_cast<double>(values[hi] - values[lo]);
  return std::llround(v);
}

std::vector<RecapSla> TallySla(const std::vector<RecapDraft>& drafts, const SopLimits& l, int64_t now_ms) {
  std::vector<RecapSla> out = {
      {"konfirmasi", l.admin_utama},
      {"diterima_opd", l.admin_opd},
      {"koordinasi", l.pejabat_penghubung},
      {"ditindaklanjuti", l.kepala_opd},
      {"selesai", l.penghubung_teruskan + l.admin_opd_input},
      {"total", l.total},
  };
  for (const auto& d : drafts) {
    if (d.status != "confirmed" || !d.decided_at) continue;
    const SopTimeline t = ComputeSopTimeline(d.created_at, d.decided_at, d.reports, l, now_ms);
    for (size_t i = 0; i < t.stages.size() && i < 5; ++i) {
      const SopStage& s = t.stages[i];
      if (s.late) ++out[i].late;
      else if (s.done_ms) ++out[i].met;
      else ++out[i].open;
    }
    if (t.total_late) ++out[5].late;
    else if (t.stages.back().done_ms) ++out[5].met;
    else ++out[5].open;
  }
  return out;
}

Recap BuildRecap(const RecapPeriod& period, const std::vector<RecapDraft>& drafts,
                 const std::vector<int64_t>& confirmations, const SopLimits& limits, int64_t now_ms) {
  Recap r;
  r.period = period;
  r.generated_at = now_ms;
  std::vector<int64_t> waits;
  for (const auto& d : drafts) {
    r.totals.Add(d.status);
    r.returned_by_opd += d.returned_by_opd;
    if (d.status == "confirmed" && d.decided_at) waits.push_back(*d.decided_at - d.created_at);
  }
  r.capture_to_confirm = {static_cast<int64_t>(waits.size()), Percentile(waits, 0.5), Percentile(waits, 0.9)};
  r.by_opd = Breakdown(drafts, &RecapDraft::opd, nullptr);
  r.by_kanal = Breakdown(drafts, nullptr, &RecapDraft::kanal);
  r.by_kategori = Breakdown(drafts, &RecapDraft::kategori, nullptr);
  r.by_kecamatan = Breakdown(drafts, &RecapDraft::kecamatan, nullptr);
  r.sla = TallySla(drafts, limits, now_ms);
  r.top_locations = TopLocations(drafts);
  for (int i = 0; i < period.days; ++i) r.daily.push_back({WibDate(period.start_ms + i * kDayMs)});
  auto day_of = [&](int64_t at) -> RecapDay* {
    if (at < period.start_ms || at >= period.end_ms) return nullptr;
    return &r.daily[static_cast<size_t>((at - period.start_ms) / kDayMs)];
  };
  for (const auto& d : drafts) {
    if (auto* day = day_of(d.created_at)) ++day->captured;
  }
  for (int64_t at : confirmations) {
    if (auto* day = day_of(at)) ++day->confirmed;
  }
  return r;
}

}  // namespace sambat::db
