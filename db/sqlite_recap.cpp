// SqliteStore's RecapStore part: reads the month's drafts and confirmations on a read-only
// connection (a month is a scan; capture is not held up), then db/recap_build.cpp counts.
#include "db/recap_build.h"
#include "db/sqlite_store.h"

namespace sambat::db {

Result<Recap> SqliteStore::MonthlyRecap(const RecapPeriod& period, const SopLimits& limits, int64_t now_ms) {
  return Read([&](Connection& conn) -> Result<Recap> {
    auto drafts_st = conn.Prepare(
        "SELECT d.id, d.status, d.kanal, d.opd, d.kategori, d.kecamatan, d.desa, d.created_at, d.decided_at,"
        " d.returned_by_opd, s.step, s.at FROM drafts d LEFT JOIN disposition_steps s ON s.draft_id = d.id"
        " WHERE d.created_at >= ?1 AND d.created_at < ?2 ORDER BY d.id, s.at, s.id");
    if (!drafts_st.ok()) return drafts_st.status();
    (*drafts_st)->Bind(1, period.start_ms).Bind(2, period.end_ms);
    std::vector<RecapDraft> drafts;
    SAMBAT_RETURN_IF_ERROR((*drafts_st)->ForEachRow([&](const Statement& s) {
      if (drafts.empty() || drafts.back().id != s.Int(0)) {
        RecapDraft d;
        d.id = s.Int(0);
        d.status = s.Text(1);
        d.kanal = s.Text(2);
        d.opd = s.OptText(3);
        d.kategori = s.OptText(4);
        d.kecamatan = s.OptText(5);
        d.desa = s.OptText(6);
        d.created_at = s.Int(7);
        if (!s.IsNull(8)) d.decided_at = s.Int(8);
        d.returned_by_opd = s.Int(9) != 0;
        drafts.push_back(std::move(d));
      }
      if (!s.IsNull(10)) drafts.back().reports.emplace_back(s.Text(10), s.Int(11));
    }));
    // Confirmations made in the month, whenever the draft was captured (drafts_status_decided).
    auto conf_st = conn.Prepare(
        "SELECT decided_at FROM drafts WHERE status = 'confirmed' AND decided_at >= ?1 AND decided_at < ?2");
    if (!conf_st.ok()) return conf_st.status();
    (*conf_st)->Bind(1, period.start_ms).Bind(2, period.end_ms);
    std::vector<int64_t> confirmations;
    SAMBAT_RETURN_IF_ERROR((*conf_st)->ForEachRow([&](const Statement& s) { confirmations.push_back(s.Int(0)); }));
    return BuildRecap(period, drafts, confirmations, limits, now_ms);
  });
}

}  // namespace sambat::db
