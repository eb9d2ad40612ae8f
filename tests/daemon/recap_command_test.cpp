// `sambatd recap` as a process, on the seeded month of tests/db/recap_seed.h.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/db/recap_seed.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace sambat::daemon {
namespace {

class RecapCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      FakeClock clock(FromUnixMillis(db::testing::kNovStart));
      auto store = db::SqliteStore::Open(dir_.File("sambatd.db"), &clock);
      ASSERT_TRUE(store.ok());
      db::testing::RecapSeeder(store->get(), &clock).SeedNovember();
    }
    config_ = dir_.Write("sambatd.yaml", "database: sambatd.db\nrules: " SAMBAT_SOURCE_DIR "/rules\nhttp:\n  listen: 127.0.0.1:0\n");
  }
  std::unique_ptr<sambat::testing::Subprocess> Run(std::vector<std::string> args) {
    std::vector<std::string> argv = {SAMBATD_BINARY, "--config", config_, "recap"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto p = std::make_unique<sambat::testing::Subprocess>(argv, dir_.File("out" + std::to_string(n_++)));
    status_ = sambat::testing::RunToEnd(*p);
    return p;
  }
  sambat::testing::TempDir dir_;
  std::string config_;
  int n_ = 0;
  int status_ = -1;
};

TEST_F(RecapCommandTest, JsonToStdout) {
  auto p = Run({"--month", "2026-11", "--format", "json"});
  ASSERT_EQ(status_, 0) << p->Stderr();
  const std::string out = p->Stdout();
  EXPECT_NE(out.find(R"("totals":{"total":9,"pending":2,"confirmed":4,"returned":1,"rejected":1,"duplicate":1})"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(R"("median_ms":900000,"p90_ms":1620000)"), std::string::npos) << out;
}

TEST_F(RecapCommandTest, CsvAndXlsxToFilesWithOpdNamesFromTheRules) {
  const std::string csv = dir_.File("rekap.csv");
  auto p = Run({"--month", "2026-11", "--output", csv});
  ASSERT_EQ(status_, 0) << p->Stderr();
  std::ifstream in(csv);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("Aduan tertangkap,9\r\n"), std::string::npos);
  EXPECT_NE(text.str().find("DPUPR,Dinas Pekerjaan Umum"), std::string::npos) << text.str().substr(0, 2000);
  EXPECT_NE(p->Stderr().find("ditulis ke " + csv), std::string::npos);

  const std::string xlsx = dir_.File("rekap.xlsx");
  auto x = Run({"--month", "2026-11", "--format", "xlsx", "-o", xlsx});
  ASSERT_EQ(status_, 0) << x->Stderr();
  std::ifstream bin(xlsx, std::ios::binary);
  char sig[4] = {};
  bin.read(sig, 4);
  EXPECT_EQ(std::string(sig, 4), std::string("PK\x03\x04", 4));
}

TEST_F(RecapCommandTest, BadMonthFormatAndMissingOutputAreUsageErrors) {
  auto month = Run({"--month", "11-2026"});
  EXPECT_EQ(status_, 2);
  EXPECT_NE(month->Stderr().find("Bulan \"11-2026\" tidak sah"), std::string::npos) << month->Stderr();
  EXPECT_NE(month->Stderr().find("YYYY-MM"), std::string::npos);
  EXPECT_TRUE(month->Stdout().empty());
  auto none = Run({});
  EXPECT_EQ(status_, 2);
  EXPECT_NE(none->Stderr().find("misalnya 2026-11"), std::string::npos);
  auto format = Run({"--month", "2026-11", "--format", "pdf"});
  EXPECT_EQ(status_, 2);
  auto xlsx = Run({"--month", "2026-11", "--format", "xlsx"});
  EXPECT_EQ(status_, 2);
  EXPECT_NE(xlsx->Stderr().find("--output"), std::string::npos);
  EXPECT_TRUE(xlsx->Stdout().empty());
}

}  // namespace
}  // namespace sambat::daemon
