// A known month for the recap tests, stored through the store's own API (capture, decisions,
// the pipeline's reports) with a fake clock: nine drafts captured in November 2026 (WIB), one
// a millisecond before the month and one at the first instant after it. The expected figures
// are worked out by hand in the comments of tests/db/recap_test.cpp.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "base/clock.h"
#include "db/sqlite_store.h"
#include "tests/db/store_test_util.h"

namespace sambat::db::testing {

inline constexpr int64_t kMinute = 60'000;
inline constexpr int64_t kHour = 60 * kMinute;
inline constexpr int64_t kNovStart = 1'793'466'000'000;  // 2026-11-01 00:00 WIB = 2026-10-31T17:00:00Z
inline constexpr int64_t kDecStart = 1'796'058'000'000;  // 2026-12-01 00:00 WIB
// "Now" for the recap: 10 minutes after the last draft's capture, so its later SOP steps are open.
inline constexpr int64_t kRecapNow = kDecStart - 2 * kHour + 10 * kMinute;

struct SeedDraft {
  std::string name;  // platform id
  int64_t captured_at;
  std::string kanal;
  std::optional<std::string> opd, kategori, kecamatan, desa;
};

class RecapSeeder {
 public:
  RecapSeeder(SqliteStore* store, FakeClock* clock) : store_(store), clock_(clock) {}

  int64_t Capture(const SeedDraft& s) {
    clock_->Set(FromUnixMillis(s.captured_at));
    IngestItem item = MakeItem(s.name, true);
    item.post.platform = s.kanal == "manual" ? "manual" : s.kanal;
    item.post.text = "aduan " + s.name + " tolong ditangani";
    item.draft->pesan = item.post.text;
    item.draft->kanal = s.kanal;
    item.draft->alamat = "Jl. Contoh " + s.name;
    item.draft->opd = s.opd;
    item.draft->kategori = s.kategori;
    item.draft->kecamatan = s.kecamatan;
    item.draft->desa = s.desa;
    item.draft->sla_due_at = s.captured_at + 15 * kMinute;
    IngestBatch b;
    b.items.push_back(item);
    EXPECT_TRUE(store_->Ingest(b).ok());
    auto drafts = store_->QueryDrafts({.status = "", .limit = 1000});
    EXPECT_TRUE(drafts.ok());
    for (const auto& d : *drafts) {
      if (d.platform_id == s.name) return d.id;
    }
    ADD_FAILURE() << "draft " << s.name << " not stored";
    return 0;
  }

  void Decide(int64_t id, Decision decision, int64_t at, std::optional<int64_t> duplicate_of = {}) {
    clock_->Set(FromUnixMillis(at));
    auto d = store_->GetDraft(id);
    ASSERT_TRUE(d.ok());
    Status s = store_->Decide({.draft_id = id, .version = d->draft.version, .decision = decision,
                               .reason = "alasan uji", .duplicate_of = duplicate_of, .actor = "admin"});
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void Step(int64_t id, const std::string& step, int64_t at) {
    clock_->Set(FromUnixMillis(at));
    Status s = store_->RecordDispositionStep({.draft_id = id, .step = step, .at = at, .note = "catatan",
                                              .actor = "pipeline", .requeue_sla_due_at = at + 15 * kMinute});
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // The month described above.
  void SeedNovember() {
    const int64_t S = kNovStart, E = kDecStart, day = 24 * kHour;
    // Captured 1 ms before the month (31 Oct 23:59:59.999 WIB), confirmed on 1 Nov: not in the
    // recap's drafts, but its confirmation is in 1 Nov's trend.
    const int64_t before = Capture({"sebelum", S - 1, "x", "DPUPR", "Jalan rusak", "Kroya", "Pesanggrahan"});
    Decide(before, Decision::kConfirm, S + 10 * kMinute);
    // D1, at the first instant of the month: every SOP step in time (10/10/10/50/20 minutes).
    const int64_t d1 = Capture({"d1", S, "x", "DPUPR", "Jalan rusak", "Kroya", "Pesanggrahan"});
    Decide(d1, Decision::kConfirm, S + 10 * kMinute);
    Step(d1, "diterima_opd", S + 20 * kMinute);
    Step(d1, "koordinasi", S + 30 * kMinute);
    Step(d1, "ditindaklanjuti", S + 80 * kMinute);
    Step(d1, "selesai", S + 100 * kMinute);
    // D2: confirmed after 20 minutes (late), accepted by the OPD 30 minutes later (late), then nothing.
    const int64_t t2 = S + day + kHour;
    const int64_t d2 = Capture({"d2", t2, "facebook", "DPUPR", "Jalan rusak", "Kroya", "Pesanggrahan"});
    Decide(d2, Decision::kConfirm, t2 + 20 * kMinute);
    Step(d2, "diterima_opd", t2 + 50 * kMinute);
    // D3: confirmed after 30 minutes, nothing reported since.
    const int64_t t3 = S + 2 * day;
    const int64_t d3 = Capture({"d3", t3, "instagram", "DISHUB", "Lampu jalan", "Kesugihan", std::nullopt});
    Decide(d3, Decision::kConfirm, t3 + 30 * kMinute);
    // D5 rejected, D6 returned to the citizen.
    const int64_t t5 = S + 3 * day;
    const int64_t d5 = Capture({"d5", t5, "facebook", std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    Decide(d5, Decision::kReject, t5 + 5 * kMinute);
    const int64_t d6 = Capture({"d6", t5 + kHour, "x", "DPUPR", "Jalan rusak", "Kroya", "Pesanggrahan"});
    Decide(d6, Decision::kReturn, t5 + 2 * kHour);
    // D7 pending, D8 its duplicate.
    const int64_t t7 = S + 4 * day;
    const int64_t d7 = Capture({"d7", t7, "manual", "DINKES", "Kesehatan", "Cilacap Selatan", "Tegalkamulyan"});
    const int64_t d8 = Capture({"d8", t7 + 2 * kHour, "x", "DINKES", "Kesehatan", "Cilacap Selatan", "Tegalkamulyan"});
    Decide(d8, Decision::kDuplicate, t7 + 3 * kHour, d7);
    // D9: confirmed after 40 minutes, then sent back by the OPD: pending again, not counted as confirmed.
    const int64_t t9 = S + 5 * day;
    const int64_t d9 = Capture({"d9", t9, "instagram", "DPUPR", "Jalan rusak", "Kroya", std::nullopt});
    Decide(d9, Decision::kConfirm, t9 + 40 * kMinute);
    Step(d9, "dikembalikan_opd", t9 + 50 * kMinute);
    // D4: two hours before the month ends, confirmed after 5 minutes; its later steps are still open at kRecapNow.
    const int64_t t4 = E - 2 * kHour;
    const int64_t d4 = Capture({"d4", t4, "x", "DISHUB", "Lampu jalan", "Kesugihan", "Kuwasen"});
    Decide(d4, Decision::kConfirm, t4 + 5 * kMinute);
    // At the first instant of December: not in November.
    const int64_t after = Capture({"sesudah", E, "x", "DPUPR", "Jalan rusak", "Kroya", "Pesanggrahan"});
    Decide(after, Decision::kConfirm, E + 5 * kMinute);
    clock_->Set(FromUnixMillis(kRecapNow));
  }

 private:
  SqliteStore* store_;
  FakeClock* clock_;
};

}  // namespace sambat::db::testing
