#include "config/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace sambat::config {
namespace {

using testing::TempDir;

struct Pos {
  int line, column;
  bool operator==(const Pos&) const = default;
};

std::vector<Pos> ErrorPositions(const LoadResult& r) {
  std::vector<Pos> out;
  for (const auto& d : r.diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) out.push_back({d.line, d.column});
  }
  return out;
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::create_directory(dir_.File("rules")); }
  LoadResult Load(const std::string& text) { return LoadConfigFile(dir_.Write("sambatd.yaml", text)); }
  TempDir dir_;
};

TEST_F(ConfigTest, MinimalFileIsValidAndGetsDefaults) {
  auto r = Load("database: state/sambatd.db\nrules: rules\nhttp:\n  listen: 127.0.0.1:8080\n");
  std::filesystem::create_directory(dir_.File("state"));
  r = Load("database: state/sambatd.db\nrules: rules\nhttp:\n  listen: 127.0.0.1:8080\n");
  ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
  EXPECT_EQ(r.config.database, dir_.File("state/sambatd.db"));  // relative to the file
  EXPECT_EQ(r.config.rules, dir_.File("rules"));
  EXPECT_EQ(r.config.http.listen.port, 8080);
  EXPECT_EQ(r.config.log.level, "info");
  EXPECT_FALSE(r.config.sources.x.enabled);
  EXPECT_EQ(r.config.sources.facebook.base_url, "https://graph.facebook.com/v25.0");
  EXPECT_EQ(r.config.sla.admin_utama, std::chrono::minutes(15));
}

