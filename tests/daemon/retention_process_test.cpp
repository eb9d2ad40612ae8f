// The retention commands against the real sambatd binary: restore refused while a daemon holds
// the database and allowed once it stopped; one daemon per database; erase needs --yes.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/clock.h"
#include "db/sqlite_store.h"
#include "tests/db/store_test_util.h"
#include "tests/support/db_scalar.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace sambat::daemon {
namespace {

using namespace std::chrono_literals;
using sambat::testing::Scalar;
using sambat::testing::Subprocess;

class RetentionProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::copy(SAMBAT_SOURCE_DIR "/rules", dir_.File("rules"), std::filesystem::copy_options::recursive);
    port_ = sambat::testing::FreePort();
    config_ = dir_.Write("sambatd.yaml", "database: sambatd.db\nrules: rules\nhttp:\n  listen: 127.0.0.1:" +
                                             std::to_string(port_) + "\nretention:\n  non_complaint_posts: 30d\n");
  }
  std::unique_ptr<Subprocess> Start(std::vector<std::string> args, const std::string& name) {
    std::vector<std::string> argv = {SAMBATD_BINARY, "--config", config_};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<Subprocess>(argv, dir_.File(name));
  }
  int Run(std::vector<std::string> args, const std::string& name) {
    auto p = Start(std::move(args), name);
    last_ = sambat::testing::RunToEnd(*p);
    out_ = p->Stdout();
    err_ = p->Stderr();
    return last_;
  }
  bool WaitServing(Subprocess& p) {
    for (int i = 0; i < 500 && p.Running(); ++i) {
      if (sambat::testing::HttpGet(port_, "/healthz").status == 200) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  int64_t Users(const std::string& db, const std::string& name) {
    return Scalar(db, "SELECT count(*) FROM users WHERE username = '" + name + "'");
  }
  std::string Db() const { return dir_.File("sambatd.db"); }

  sambat::testing::TempDir dir_;
  uint16_t port_ = 0;
  std::string config_;
  int last_ = -1;
  std::string out_, err_;
};

TEST_F(RetentionProcessTest, RestoreIsRefusedWhileTheDaemonRunsAndWorksOnceItStopped) {
  auto daemon = Start({"run"}, "run");
  ASSERT_TRUE(WaitServing(*daemon)) << daemon->Stderr();
  const std::string pw = dir_.Write("pw", "kata-sandi-panjang\n", 0600);
  ASSERT_EQ(Run({"user", "add", "siti", "--role", "admin_utama", "--password-file", pw}, "add1"), 0) << err_;
  const std::string backup = dir_.File("cadangan.db");
  ASSERT_EQ(Run({"backup", backup}, "backup"), 0) << err_;
  ASSERT_EQ(Run({"user", "add", "budi", "--role", "viewer", "--password-file", pw}, "add2"), 0) << err_;

  // The daemon holds the database: refused, and nothing changed.
  EXPECT_EQ(Run({"restore", backup}, "restore1"), 1);
  EXPECT_NE(err_.find("sedang berjalan"), std::string::npos) << err_;
  EXPECT_EQ(Users(Db(), "budi"), 1);
  // A second daemon on the same database does not start either.
  auto second = Start({"run"}, "run2");
  EXPECT_EQ(second->Wait(20s), 1);
  EXPECT_NE(second->Stderr().find("another sambatd"), std::string::npos) << second->Stderr();
  EXPECT_TRUE(daemon->Running());

  daemon->Signal(SIGTERM);
  ASSERT_EQ(daemon->Wait(10s), 0);
  ASSERT_EQ(Run({"restore", backup}, "restore2"), 0) << err_;
  EXPECT_NE(out_.find("dipulihkan dari " + backup), std::string::npos) << out_;
  EXPECT_EQ(Users(Db(), "siti"), 1);
  EXPECT_EQ(Users(Db(), "budi"), 0);  // made after the backup
  // The old database is kept beside it, whole.
  std::string kept;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
    const std::string name = e.path().filename().string();
    if (name.rfind("sambatd.db.before-restore-", 0) == 0 && name.find("-wal") == std::string::npos &&
        name.find("-shm") == std::string::npos) {
      kept = e.path().string();
    }
  }
  ASSERT_FALSE(kept.empty());
  EXPECT_EQ(Users(kept, "budi"), 1);
  EXPECT_FALSE(std::filesystem::exists(Db() + ".restore-tmp"));

  // And the daemon starts on the restored database.
  auto again = Start({"run"}, "run3");
  ASSERT_TRUE(WaitServing(*again)) << again->Stderr();
  again->Signal(SIGTERM);
  EXPECT_EQ(again->Wait(10s), 0);
}

