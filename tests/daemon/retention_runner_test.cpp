// The daily purge's timing (pure) and the runner against a real store with a fake clock.
#include <gtest/gtest.h>

#include "daemon/retention_commands.h"
#include "daemon/retention_runner.h"
#include "db/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace sambat::daemon {
namespace {

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
// 2025-11-24 00:00 WIB (2025-11-23 17:00 UTC).
constexpr int64_t kMidnightWib = 1'763'917'200'000;
constexpr int kAt0230 = 150;

TEST(NextPurgeAt, IsTheNextPurgeTimeInWib) {
  struct Case {
    int64_t now;
    int64_t want;
  } cases[] = {
      {kMidnightWib, kMidnightWib + 2 * kHour + 30 * 60'000},                       // later today
      {kMidnightWib + 2 * kHour + 30 * 60'000, kMidnightWib + kDay + 150 * 60'000},  // exactly then: tomorrow
      {kMidnightWib + 23 * kHour, kMidnightWib + kDay + 150 * 60'000},               // 23:00 WIB
      {kMidnightWib - 1, kMidnightWib + 150 * 60'000},                               // 23:59:59.999 the day before
  };
  for (const auto& c : cases) EXPECT_EQ(NextPurgeAt(c.now, kAt0230), c.want) << c.now;
  EXPECT_EQ(NextPurgeAt(kMidnightWib + 10 * kHour, 0), kMidnightWib + kDay);
}

TEST(FirstPurgeAt, RunsAtOnceWhenADailyPurgeWasMissed) {
  const int64_t now = kMidnightWib + 10 * kHour;
  EXPECT_EQ(FirstPurgeAt(now, std::nullopt, kAt0230), now);
  EXPECT_EQ(FirstPurgeAt(now, now - kDay - 1, kAt0230), now);
  EXPECT_EQ(FirstPurgeAt(now, now - 8 * kHour, kAt0230), NextPurgeAt(now, kAt0230));
}

TEST(FormatCount, SeparatesThousandsWithDots) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1234), "1.234");
  EXPECT_EQ(FormatCount(1234567), "1.234.567");
}

TEST(RetentionRunner, PurgesWhenDueByTheClockAndOncePerDay) {
  sambat::testing::TempDir dir;
  FakeClock clock(FromUnixMillis(kMidnightWib + kHour));  // 01:00 WIB
  auto store = db::SqliteStore::Open(dir.File("sambatd.db"), &clock);
  ASSERT_TRUE(store.ok());
  db::IngestItem old_post;
  old_post.post.platform = "x";
  old_post.post.platform_id = "1";
  old_post.post.text = "selamat pagi";
  ASSERT_TRUE((*store)->Ingest({.items = {old_post}, .cursor = std::nullopt}).ok());
  clock.Advance(std::chrono::milliseconds(2 * kDay));

  RetentionRunner runner(store->get(), &clock,
                         {.policy = {.non_complaint_posts_ms = kDay, .rejected_drafts_ms = kDay, .webhook_events_ms = kDay},
                          .purge_minute = kAt0230});
  runner.Restore();  // never purged before: due now
  EXPECT_TRUE(runner.RunIfDue());
  EXPECT_EQ(*(*store)->CountPosts(), 0);
  EXPECT_EQ(runner.next_at(), kMidnightWib + 2 * kDay + 150 * 60'000);
  EXPECT_FALSE(runner.RunIfDue());
  clock.Advance(std::chrono::milliseconds(90 * 60'000 - 1));  // 02:29:59.999
  EXPECT_FALSE(runner.RunIfDue());
  clock.Advance(std::chrono::milliseconds(1));
  EXPECT_TRUE(runner.RunIfDue());
  EXPECT_EQ(*(*store)->LastPurgeAt(), std::optional<int64_t>(kMidnightWib + 2 * kDay + 150 * 60'000));

  // A restart the same day waits for tomorrow's purge time.
  RetentionRunner restarted(store->get(), &clock, {.policy = {kDay, kDay, kDay}, .purge_minute = kAt0230});
  restarted.Restore();
  EXPECT_EQ(restarted.next_at(), kMidnightWib + 3 * kDay + 150 * 60'000);
}

}  // namespace
}  // namespace sambat::daemon
