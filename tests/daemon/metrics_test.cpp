// /metrics of the real daemon polling the fake platform server: scraped, parsed as
// Prometheus' text format, and checked for names, types and values.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tools/fake_platform/fake_platform.h"

namespace sambat::daemon {
namespace {

using namespace std::chrono_literals;

struct Family {
  std::string type;
  bool help = false;
  std::vector<std::pair<std::string, double>> samples;  // full sample line name+labels, value
};

// Parses the text format strictly enough to catch what a Prometheus server would refuse.
std::map<std::string, Family> Parse(const std::string& text, std::vector<std::string>* errors) {
  std::map<std::string, Family> out;
  std::istringstream in(text);
  std::string line;
  const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (\S+)$)");
  std::string current;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      current = line.substr(7, line.find(' ', 7) - 7);
      out[current].help = true;
    } else if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream l(line.substr(7));
      std::string name, type;
      l >> name >> type;
      out[name].type = type;
    } else {
      std::smatch m;
      if (!std::regex_match(line, m, sample)) {
        errors->push_back("bad line: " + line);
        continue;
      }
      std::string name = m[1];
      std::string family = name;
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        if (!out.count(family) && family.size() > strlen(suffix) && family.ends_with(suffix)) {
          family = family.substr(0, family.size() - strlen(suffix));
        }
      }
      if (!out.count(family)) errors->push_back("sample without # TYPE: " + line);
      out[family].samples.emplace_back(line.substr(0, line.rfind(' ')), std::stod(m[5]));
    }
  }
  return out;
}

TEST(Metrics, ScrapedAndParsedWhilePolling) {
  sambat::testing::TempDir dir;
  boost::asio::io_context ioc{1};
  fake::FakePlatform fake(ioc, {});
  ASSERT_TRUE(fake.LoadJsonl(SAMBAT_SOURCE_DIR "/tools/fake_platform/data/feed.jsonl").ok());
  ASSERT_TRUE(fake.Start().ok());
  std::thread server([&] { ioc.run(); });
  dir.Write("t.token", "t");
  const uint16_t port = sambat::testing::FreePort();
  const std::string config = dir.Write(
      "sambatd.yaml", "database: sambatd.db\nrules: " SAMBAT_SOURCE_DIR "/rules\nhttp: {listen: '127.0.0.1:" +
                          std::to_string(port) + "'}\nlog: {level: warn}\nsources:\n  x: {enabled: true, base_url: '" +
                          fake.base_url() + "', user_id: '1234567890', bearer_token_file: t.token, poll_interval: 1s}\n");
  sambat::testing::Subprocess d({SAMBATD_BINARY, "--config", config, "run"}, dir.File("run"));
  std::string text;
  for (int i = 0; i < 300; ++i) {
    auto r = sambat::testing::HttpGet(port, "/metrics");
    if (r.status == 200 && r.body.find("sambatd_posts_fetched_total{") != std::string::npos) {
      text = r.body;
      EXPECT_EQ(r.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8");
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  d.Signal(SIGTERM);
  d.Wait(10s);
  ioc.stop();
  server.join();
  ASSERT_FALSE(text.empty()) << d.Stderr();

  std::vector<std::string> errors;
  auto families = Parse(text, &errors);
  for (const auto& e : errors) ADD_FAILURE() << e;
  for (const auto& [name, f] : families) {
    EXPECT_TRUE(f.help) << name << " has no # HELP";
    EXPECT_TRUE(name.rfind("sambatd_", 0) == 0 || name.rfind("process_", 0) == 0) << name;
    if (f.type == "counter") {
      EXPECT_TRUE(name.ends_with("_total")) << name;
    }
    if (f.type == "histogram") {
      EXPECT_TRUE(name.ends_with("_seconds")) << name;
    }
    if (name.ends_with("_total")) {
      EXPECT_EQ(f.type, "counter") << name;
    }
  }
  double fetched = 0;
  for (const auto& [s, v] : families["sambatd_posts_fetched_total"].samples) fetched += v;
  EXPECT_GT(fetched, 0);
  // Histogram buckets are cumulative and end with +Inf = _count.
  const auto& h = families["sambatd_classification_seconds"];
  ASSERT_EQ(h.type, "histogram");
  double last = 0, inf = -1, count = -2;
  for (const auto& [s, v] : h.samples) {
    if (s.find("_bucket") != std::string::npos) {
      EXPECT_GE(v, last) << s;
      last = v;
      if (s.find("le=\"+Inf\"") != std::string::npos) inf = v;
    }
    if (s.find("_count") != std::string::npos) count = v;
  }
  EXPECT_EQ(inf, count);
  EXPECT_EQ(count, fetched);  // every fetched post was classified once
  EXPECT_GT(families["process_resident_memory_bytes"].samples.at(0).second, 1e6);
  EXPECT_EQ(families["sambatd_drafts"].type, "gauge");
  EXPECT_EQ(families["sambatd_drafts"].samples.size(), 5u);
  EXPECT_EQ(families["sambatd_outbox_backlog"].samples.at(0).second, 0);
  EXPECT_EQ(families["sambatd_dispositions_overdue"].samples.size(), 5u);  // one per SOP step
  EXPECT_EQ(families["sambatd_dispositions_open"].samples.at(0).second, 0);
  EXPECT_EQ(families["sambatd_replies"].samples.size(), 5u);
}

}  // namespace
}  // namespace sambat::daemon
