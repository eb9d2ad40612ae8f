// The monthly recap against a seeded SQLite file (tests/db/recap_seed.h), and its pure parts:
// months in WIB, percentiles, SLA tallies.
#include <gtest/gtest.h>

#include "db/recap_build.h"
#include "db/sqlite_store.h"
#include "tests/db/recap_seed.h"
#include "tests/support/temp_dir.h"

namespace sambat::db {
namespace {

using testing::kDecStart;
using testing::kMinute;
using testing::kNovStart;
using testing::kRecapNow;

TEST(RecapMonth, NovemberIsBoundedByMidnightWib) {
  auto p = ParseRecapMonth("2026-11");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->month, "2026-11");
  EXPECT_EQ(p->start_ms, kNovStart);
  EXPECT_EQ(p->end_ms, kDecStart);
  EXPECT_EQ(p->days, 30);
  auto dec = ParseRecapMonth("2026-12");
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(dec->days, 31);
  EXPECT_EQ(dec->start_ms, kDecStart);
  EXPECT_EQ(ParseRecapMonth("2028-02")->days, 29);  // leap year
}

TEST(RecapMonth, BadValuesAreRefusedWithAHint) {
  for (const char* bad : {"", "2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "abcd-ef", "1999-12",
                          " 2026-11", "2026-+1"}) {
    auto p = ParseRecapMonth(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(p.status().message().find("2026-11"), std::string::npos) << p.status().message();
    EXPECT_NE(p.status().message().find("YYYY-MM"), std::string::npos) << p.status().message();
  }
}

TEST(RecapMonth, MonthOfAnInstantIsTheWibMonth) {
  EXPECT_EQ(RecapMonthOf(kNovStart).month, "2026-11");
  EXPECT_EQ(RecapMonthOf(kNovStart - 1).month, "2026-10");  // 31 Oct 23:59:59.999 WIB
  EXPECT_EQ(RecapMonthOf(kDecStart - 1).month, "2026-11");
  EXPECT_EQ(WibDate(kNovStart), "2026-11-01");
  EXPECT_EQ(WibDate(kNovStart - 1), "2026-10-31");
}

TEST(RecapPercentile, InterpolatesLikeSpreadsheets) {
  EXPECT_FALSE(Percentile({}, 0.5).has_value());
  EXPECT_EQ(*Percentile({7}, 0.5), 7);
  EXPECT_EQ(*Percentile({7}, 0.9), 7);
  EXPECT_EQ(*Percentile({30, 10, 20}, 0.5), 20);
  EXPECT_EQ(*Percentile({40, 10, 30, 20}, 0.5), 25);
  // PERCENTILE.INC({10,20,30,40}, 0.9) = 30 + 0.7 × 10 = 37.
  EXPECT_EQ(*Percentile({10, 20, 30, 40}, 0.9), 37);
  // 1..10: rank 0.9 × 9 = 8.1 → 9 + 0.1 = 9.1 → 9 (rounded to the millisecond).
  EXPECT_EQ(*Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9), 9);
  EXPECT_EQ(*Percentile({0, 1000}, 0.9), 900);
}

TEST(RecapSla, DraftsNotConfirmedAreNotTallied) {
  RecapDraft pending{.id = 1, .status = "pending", .kanal = "x", .created_at = 0};
  RecapDraft rejected{.id = 2, .status = "rejected", .kanal = "x", .created_at = 0, .decided_at = 60'000};
  auto sla = TallySla({pending, rejected}, SopLimits{}, 10 * 3600'000);
  ASSERT_EQ(sla.size(), 6u);
  for (const auto& s : sla) EXPECT_EQ(s.met + s.late + s.open, 0) << s.stage;
}

TEST(RecapSla, UsesTheConfiguredLimits) {
  RecapDraft d{.id = 1, .status = "confirmed", .kanal = "x", .created_at = 0, .decided_at = 20 * kMinute};
  SopLimits strict;
  EXPECT_EQ(TallySla({d}, strict, 21 * kMinute)[0].late, 1);  // 20 > 15 minutes
  SopLimits lenient;
  lenient.admin_utama = 30 * kMinute;
  auto sla = TallySla({d}, lenient, 21 * kMinute);
  EXPECT_EQ(sla[0].met, 1);
  EXPECT_EQ(sla[0].limit_ms, 30 * kMinute);
  EXPECT_EQ(sla[1].open, 1);  // diterima_opd due at 35 minutes
}

class RecapStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::Open(dir_.File("rekap.db"), &clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    testing::RecapSeeder(store_.get(), &clock_).SeedNovember();
    auto p = ParseRecapMonth("2026-11");
    ASSERT_TRUE(p.ok());
    auto r = store_->MonthlyRecap(*p, SopLimits{}, kRecapNow);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    recap_ = *r;
  }

  static const RecapRow* Find(const std::vector<RecapRow>& rows, const std::optional<std::string>& key) {
    for (const auto& r : rows) {
      if (r.key == key) return &r;
    }
    return nullptr;
  }

  sambat::testing::TempDir dir_;
  FakeClock clock_{FromUnixMillis(kNovStart)};
  std::unique_ptr<SqliteStore> store_;
  Recap recap_;
};

TEST_F(RecapStoreTest, CountsOnlyDraftsCapturedInTheMonthByStatus) {
  // d1..d9: not "sebelum" (1 ms before) nor "sesudah" (the first instant of December).
  EXPECT_EQ(recap_.totals.total, 9);
  EXPECT_EQ(recap_.totals.confirmed, 4);  // d1 d2 d3 d4 (d9 went back to the queue)
  EXPECT_EQ(recap_.totals.rejected, 1);
  EXPECT_EQ(recap_.totals.returned, 1);
  EXPECT_EQ(recap_.totals.duplicate, 1);
  EXPECT_EQ(recap_.totals.pending, 2);  // d7, d9
  EXPECT_EQ(recap_.returned_by_opd, 1);
  EXPECT_EQ(recap_.period.month, "2026-11");
  EXPECT_EQ(recap_.generated_at, kRecapNow);
}

TEST_F(RecapStoreTest, BreakdownsAreLargestFirstWithEmptyLast) {
  auto keys = [](const std::vector<RecapRow>& rows) {
    std::vector<std::string> k;
    for (const auto& r : rows) k.push_back(r.key.value_or("<none>"));
    return k;
  };
  EXPECT_EQ(keys(recap_.by_opd), (std::vector<std::string>{"DPUPR", "DINKES", "DISHUB", "<none>"}));
  EXPECT_EQ(keys(recap_.by_kanal), (std::vector<std::string>{"x", "facebook", "instagram", "manual"}));
  EXPECT_EQ(keys(recap_.by_kategori), (std::vector<std::string>{"Jalan rusak", "Kesehatan", "Lampu jalan", "<none>"}));
  EXPECT_EQ(keys(recap_.by_kecamatan), (std::vector<std::string>{"Kroya", "Cilacap Selatan", "Kesugihan", "<none>"}));

  const RecapRow* dpupr = Find(recap_.by_opd, "DPUPR");  // d1 d2 confirmed, d6 returned, d9 pending
  ASSERT_NE(dpupr, nullptr);
  EXPECT_EQ(dpupr->counts.total, 4);
  EXPECT_EQ(dpupr->counts.confirmed, 2);
  EXPECT_EQ(dpupr->counts.returned, 1);
  EXPECT_EQ(dpupr->counts.pending, 1);
  const RecapRow* dinkes = Find(recap_.by_opd, "DINKES");
  EXPECT_EQ(dinkes->counts.pending, 1);
  EXPECT_EQ(dinkes->counts.duplicate, 1);
  EXPECT_EQ(Find(recap_.by_opd, "DISHUB")->counts.confirmed, 2);
  EXPECT_EQ(Find(recap_.by_opd, std::nullopt)->counts.rejected, 1);
  const RecapRow* x = Find(recap_.by_kanal, "x");  // d1 d4 confirmed, d6 returned, d8 duplicate
  EXPECT_EQ(x->counts.total, 4);
  EXPECT_EQ(x->counts.confirmed, 2);
  EXPECT_EQ(x->counts.duplicate, 1);
  EXPECT_EQ(Find(recap_.by_kanal, "facebook")->counts.rejected, 1);
  EXPECT_EQ(Find(recap_.by_kanal, "manual")->counts.pending, 1);
  EXPECT_EQ(Find(recap_.by_kecamatan, "Kesugihan")->counts.confirmed, 2);
}

TEST_F(RecapStoreTest, MedianAndP90OfCaptureToConfirmation) {
  // Standing confirmations: d4 5, d1 10, d2 20, d3 30 minutes (d9's 40 was undone by the OPD).
  EXPECT_EQ(recap_.capture_to_confirm.count, 4);
  EXPECT_EQ(*recap_.capture_to_confirm.median_ms, 15 * kMinute);
  EXPECT_EQ(*recap_.capture_to_confirm.p90_ms, 27 * kMinute);  // 20 + 0.7 × 10
}

TEST_F(RecapStoreTest, SlaPerSopStep) {
  ASSERT_EQ(recap_.sla.size(), 6u);
  struct Want {
    const char* stage;
    int64_t met, late, open;
  };
  // d1 in time everywhere; d2 late at confirmation and acceptance, then overdue; d3 late at
  // confirmation, then overdue; d4 confirmed in time, the rest not yet due at kRecapNow.
  const Want want[] = {{"konfirmasi", 2, 2, 0},      {"diterima_opd", 1, 2, 1}, {"koordinasi", 1, 2, 1},
                       {"ditindaklanjuti", 1, 2, 1}, {"selesai", 1, 2, 1},      {"total", 1, 2, 1}};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(recap_.sla[i].stage, want[i].stage);
    EXPECT_EQ(recap_.sla[i].met, want[i].met) << want[i].stage;
    EXPECT_EQ(recap_.sla[i].late, want[i].late) << want[i].stage;
    EXPECT_EQ(recap_.sla[i].open, want[i].open) << want[i].stage;
  }
  EXPECT_EQ(recap_.sla[0].limit_ms, 15 * kMinute);
  EXPECT_EQ(recap_.sla[4].limit_ms, 30 * kMinute);
  EXPECT_EQ(recap_.sla[5].limit_ms, 135 * kMinute);
}

TEST_F(RecapStoreTest, TopLocations) {
  ASSERT_EQ(recap_.top_locations.size(), 5u);
  auto at = [&](size_t i) {
    const auto& l = recap_.top_locations[i];
    return l.kecamatan + "/" + l.desa.value_or("-") + "=" + std::to_string(l.count);
  };
  EXPECT_EQ(at(0), "Kroya/Pesanggrahan=3");  // d1 d2 d6
  EXPECT_EQ(at(1), "Cilacap Selatan/Tegalkamulyan=2");
  EXPECT_EQ(at(2), "Kesugihan/-=1");
  EXPECT_EQ(at(3), "Kesugihan/Kuwasen=1");
  EXPECT_EQ(at(4), "Kroya/-=1");
}

TEST_F(RecapStoreTest, DailyTrendInWibDays) {
  ASSERT_EQ(recap_.daily.size(), 30u);
  EXPECT_EQ(recap_.daily.front().date, "2026-11-01");
  EXPECT_EQ(recap_.daily.back().date, "2026-11-30");
  std::vector<int64_t> captured, confirmed;
  for (const auto& d : recap_.daily) {
    captured.push_back(d.captured);
    confirmed.push_back(d.confirmed);
  }
  std::vector<int64_t> want_captured(30, 0), want_confirmed(30, 0);
  want_captured[0] = 1;  // d1
  want_captured[1] = 1;  // d2
  want_captured[2] = 1;  // d3
  want_captured[3] = 2;  // d5 d6
  want_captured[4] = 2;  // d7 d8
  want_captured[5] = 1;  // d9
  want_captured[29] = 1;  // d4
  want_confirmed[0] = 2;  // d1 and "sebelum" (captured in October)
  want_confirmed[1] = 1;
  want_confirmed[2] = 1;
  want_confirmed[29] = 1;
  EXPECT_EQ(captured, want_captured);
  EXPECT_EQ(confirmed, want_confirmed);
}

TEST_F(RecapStoreTest, OctoberHasOnlyTheDraftBeforeTheBoundary) {
  auto r = store_->MonthlyRecap(*ParseRecapMonth("2026-10"), SopLimits{}, kRecapNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->totals.total, 1);
  EXPECT_EQ(r->daily.back().captured, 1);   // 31 Oct
  EXPECT_EQ(r->daily.back().confirmed, 0);  // confirmed on 1 Nov
  auto dec = store_->MonthlyRecap(*ParseRecapMonth("2026-12"), SopLimits{}, kRecapNow);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(dec->totals.total, 1);
  EXPECT_EQ(dec->daily.front().captured, 1);
  EXPECT_EQ(dec->daily.front().confirmed, 1);
}

}  // namespace
}  // namespace sambat::db