TEST_F(ConfigTest, ListenDefaultsToLoopback8080) {
  auto r = Load("database: db.sqlite\nrules: rules\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.http.listen.ToString(), "127.0.0.1:8080");
}

TEST_F(ConfigTest, UnknownKeyIsReportedWithPosition) {
  auto r = Load("database: db.sqlite\nrules: rules\nhttp:\n  listne: 127.0.0.1:1\n");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(ErrorPositions(r), (std::vector<Pos>{{4, 3}}));
  EXPECT_NE(r.diagnostics[0].message.find("http.listne"), std::string::npos);
  EXPECT_NE(r.diagnostics[0].message.find("did you mean 'listen'"), std::string::npos);
  EXPECT_EQ(r.diagnostics[0].ToString().rfind(dir_.File("sambatd.yaml") + ":4:3: ", 0), 0u);
}

TEST_F(ConfigTest, MissingRequiredKeysAreErrors) {
  auto r = Load("http:\n  listen: 127.0.0.1:8080\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ErrorPositions(r).size(), 2u);  // database and rules
}

TEST_F(ConfigTest, EveryProblemOfTheFileIsReportedAtOnceInFileOrder) {
  auto r = Load(
      "database: db.sqlite\n"
      "rules: rules\n"
      "http:\n"
      "  listen: 999.1.1.1:80\n"          // bad address
      "  secure_cookies: maybe\n"         // wrong type
      "log:\n"
      "  level: loud\n"                   // bad enum
      "sources:\n"
      "  x:\n"
      "    enabled: true\n"
      "    user_id: \"123\"\n"
      "    bearer_token_file: /nonexistent/token\n"  // missing secret file
      "    poll_interval: soon\n"         // bad duration
      "  myspace: {}\n");                 // unknown source
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ErrorPositions(r),
            (std::vector<Pos>{{4, 11}, {5, 19}, {7, 10}, {12, 24}, {13, 20}, {14, 3}}));
}

TEST_F(ConfigTest, WrongTypesAreErrors) {
  auto r = Load("database: [a, b]\nrules: rules\nhttp: 8080\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ErrorPositions(r), (std::vector<Pos>{{1, 11}, {3, 7}}));
}

TEST_F(ConfigTest, DuplicateKeyIsAnError) {
  auto r = Load("database: a.db\nrules: rules\ndatabase: b.db\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ErrorPositions(r), (std::vector<Pos>{{3, 1}}));
}

TEST_F(ConfigTest, SyntaxErrorHasPosition) {
  auto r = Load("database: a.db\nrules: [unclosed\n");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_GE(r.diagnostics[0].line, 2);
  EXPECT_NE(r.diagnostics[0].message.find("YAML syntax error"), std::string::npos);
}

TEST_F(ConfigTest, EmptyFileSaysWhatIsNeeded) {
  auto r = Load("");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.diagnostics[0].message.find("database"), std::string::npos);
}

TEST_F(ConfigTest, MissingFileIsAnError) {
  auto r = LoadConfigFile(dir_.File("absent.yaml"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.diagnostics[0].message.find("cannot open"), std::string::npos);
}

TEST_F(ConfigTest, EnabledSourceNeedsItsIdAndToken) {
  auto r = Load("database: a.db\nrules: rules\nsources:\n  facebook:\n    enabled: true\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ErrorPositions(r).size(), 2u);  // page_id, access_token_file
}

TEST_F(ConfigTest, ShortPollIntervalWarnsButLoads) {
  std::string token = dir_.Write("x.token", "t");
  auto r = Load("database: a.db\nrules: rules\nsources:\n  x:\n    enabled: true\n    user_id: '1'\n"
                "    bearer_token_file: x.token\n    poll_interval: 2s\n");
  ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Diagnostic::Severity::kWarning);
  EXPECT_EQ(r.diagnostics[0].line, 8);
  EXPECT_EQ(r.config.sources.x.poll_interval, std::chrono::seconds(2));
  EXPECT_EQ(r.config.sources.x.token_file, token);  // no $CREDENTIALS_DIRECTORY: beside the config
}

TEST_F(ConfigTest, CredentialNamesWorkOutsideTheUnitFromTheCredentialsFolder) {
  // The unit loads /etc/sambatd/credentials/NAME as the credential token_NAME; a one-shot
  // command run from a shell (no $CREDENTIALS_DIRECTORY) finds the same file there.
  ASSERT_EQ(std::getenv("CREDENTIALS_DIRECTORY"), nullptr);
  std::filesystem::create_directory(dir_.File("credentials"));
  dir_.Write("credentials/x-bearer", "bearer", 0600);
  dir_.Write("credentials/x-user", "user", 0600);
  auto r = Load("database: a.db\nrules: rules\nsources:\n  x: {enabled: true, user_id: '1', "
                "bearer_token_file: token_x-bearer, reply_token_file: token_x-user}\n");
  ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
  EXPECT_EQ(r.config.sources.x.token_file, dir_.File("credentials/x-bearer"));
  EXPECT_EQ(r.config.sources.x.reply_token_file, dir_.File("credentials/x-user"));
  auto missing = Load("database: a.db\nrules: rules\nsources:\n  x: {enabled: true, user_id: '1', "
                      "bearer_token_file: token_nope}\n");
  EXPECT_FALSE(missing.ok());
}

TEST_F(ConfigTest, SecretReadableByOthersWarnsWithoutPrintingIt) {
  dir_.Write("ig.token", "TOPSECRETVALUE", 0644);
  auto r = Load("database: a.db\nrules: rules\nsources:\n  instagram:\n    enabled: true\n"
                "    user_id: '178'\n    access_token_file: ./ig.token\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Diagnostic::Severity::kWarning);
  EXPECT_EQ(r.diagnostics[0].ToString().find("TOPSECRETVALUE"), std::string::npos);
}

TEST_F(ConfigTest, RulesPathMustExist) {
  auto r = Load("database: a.db\nrules: no-such-rules\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ErrorPositions(r), (std::vector<Pos>{{2, 8}}));
}

TEST_F(ConfigTest, ProxyMustBeAUrl) {
  auto good = Load("database: a.db\nrules: rules\nnetwork: {proxy: 'http://proxy.example:3128'}\n");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.config.network.proxy, "http://proxy.example:3128");
  auto bad = Load("database: a.db\nrules: rules\nnetwork: {proxy: 'proxy.example:3128'}\n");
  EXPECT_EQ(ErrorPositions(bad), (std::vector<Pos>{{3, 18}}));
}

TEST_F(ConfigTest, Ipv6ListenAndPortZero) {
  auto r = Load("database: a.db\nrules: rules\nhttp: {listen: '[::1]:0'}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.http.listen.host, "::1");
  EXPECT_EQ(r.config.http.listen.port, 0);
}

TEST_F(ConfigTest, HandoffSinkUrlTokenAndServiceMap) {
  dir_.Write("sink.token", "rahasia\n");
  auto good = Load(
      "database: a.db\nrules: rules\n"
      "handoff:\n  sink: open311\n  url: https://pipeline.example/georeport/v2\n  token_file: sink.token\n"
      "  timeout: 10s\n  open311_service_map:\n    DPUPR: jalan\n    DISHUB/Lampu PJU mati: pju\n");
  ASSERT_TRUE(good.ok()) << good.diagnostics[0].ToString();
  EXPECT_EQ(good.config.handoff.sink, "open311");
  EXPECT_EQ(good.config.handoff.token_file, dir_.File("sink.token"));
  EXPECT_EQ(good.config.handoff.timeout, std::chrono::seconds(10));
  ASSERT_EQ(good.config.handoff.open311_service_map.size(), 2u);
  EXPECT_EQ(good.config.handoff.open311_service_map[1].first, "DISHUB/Lampu PJU mati");
  // Every problem at once, each at its place.
  auto bad = Load(
      "database: a.db\nrules: rules\n"
      "handoff:\n  sink: kafka\n  url: ftp://x\n  token_file: missing.token\n  open311_service_map: [a, b]\n");
  EXPECT_EQ(ErrorPositions(bad), (std::vector<Pos>{{4, 9}, {5, 8}, {6, 15}, {7, 24}}));
  auto no_map = Load("database: a.db\nrules: rules\nhandoff: {sink: open311, url: 'https://p.example', token_file: sink.token}\n");
  EXPECT_FALSE(no_map.ok());
}

TEST_F(ConfigTest, SopStepLimitsAreConfigurable) {
  auto r = Load("database: a.db\nrules: rules\nsla: {admin_utama: 10m, kepala_opd: 2h, total: 3h}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.sla.admin_utama, std::chrono::minutes(10));
  EXPECT_EQ(r.config.sla.kepala_opd, std::chrono::hours(2));
  EXPECT_EQ(r.config.sla.admin_opd, std::chrono::minutes(15));  // default
  EXPECT_EQ(r.config.sla.total, std::chrono::hours(3));
  EXPECT_FALSE(Load("database: a.db\nrules: rules\nsla: {kepala: 1h}\n").ok());
}

TEST_F(ConfigTest, ShippedExampleIsValid) {
  std::ifstream in(SAMBAT_SOURCE_DIR "/systemd/sambatd.yaml");
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  ASSERT_FALSE(text.empty());
  // The example points at /var/lib and /etc, which a build machine lacks: only those change.
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("database: /var/lib/sambatd/sambatd.db", "database: sambatd.db");
  replace("rules: /etc/sambatd/rules", "rules: rules");
  auto r = Load(text);
  for (const auto& d : r.diagnostics) ADD_FAILURE() << d.ToString();
}

TEST_F(ConfigTest, RetentionDefaultsAndKeysWithPositions) {
  auto d = Load("database: db.sqlite\nrules: rules\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.config.retention.non_complaint_posts, std::chrono::hours(24 * 90));
  EXPECT_EQ(d.config.retention.rejected_drafts, std::chrono::hours(24 * 90));
  EXPECT_EQ(d.config.retention.purge_minute, 150);
  auto r = Load("database: db.sqlite\nrules: rules\nretention:\n  non_complaint_posts: 30d\n  purge_time: \"03:15\"\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.retention.non_complaint_posts, std::chrono::hours(24 * 30));
  EXPECT_EQ(r.config.retention.purge_minute, 3 * 60 + 15);
  auto bad = Load("database: db.sqlite\nrules: rules\nretention:\n  rejected_drafts: 0d\n  purge_time: \"24:00\"\n"
                  "  webhook_event: 1d\n");
  EXPECT_EQ(ErrorPositions(bad), (std::vector<Pos>{{4, 20}, {5, 15}, {6, 3}}));
}

}  // namespace
}  // namespace sambat::config
