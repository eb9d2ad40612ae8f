// A child ingests batches and is SIGKILLed at random moments, many times. After every kill
// the database must open, pass integrity_check, hold every committed batch exactly once, and
// its cursor must never be ahead of the posts it covers.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>

#include "db/sqlite.h"
#include "tests/support/temp_dir.h"

namespace sambat::db {
namespace {

constexpr int kBatchSize = 20;

int64_t Scalar(Connection& conn, const std::string& sql) {
  auto st = conn.Prepare(sql);
  EXPECT_TRUE(st.ok()) << st.status().ToString();
  if (!st.ok() || !(*st)->Step()) return -1;
  int64_t v = (*st)->Int(0);
  (*st)->Reset();
  return v;
}

TEST(CrashConsistency, SigkillDuringIngestLosesAndDuplicatesNothing) {
  sambat::testing::TempDir dir;
  const std::string db = dir.File("crash.db");
  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(2, 60);
  SCOPED_TRACE("seed " + std::to_string(seed));

  int64_t last_cursor = -1;
  int kills_after_commit = 0;
  for (int round = 0; round < 40; ++round) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      execl(SAMBAT_INGEST_CHILD, SAMBAT_INGEST_CHILD, db.c_str(), std::to_string(kBatchSize).c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(round == 0 ? 150 : delay_ms(rng)));
    kill(pid, SIGKILL);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited by itself, status " << WEXITSTATUS(wstatus);

    auto conn = Connection::Open(db);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    auto ic = conn->Prepare("PRAGMA integrity_check");
    ASSERT_TRUE((*ic)->Step());
    ASSERT_EQ((*ic)->Text(0), "ok") << "round " << round;
    (*ic)->Reset();

    const int64_t posts = Scalar(*conn, "SELECT count(*) FROM posts");
    if (Scalar(*conn, "SELECT count(*) FROM sqlite_master WHERE name = 'cursors'") == 0) continue;
    const int64_t cursor = Scalar(*conn, "SELECT coalesce(max(CAST(cursor AS INTEGER)), -1) FROM cursors");
    // Every batch 0..cursor stored exactly once, nothing beyond the cursor.
    ASSERT_EQ(posts, (cursor + 1) * kBatchSize) << "round " << round;
    ASSERT_EQ(Scalar(*conn, "SELECT count(*) FROM drafts"), (cursor + 1) * kBatchSize / 2);
    ASSERT_EQ(Scalar(*conn, "SELECT count(*) FROM classifications"), posts);
    ASSERT_EQ(Scalar(*conn, "SELECT count(*) FROM posts p LEFT JOIN classifications c ON c.post_id = p.id"
                            " WHERE c.post_id IS NULL"), 0);
    ASSERT_GE(cursor, last_cursor) << "the cursor went backwards";
    if (cursor > last_cursor) ++kills_after_commit;
    last_cursor = cursor;
  }
  // The test means something only if the child really got work done between kills.
  EXPECT_GT(last_cursor, 40);
  EXPECT_GT(kills_after_commit, 20);
}

}  // namespace
}  // namespace sambat::db
