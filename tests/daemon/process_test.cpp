// The real sambatd binary, started as a process.
#include <gtest/gtest.h>

#include <sstream>

#include "db/migrations.h"
#include "db/sqlite.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace sambat::daemon {
namespace {

using namespace std::chrono_literals;
using sambat::testing::Subprocess;

class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A copy of the shipped rules, so a test may break it.
    std::filesystem::copy(SAMBAT_SOURCE_DIR "/rules", dir_.File("rules"), std::filesystem::copy_options::recursive);
    port_ = sambat::testing::FreePort();
    WriteConfig("info");
  }
  void WriteConfig(const std::string& level) {
    config_ = dir_.Write("sambatd.yaml", "database: sambatd.db\nrules: rules\nhttp:\n  listen: 127.0.0.1:" +
                                             std::to_string(port_) + "\nlog:\n  level: " + level + "\n");
  }
  std::unique_ptr<Subprocess> Start(std::vector<std::string> args, const std::string& name) {
    std::vector<std::string> argv = {SAMBATD_BINARY, "--config", config_};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<Subprocess>(argv, dir_.File(name));
  }
  // Waits until the daemon answers /healthz.
  bool WaitServing(Subprocess& p) {
    for (int i = 0; i < 500 && p.Running(); ++i) {
      if (sambat::testing::HttpGet(port_, "/healthz").status == 200) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  sambat::testing::TempDir dir_;
  uint16_t port_ = 0;
  std::string config_;
};

TEST_F(ProcessTest, CheckConfigOnAGoodFilePrintsOk) {
  auto p = Start({"check-config"}, "check");
  EXPECT_EQ(RunToEnd(*p), 0) << p->Stderr();
  EXPECT_EQ(p->Stdout(), config_ + ": OK\n");
}

TEST_F(ProcessTest, CheckConfigOnABadFileListsEveryProblemAndExits1) {
  config_ = dir_.Write("bad.yaml", "database: a.db\nrules: rules\nhttp:\n  listen: nowhere\nlog: {level: loud}\n");
  auto p = Start({"check-config"}, "check");
  EXPECT_EQ(RunToEnd(*p), 1);
  EXPECT_NE(p->Stderr().find(config_ + ":4:11: "), std::string::npos) << p->Stderr();
  EXPECT_NE(p->Stderr().find(config_ + ":5:14: "), std::string::npos) << p->Stderr();
}

TEST_F(ProcessTest, VersionAndHelpOnEverySubcommand) {
  for (const char* sub : {"run", "check-config", "backup"}) {
    auto v = Start({sub, "--version"}, std::string("v-") + sub);
    EXPECT_EQ(RunToEnd(*v), 0);
    EXPECT_NE(v->Stdout().find("sambatd 0."), std::string::npos) << sub;
    auto h = Start({sub, "--help"}, std::string("h-") + sub);
    EXPECT_EQ(RunToEnd(*h), 0);
    EXPECT_NE(h->Stdout().find("Usage"), std::string::npos) << sub;
  }
}

TEST_F(ProcessTest, SigtermStopsWithExitZero) {
  auto p = Start({"run"}, "run");
  ASSERT_TRUE(WaitServing(*p)) << p->Stderr();
  p->Signal(SIGTERM);
  auto st = p->Wait(10s);
  ASSERT_TRUE(st.has_value()) << "still running 10 s after SIGTERM";
  EXPECT_EQ(*st, 0) << p->Stderr();
  EXPECT_NE(p->Stderr().find("stopped"), std::string::npos);
}

TEST_F(ProcessTest, BackupWhileRunningIsAConsistentCopyAndNeverOverwrites) {
  auto p = Start({"run"}, "run");
  ASSERT_TRUE(WaitServing(*p)) << p->Stderr();
  // Something to copy, written through the daemon's own API while it runs.
  auto add = Start({"user", "add", "siti", "--role", "admin_utama", "--password-file",
                    dir_.Write("pw", "kata-sandi-siti\n", 0600)},
                   "add");
  ASSERT_EQ(RunToEnd(*add), 0) << add->Stderr();
  const std::string copy = dir_.File("cadangan.db");
  auto b = Start({"backup", copy}, "backup");
  ASSERT_EQ(RunToEnd(*b), 0) << b->Stderr();
  EXPECT_NE(b->Stdout().find("ditulis ke " + copy), std::string::npos);
  auto conn = db::Connection::Open(copy, {.read_only = true});
  ASSERT_TRUE(conn.ok());
  auto st = conn->Prepare("SELECT count(*) FROM users WHERE username = 'siti'");
  ASSERT_TRUE(st.ok() && (*st)->Step());
  EXPECT_EQ((*st)->Int(0), 1);
  (*st)->Reset();
  EXPECT_EQ(*db::SchemaVersion(&*conn), db::LatestSchemaVersion());
  auto again = Start({"backup", copy}, "backup2");
  EXPECT_EQ(RunToEnd(*again), 1);
  EXPECT_NE(again->Stderr().find("sudah ada"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(copy + ".tmp"));
  // A folder that does not exist: a clear failure, nothing left behind.
  auto nowhere = Start({"backup", dir_.File("tidak-ada/cadangan.db")}, "backup3");
  EXPECT_EQ(RunToEnd(*nowhere), 1);
  EXPECT_NE(nowhere->Stderr().find("tidak-ada/cadangan.db.tmp"), std::string::npos) << nowhere->Stderr();
  EXPECT_FALSE(std::filesystem::exists(dir_.File("tidak-ada")));
  p->Signal(SIGTERM);
  EXPECT_EQ(p->Wait(10s), 0);
}

TEST_F(ProcessTest, SigtermWithAnIdleKeepAliveConnectionStillStopsPromptly) {
  auto p = Start({"run"}, "run");
  ASSERT_TRUE(WaitServing(*p));
  // An idle keep-alive client must not hold the daemon up for its 30 s read timeout.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket sock(ioc);
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  std::this_thread::sleep_for(100ms);
  auto start = std::chrono::steady_clock::now();
  p->Signal(SIGTERM);
  auto st = p->Wait(10s);
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(*st, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(ProcessTest, SighupWithABrokenConfigKeepsRunningAndServing) {
  auto p = Start({"run"}, "run");
  ASSERT_TRUE(WaitServing(*p));
  dir_.Write("sambatd.yaml", "database: [broken\n");
  p->Signal(SIGHUP);
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(p->Running());
  EXPECT_EQ(sambat::testing::HttpGet(port_, "/healthz").status, 200);
  EXPECT_NE(p->Stderr().find("reload refused"), std::string::npos) << p->Stderr();

  WriteConfig("debug");  // a good file is taken on the next SIGHUP
  p->Signal(SIGHUP);
  for (int i = 0; i < 100 && p->Stderr().find("reload done") == std::string::npos; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_NE(p->Stderr().find("reload done"), std::string::npos) << p->Stderr();
  EXPECT_EQ(sambat::testing::HttpGet(port_, "/healthz").status, 200);

  p->Signal(SIGTERM);
  EXPECT_EQ(p->Wait(10s), 0);
}

TEST_F(ProcessTest, SighupWithBrokenRulesKeepsTheRunningRules) {
  auto p = Start({"run"}, "run");
  ASSERT_TRUE(WaitServing(*p)) << p->Stderr();
  dir_.Write("rules/zz-broken.yaml", "version: 1\nrules:\n  - id: x\n    kind: topic\n    opd: NOPE\n    kategori: K\n    any: [jalan]\n");
  p->Signal(SIGHUP);
  for (int i = 0; i < 100 && p->Stderr().find("reload refused") == std::string::npos; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_NE(p->Stderr().find("zz-broken.yaml:5:10: error[unknown-opd]"), std::string::npos) << p->Stderr();
  EXPECT_NE(p->Stderr().find("reload refused: the rules"), std::string::npos);
  EXPECT_EQ(sambat::testing::HttpGet(port_, "/readyz").status, 200);
  p->Signal(SIGTERM);
  EXPECT_EQ(p->Wait(10s), 0);
}

TEST_F(ProcessTest, RefusesToStartOnABadConfig) {
  config_ = dir_.Write("bad.yaml", "database: a.db\n");
  auto p = Start({"run"}, "run");
  EXPECT_EQ(RunToEnd(*p), 1);
  EXPECT_NE(p->Stderr().find("missing required key 'rules'"), std::string::npos) << p->Stderr();
}

TEST_F(ProcessTest, RefusesADatabaseFromANewerVersion) {
  {
    auto conn = db::Connection::Open(dir_.File("sambatd.db"));
    ASSERT_TRUE(conn->Exec("PRAGMA user_version=" + std::to_string(db::LatestSchemaVersion() + 5)).ok());
  }
  auto p = Start({"run"}, "run");
  EXPECT_EQ(RunToEnd(*p), 1);
  EXPECT_NE(p->Stderr().find("newer than this sambatd"), std::string::npos) << p->Stderr();
}

TEST_F(ProcessTest, RefusesAListenAddressInUse) {
  auto first = Start({"run"}, "first");
  ASSERT_TRUE(WaitServing(*first));
  // Another database (one daemon per database is enforced by its lock), the same port.
  config_ = dir_.Write("second.yaml", "database: second.db\nrules: rules\nhttp:\n  listen: 127.0.0.1:" +
                                          std::to_string(port_) + "\n");
  auto second = Start({"run"}, "second");
  EXPECT_EQ(RunToEnd(*second), 1);
  EXPECT_NE(second->Stderr().find("cannot listen on 127.0.0.1:" + std::to_string(port_)), std::string::npos)
      << second->Stderr();
  first->Signal(SIGTERM);
  EXPECT_EQ(first->Wait(10s), 0);
}

}  // namespace
}  // namespace sambat::daemon

namespace sambat::daemon {
namespace {

// The offline rule commands, on the shipped rules and on a broken copy.
class RulesCommandTest : public ::testing::Test {
 protected:
  std::unique_ptr<sambat::testing::Subprocess> Run(std::vector<std::string> args, const std::string& stdin_text = "") {
    std::vector<std::string> argv = {SAMBATD_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::string in = dir_.Write("stdin" + std::to_string(n_), stdin_text);
    auto p = std::make_unique<sambat::testing::Subprocess>(argv, dir_.File("out" + std::to_string(n_++)), in);
    RunToEnd(*p);
    return p;
  }
  sambat::testing::TempDir dir_;
  int n_ = 0;
  const std::string rules_ = SAMBAT_SOURCE_DIR "/rules";
};

TEST_F(RulesCommandTest, CheckAndTestPassOnTheShippedRules) {
  auto check = Run({"rules", "check", rules_});
  EXPECT_EQ(check->Wait(1ms), 0) << check->Stderr();
  EXPECT_NE(check->Stdout().find(": OK ("), std::string::npos);
  auto test = Run({"rules", "test", rules_});
  EXPECT_EQ(test->Wait(1ms), 0) << test->Stderr();
  EXPECT_NE(test->Stdout().find(" passed, 0 failed"), std::string::npos);
}

TEST_F(RulesCommandTest, CheckReportsABrokenFileWithPositionAndExits1) {
  std::filesystem::create_directories(dir_.File("rules"));
  for (const char* f : {"slang.yaml", "opd_codes.csv", "wilayah.csv"}) {
    std::filesystem::copy_file(rules_ + "/" + f, dir_.File(std::string("rules/") + f).c_str(),
                               std::filesystem::copy_options::none);
  }
  dir_.Write("rules/bad.yaml", "version: 1\nrules:\n  - id: x\n    kind: topic\n    opd: NOPE\n    kategori: K\n    any: [jalan]\n");
  auto check = Run({"rules", "check", dir_.File("rules")});
  EXPECT_EQ(check->Wait(1ms), 1);
  EXPECT_NE(check->Stderr().find("bad.yaml:5:10: error[unknown-opd] x:"), std::string::npos) << check->Stderr();
}

TEST_F(RulesCommandTest, ClassifyExplainsInIndonesian) {
  auto p = Run({"classify", "--rules", rules_, "Jln dpn pasar Kroya rusaaak parah, tolong diperbaiki"});
  EXPECT_EQ(p->Wait(1ms), 0) << p->Stderr();
  EXPECT_NE(p->Stdout().find("Aduan: YA"), std::string::npos) << p->Stdout();
  EXPECT_NE(p->Stdout().find("DPUPR"), std::string::npos);
  EXPECT_NE(p->Stdout().find("Kec. Kroya"), std::string::npos);
}

TEST_F(RulesCommandTest, ClassifyJsonlAnswersEveryLineInOrder) {
  auto p = Run({"classify", "--jsonl", "--rules", rules_},
               "{\"id\": 1, \"text\": \"sampah numpuk di desa Kepudang, bau banget tolong diangkut\"}\n"
               "not json\n"
               "{\"id\": \"b\", \"text\": \"selamat hari jadi kabupaten cilacap\"}\n");
  EXPECT_EQ(p->Wait(1ms), 0) << p->Stderr();
  std::istringstream out(p->Stdout());
  std::string l1, l2, l3;
  std::getline(out, l1);
  std::getline(out, l2);
  std::getline(out, l3);
  EXPECT_EQ(l1.rfind("{\"id\":1,\"complaint\":true", 0), 0u) << l1;
  EXPECT_NE(l1.find("\"code\":\"DLH\""), std::string::npos) << l1;
  EXPECT_NE(l1.find("\"kecamatan\":\"Binangun\""), std::string::npos) << l1;
  EXPECT_EQ(l2.rfind("{\"id\":null,\"error\":", 0), 0u) << l2;
  EXPECT_EQ(l3.rfind("{\"id\":\"b\",\"complaint\":false", 0), 0u) << l3;
}

}  // namespace
}  // namespace sambat::daemon

#include <sodium.h>

#include "web/credentials.h"

namespace sambat::daemon {
namespace {

TEST(Credentials, Argon2idHashesVerifyAndShortPasswordsAreRefused) {
  ASSERT_GE(sodium_init(), 0);
  auto h = web::HashPassword("rahasia-sekali-123");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(web::VerifyPassword(*h, "rahasia-sekali-123"));
  EXPECT_FALSE(web::VerifyPassword(*h, "rahasia-sekali-124"));
  EXPECT_FALSE(web::HashPassword("pendek").ok());
  auto a = web::MakeApiToken(), b = web::MakeApiToken();
  EXPECT_NE(a.token, b.token);
  EXPECT_EQ(a.token.size(), 43u);
  EXPECT_EQ(a.sha256_hex, web::Sha256Hex(a.token));
}

TEST_F(RulesCommandTest, UsersAndTokensFromTheCommandLine) {
  const std::string config = dir_.Write("u.yaml", "database: u.db\nrules: " SAMBAT_SOURCE_DIR "/rules\n");
  const std::string pw = dir_.Write("pw", "rahasia-sekali-123\n");
  auto add = Run({"--config", config, "user", "add", "siti", "--role", "admin_utama", "--password-file", pw});
  EXPECT_EQ(add->Wait(1ms), 0) << add->Stderr();
  auto again = Run({"--config", config, "user", "add", "siti", "--role", "viewer", "--password-file", pw});
  EXPECT_EQ(again->Wait(1ms), 1);
  EXPECT_NE(again->Stderr().find("sudah ada"), std::string::npos);
  auto weak = Run({"--config", config, "user", "add", "budi", "--role", "viewer"}, "pendek\n");
  EXPECT_EQ(weak->Wait(1ms), 1);
  EXPECT_NE(weak->Stderr().find("minimal 10 karakter"), std::string::npos);
  auto bad_role = Run({"--config", config, "user", "add", "budi", "--role", "root"}, "rahasia-sekali-123\n");
  EXPECT_NE(bad_role->Wait(1ms), 0);
  auto disable = Run({"--config", config, "user", "disable", "siti"});
  EXPECT_EQ(disable->Wait(1ms), 0);
  auto list = Run({"--config", config, "user", "list"});
  EXPECT_NE(list->Stdout().find("siti\tadmin_utama\tnonaktif"), std::string::npos) << list->Stdout();
  auto token = Run({"--config", config, "token", "create", "pipeline", "--role", "pipeline"});
  ASSERT_EQ(token->Wait(1ms), 0) << token->Stderr();
  std::string out = token->Stdout();
  out.pop_back();  // the final newline
  const std::string printed = out.substr(out.rfind('\n') + 1);
  EXPECT_EQ(printed.size(), 43u);
  auto conn = db::Connection::Open(dir_.File("u.db"));
  auto st = conn->Prepare("SELECT token_hash FROM api_tokens WHERE name = 'pipeline'");
  ASSERT_TRUE((*st)->Step());
  EXPECT_EQ((*st)->Text(0), web::Sha256Hex(printed));  // only the hash is kept
  (*st)->Reset();
  auto hashes = conn->Prepare("SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%'");
  ASSERT_TRUE((*hashes)->Step());
  EXPECT_EQ((*hashes)->Int(0), 1);
}

}  // namespace
}  // namespace sambat::daemon
