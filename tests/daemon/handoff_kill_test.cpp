// The real daemon delivers confirmed drafts to our fake pipeline and is SIGKILLed between
// sending and marking, and at random moments: every draft arrives, and the pipeline processes
// each idempotency key exactly once.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>

#include "base/clock.h"
#include "db/sqlite_store.h"
#include "tests/db/store_test_util.h"
#include "tests/support/db_scalar.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"
#include "tools/fake_sink/fake_sink.h"

namespace sambat::daemon {
namespace {

using namespace std::chrono_literals;

using sambat::testing::Scalar;
using sambat::testing::WaitFor;

TEST(HandoffKill, KilledBetweenSendingAndMarkingDeliversEachKeyOnce) {
  sambat::testing::TempDir dir;
  sambat::testing::FakeSink sink;
  ASSERT_TRUE(sink.Start());
  constexpr int kDrafts = 30;
  const std::string db = dir.File("sambatd.db");
  {
    SystemClock clock;
    auto store = db::SqliteStore::Open(db, &clock);
    ASSERT_TRUE(store.ok());
    db::IngestBatch batch;
    for (int i = 0; i < kDrafts; ++i) {
      auto item = db::testing::MakeItem("k" + std::to_string(i), true);
      item.draft->alamat = "Jl. Kroya " + std::to_string(i);
      batch.items.push_back(item);
    }
    ASSERT_TRUE((*store)->Ingest(batch).ok());
    for (int id = 1; id <= kDrafts; ++id) {
      ASSERT_TRUE((*store)->Decide({.draft_id = id, .version = 1, .actor = "admin"}).ok());
    }
  }
  dir.Write("sink.token", "sink-token");
  const std::string config = dir.Write(
      "sambatd.yaml", "database: sambatd.db\nrules: " SAMBAT_SOURCE_DIR
                      "/rules\nhttp: {listen: '127.0.0.1:0'}\nlog: {level: warn}\n"
                      "handoff: {sink: http-json, url: '" + sink.url() + "', token_file: sink.token, timeout: 20s}\n");
  auto delivered = [&] { return Scalar(db, "SELECT count(*) FROM outbox WHERE status = 'delivered'"); };

  // Round 1: the pipeline processes the first delivery, then hangs; the daemon dies waiting.
  sink.QueueFault({.delay = 3s, .process_then_hang = true});
  {
    sambat::testing::Subprocess d({SAMBATD_BINARY, "--config", config, "run"}, dir.File("run0"));
    ASSERT_TRUE(WaitFor([&] { return sink.processed().size() == 1; }, 20s)) << d.Stderr();
    d.Signal(SIGKILL);
    d.Wait(5s);
  }
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM outbox WHERE status = 'sending'"), 1);

  // More rounds killed at random moments while every answer takes a little while.
  std::mt19937 rng(7);
  for (int round = 1; round <= 6; ++round) {
    for (int i = 0; i < 20; ++i) sink.QueueFault({.status = 0, .delay = 30ms, .process_then_hang = true});
    sambat::testing::Subprocess d({SAMBATD_BINARY, "--config", config, "run"}, dir.File("run" + std::to_string(round)));
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 300));
    d.Signal(SIGKILL);
    d.Wait(5s);
  }

  // A last run drains the rest.
  {
    sambat::testing::Subprocess d({SAMBATD_BINARY, "--config", config, "run"}, dir.File("final"));
    EXPECT_TRUE(WaitFor([&] { return delivered() == kDrafts; }, 60s))
        << delivered() << " delivered; " << d.Stderr();
    d.Signal(SIGTERM);
    EXPECT_EQ(d.Wait(15s), 0);
  }
  const auto keys = sink.processed();
  EXPECT_EQ(keys.size(), static_cast<size_t>(kDrafts));
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), keys.size());
  EXPECT_GT(sink.requests(), kDrafts);  // the interrupted ones were sent again (and got 409)
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM outbox WHERE external_ref IS NULL"), 0);
}

}  // namespace
}  // namespace sambat::daemon