TEST_F(RetentionProcessTest, RestoreKeepsErasuresMadeAfterTheBackup) {
  {
    SystemClock clock;
    auto store = db::SqliteStore::Open(Db(), &clock);
    ASSERT_TRUE(store.ok());
    auto erased = db::testing::MakeItem("x1", true);
    erased.post.author_id = "777";
    auto kept = db::testing::MakeItem("x2", true);
    kept.post.author_id = "555";
    ASSERT_TRUE((*store)->Ingest({.items = {erased, kept}, .cursor = std::nullopt}).ok());
  }
  const std::string backup = dir_.File("cadangan-lama.db");
  ASSERT_EQ(Run({"backup", backup}, "backup"), 0) << err_;
  ASSERT_EQ(Run({"subject", "erase", "--platform", "x", "--author", "777", "--yes"}, "erase"), 0) << err_;
  ASSERT_EQ(Scalar(Db(), "SELECT count(*) FROM posts WHERE author_id = '777'"), 0);

  ASSERT_EQ(Run({"restore", backup}, "restore"), 0) << err_;
  EXPECT_NE(out_.find("dihapus lagi"), std::string::npos) << out_;
  EXPECT_EQ(Scalar(Db(), "SELECT count(*) FROM posts WHERE author_id = '777'"), 0);
  EXPECT_EQ(Scalar(Db(), "SELECT count(*) FROM posts WHERE author_id = '555'"), 1);
  EXPECT_EQ(Scalar(Db(), "SELECT count(*) FROM erased_subjects"), 1);
  EXPECT_EQ(Scalar(Db(), "SELECT count(*) FROM audit_log WHERE action = 'subject_erase' AND actor = 'restore'"), 1);
}

TEST_F(RetentionProcessTest, RestoreRefusesWhatIsNotAWholeSambatdDatabase) {
  ASSERT_EQ(Run({"purge", "--dry-run"}, "create"), 0) << err_;  // creates the database
  const int64_t tables = Scalar(Db(), "SELECT count(*) FROM sqlite_master");
  const std::string garbage = dir_.Write("rusak.db", std::string(8192, 'x'));
  EXPECT_EQ(Run({"restore", garbage}, "r1"), 1);
  EXPECT_NE(err_.find("ditolak"), std::string::npos) << err_;
  {
    auto other = db::Connection::Open(dir_.File("lain.db"));
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(other->Exec("CREATE TABLE t (x); PRAGMA user_version = 1").ok());
  }
  EXPECT_EQ(Run({"restore", dir_.File("lain.db")}, "r2"), 1);
  EXPECT_NE(err_.find("bukan basis data sambatd"), std::string::npos) << err_;
  EXPECT_EQ(Run({"restore", dir_.File("tidak-ada.db")}, "r3"), 1);
  EXPECT_EQ(Scalar(Db(), "SELECT count(*) FROM sqlite_master"), tables);  // untouched
}

TEST_F(RetentionProcessTest, PurgeAndSubjectCommandsSpeakToTheOperatorAndAreAudited) {
  ASSERT_EQ(Run({"purge", "--dry-run"}, "dry"), 0) << err_;
  EXPECT_NE(out_.find("Akan dihapus"), std::string::npos) << out_;
  EXPECT_NE(out_.find("lebih tua dari 30 hari"), std::string::npos) << out_;
  EXPECT_EQ(Scalar(Db(), "SELECT count(*) FROM audit_log WHERE action = 'purge'"), 0);
  ASSERT_EQ(Run({"purge"}, "purge"), 0) << err_;
  EXPECT_EQ(Scalar(Db(), "SELECT count(*) FROM audit_log WHERE action = 'purge'"), 1);

  EXPECT_EQ(Run({"subject", "erase", "--platform", "x", "--author", "42"}, "erase-no"), 2);
  EXPECT_NE(err_.find("--yes"), std::string::npos) << err_;
  EXPECT_EQ(Scalar(Db(), "SELECT count(*) FROM audit_log WHERE action = 'subject_erase'"), 0);
  ASSERT_EQ(Run({"subject", "export", "--platform", "x", "--author", "42"}, "export"), 0) << err_;
  EXPECT_EQ(out_.rfind("{\"platform\":\"x\",\"author_id\":\"42\"", 0), 0u) << out_;
  ASSERT_EQ(Run({"subject", "erase", "--platform", "x", "--author", "42", "--yes"}, "erase"), 0) << err_;
  // Audited by a salted hash: the id itself is nowhere in the audit log.
  EXPECT_EQ(Scalar(Db(), "SELECT count(*) FROM audit_log WHERE action IN ('subject_export', 'subject_erase')"
                         " AND entity_id LIKE 'sha256:%' AND actor LIKE 'cli%'"),
            2);
  EXPECT_EQ(Scalar(Db(), "SELECT count(*) FROM audit_log WHERE entity_id = '42' OR after_json LIKE '%\"42\"%'"), 0);
  EXPECT_EQ(Run({"subject", "erase", "--platform", "tiktok", "--author", "42", "--yes"}, "erase-bad"), 105);
}

}  // namespace
}  // namespace sambat::daemon
