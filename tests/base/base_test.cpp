#include <gtest/gtest.h>

#include <cstdlib>

#include "base/clock.h"
#include "base/duration.h"
#include "base/secret.h"
#include "base/sop_clock.h"
#include "base/status.h"
#include "tests/support/temp_dir.h"

namespace sambat {
namespace {

using std::chrono::milliseconds;

TEST(Status, OkAndErrorsCarryCodeAndMessage) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = Status::NotFound("no such draft");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "NOT_FOUND: no such draft");
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Status::InvalidArgument("x");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(Duration, ParsesOperatorForms) {
  struct Case {
    const char* text;
    int64_t ms;
  } cases[] = {{"500ms", 500}, {"2s", 2000},      {"90s", 90'000}, {"5m", 300'000},
               {"2h", 7'200'000}, {"1h30m", 5'400'000}, {"90d", 7'776'000'000}, {"0s", 0}};
  for (const auto& c : cases) {
    auto d = ParseDuration(c.text);
    ASSERT_TRUE(d.ok()) << c.text;
    EXPECT_EQ(d->count(), c.ms) << c.text;
  }
}

TEST(Duration, RejectsNonsense) {
  for (const char* t : {"", "5", "m", "5q", "-5s", "5 m", "1.5h", "99999999999999999999d"}) {
    EXPECT_FALSE(ParseDuration(t).ok()) << t;
  }
}

TEST(Duration, FormatsRoundTrip) {
  EXPECT_EQ(FormatDuration(milliseconds(300'000)), "5m");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1500ms");
  EXPECT_EQ(FormatDuration(milliseconds(7'200'000)), "2h");
}

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(FromUnixMillis(1'000));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 1'000);
  clock.Advance(milliseconds(250));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 1'250);
}

TEST(Secret, ReadsFileAndStripsNewline) {
  testing::TempDir dir;
  std::string path = dir.Write("token", "s3cret\n", 0600);
  std::vector<std::string> warnings;
  auto s = ReadSecretFile(path, &warnings);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->Reveal(), "s3cret");
  EXPECT_TRUE(warnings.empty());
}

TEST(Secret, WarnsWhenReadableByOthers) {
  testing::TempDir dir;
  std::string path = dir.Write("token", "s3cret", 0644);
  std::vector<std::string> warnings;
  auto s = ReadSecretFile(path, &warnings);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("chmod 600"), std::string::npos);
  EXPECT_EQ(warnings[0].find("s3cret"), std::string::npos);  // never the value itself
}

TEST(Secret, BareNameIsLookedUpInCredentialsDirectory) {
  testing::TempDir dir;
  dir.Write("x-bearer", "from-systemd", 0400);
  ::setenv("CREDENTIALS_DIRECTORY", dir.path().c_str(), 1);
  auto s = ReadSecretFile("x-bearer", nullptr);
  ::unsetenv("CREDENTIALS_DIRECTORY");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->Reveal(), "from-systemd");
}

TEST(Secret, MissingAndEmptyFilesAreErrors) {
  testing::TempDir dir;
  EXPECT_EQ(ReadSecretFile(dir.File("nope"), nullptr).status().code(), StatusCode::kNotFound);
  std::string empty = dir.Write("empty", "\n");
  EXPECT_EQ(ReadSecretFile(empty, nullptr).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sambat

// The SOP's clock, with times in minutes after capture.
namespace sambat {
namespace {

constexpr int64_t kMin = 60'000;

TEST(SopClock, OnTimeAllTheWay) {
  auto t = ComputeSopTimeline(0, 10 * kMin,
                              {{"diterima_opd", 20 * kMin}, {"koordinasi", 30 * kMin}, {"ditindaklanjuti", 80 * kMin},
                               {"selesai", 100 * kMin}},
                              SopLimits{}, 200 * kMin);
  ASSERT_EQ(t.stages.size(), 5u);
  for (const auto& s : t.stages) EXPECT_FALSE(s.late) << s.stage;
  EXPECT_EQ(t.stages[0].due_ms, 15 * kMin);
  EXPECT_EQ(t.stages[1].due_ms, 25 * kMin);   // 15 after the confirmation at 10
  EXPECT_EQ(t.stages[3].due_ms, 90 * kMin);   // 60 after koordinasi at 30
  EXPECT_EQ(t.stages[4].due_ms, 110 * kMin);  // 15 + 15 after 80
  EXPECT_EQ(t.total_due_ms, 135 * kMin);
  EXPECT_FALSE(t.total_late);
  EXPECT_FALSE(t.overdue_stage);
}

TEST(SopClock, WaitingPastTheStepsLimitIsOverdueAtThatStep) {
  auto t = ComputeSopTimeline(0, 10 * kMin, {{"diterima_opd", 20 * kMin}}, SopLimits{}, 40 * kMin);
  EXPECT_FALSE(t.stages[1].late);
  EXPECT_TRUE(t.stages[2].late);  // koordinasi due at 35
  EXPECT_EQ(t.overdue_stage, "koordinasi");
  EXPECT_FALSE(t.total_late);
  EXPECT_TRUE(ComputeSopTimeline(0, 10 * kMin, {{"diterima_opd", 20 * kMin}}, SopLimits{}, 136 * kMin).total_late);
}

TEST(SopClock, UnconfirmedIsOverdueAtAdminUtamaAfterFifteenMinutes) {
  EXPECT_FALSE(ComputeSopTimeline(0, std::nullopt, {}, SopLimits{}, 14 * kMin).overdue_stage);
  EXPECT_EQ(ComputeSopTimeline(0, std::nullopt, {}, SopLimits{}, 16 * kMin).overdue_stage, "konfirmasi");
  auto late = ComputeSopTimeline(0, 20 * kMin, {}, SopLimits{}, 21 * kMin);
  EXPECT_TRUE(late.stages[0].late);  // confirmed, but after 15 minutes
  EXPECT_FALSE(late.overdue_stage);  // diterima_opd is due at 35
}

TEST(SopClock, ReturnedByOpdRestartsAdminUtamasStepButNotTheTotal) {
  auto t = ComputeSopTimeline(0, 10 * kMin, {{"dikembalikan_opd", 30 * kMin}}, SopLimits{}, 40 * kMin);
  EXPECT_FALSE(t.stages[0].done_ms);            // awaiting a new confirmation
  EXPECT_EQ(t.stages[0].due_ms, 45 * kMin);     // 15 from the return
  EXPECT_FALSE(t.overdue_stage);
  EXPECT_EQ(t.total_due_ms, 135 * kMin);
}

TEST(SopClock, ASkippedReportIsImpliedByALaterOne) {
  auto t = ComputeSopTimeline(0, 10 * kMin, {{"koordinasi", 20 * kMin}}, SopLimits{}, 30 * kMin);
  EXPECT_EQ(t.stages[1].done_ms, 20 * kMin);  // diterima_opd implied
  EXPECT_FALSE(t.overdue_stage);
}

TEST(SopClock, LimitsComeFromConfiguration) {
  SopLimits l;
  l.admin_utama = 5 * kMin;
  EXPECT_EQ(ComputeSopTimeline(0, std::nullopt, {}, l, 6 * kMin).overdue_stage, "konfirmasi");
}

}  // namespace
}  // namespace sambat
