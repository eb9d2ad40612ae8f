// The real daemon ingesting from the fake platform server is SIGKILLed again and again.
// At the end every post is stored exactly once and the drafts match the classifications.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "classifier/rules_loader.h"
#include "db/sqlite.h"
#include "tests/support/db_scalar.h"
#include "tests/support/snowflake.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tools/fake_platform/fake_platform.h"

namespace sambat::daemon {
namespace {

using namespace std::chrono_literals;

using sambat::testing::Scalar;

TEST(DaemonKill, SigkillWhileIngestingLosesAndDuplicatesNothing) {
  sambat::testing::TempDir dir;
  boost::asio::io_context ioc{1};
  fake::FakePlatform::Options o;
  o.page_size = 20;
  o.x_rate_limit = 1'000'000;  // each restart re-reads the backlog; X's real 450/15 min would pause it
  fake::FakePlatform fake(ioc, o);
  ASSERT_TRUE(fake.LoadJsonl(SAMBAT_SOURCE_DIR "/tools/fake_platform/data/feed.jsonl").ok());
  // More X mentions, so that kills land in the middle of paging and storing.
  const int64_t base = 1'764'000'000'000;
  for (int i = 0; i < 3000; ++i) {
    fake::FeedItem f;
    f.platform = "x";
    f.endpoint = "mentions";
    f.created_at = base + i * 1000;
    f.id = sambat::testing::Snowflake(f.created_at);
    f.text = i % 3 ? "selamat pagi cilacap, semoga sehat selalu " + std::to_string(i)
                   : "jalan desa Kepudang rusak parah nomor " + std::to_string(i) + ", tolong diperbaiki";
    f.author_id = "7" + std::to_string(i);
    fake.Add(f);
  }
  ASSERT_TRUE(fake.Start().ok());
  std::thread server([&] { ioc.run(); });

  dir.Write("t.token", "t");
  const std::string config = dir.Write(
      "sambatd.yaml",
      "database: sambatd.db\nrules: " SAMBAT_SOURCE_DIR "/rules\nhttp: {listen: '127.0.0.1:0'}\nlog: {level: warn}\n"
      "sources:\n"
      "  x: {enabled: true, base_url: '" + fake.base_url() + "', user_id: '1234567890', bearer_token_file: t.token, search_query: cilacap, poll_interval: 1s}\n"
      "  facebook: {enabled: true, base_url: '" + fake.base_url() + "/v25.0', page_id: '100064512345678', access_token_file: t.token, poll_interval: 1s}\n"
      "  instagram: {enabled: true, base_url: '" + fake.base_url() + "/v25.0', user_id: '17841400000000001', access_token_file: t.token, poll_interval: 1s}\n");
  const std::string db = dir.File("sambatd.db");

  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> delay(30, 600);
  // Everything the fake serves (all but Instagram's own media, whose comments are read).
  int64_t expected = static_cast<int64_t>(fake.size()) - 6;
  int killed_before_done = 0;
  int64_t next_ms = 1'800'000'000'000;  // after every post of the feed: new posts get higher ids
  for (int round = 0; round < 12; ++round) {
    // New mentions arrive between runs, so every run has work to be killed in.
    for (int i = 0; i < 200; ++i, next_ms += 1000) {
      fake::FeedItem f;
      f.platform = "x";
      f.endpoint = "mentions";
      f.created_at = next_ms;
      f.id = sambat::testing::Snowflake(f.created_at);
      f.text = "lampu PJU mati di desa Kepudang nomor " + std::to_string(next_ms) + ", tolong diperbaiki";
      f.author_id = "8" + std::to_string(i);
      fake.Add(f);
    }
    expected += 200;
    sambat::testing::Subprocess p({SAMBATD_BINARY, "--config", config, "run"}, dir.File("run" + std::to_string(round)));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay(rng)));
    p.Signal(SIGKILL);
    ASSERT_TRUE(p.Wait(10s).has_value());
    if (Scalar(db, "SELECT count(*) FROM posts") < expected) ++killed_before_done;
    ASSERT_EQ(Scalar(db, "PRAGMA quick_check") == -1, false);
  }
  // Let it finish (a first poll stores its posts only once every page is read).
  sambat::testing::Subprocess last({SAMBATD_BINARY, "--config", config, "run"}, dir.File("final"));
  for (int i = 0; i < 600 && Scalar(db, "SELECT count(*) FROM posts") < expected; ++i) std::this_thread::sleep_for(100ms);
  std::this_thread::sleep_for(1500ms);  // one more round of polls: nothing new may appear
  last.Signal(SIGTERM);
  EXPECT_EQ(last.Wait(10s), 0) << last.Stderr();

  boost::asio::post(ioc, [&] { fake.Stop(); });
  server.join();

  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM posts"), expected) << last.Stderr();
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM (SELECT platform, platform_id FROM posts GROUP BY 1, 2 HAVING count(*) > 1)"), 0);
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM classifications"), expected);
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM drafts"), Scalar(db, "SELECT count(*) FROM classifications WHERE is_complaint = 1"));
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM drafts d JOIN classifications c ON c.post_id = d.post_id WHERE c.is_complaint = 0"), 0);
  EXPECT_EQ(Scalar(db, "PRAGMA integrity_check") == -1, false);
  // The 1,000 synthetic complaints are all drafts (the shipped rules catch that wording).
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM drafts d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE '%Kepudang rusak parah nomor%'"), 1000);
  std::cout << killed_before_done << " of 12 kills landed before everything was stored\n";
  EXPECT_GT(killed_before_done, 0) << "no kill landed while ingesting; the test proved nothing";
}

}  // namespace
}  // namespace sambat::daemon
