// The real daemon answering citizens through the fake platform server: in each mode, across
// a clean restart, and SIGKILLed while a reply is on the wire. No reply is ever posted twice.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/verb.hpp>

#include <thread>

#include "base/clock.h"
#include "db/sqlite_store.h"
#include "tests/db/store_test_util.h"
#include "tests/support/db_scalar.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"
#include "tools/fake_platform/fake_platform.h"
#include "tools/fake_sink/fake_sink.h"
#include "web/credentials.h"

namespace sambat::daemon {
namespace {

using namespace std::chrono_literals;
using sambat::testing::Scalar;
using sambat::testing::WaitFor;

class RepliesProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_ = std::make_unique<fake::FakePlatform>(ioc_, fake::FakePlatform::Options{});
    ASSERT_TRUE(fake_->Start().ok());
    thread_ = std::thread([this] { ioc_.run(); });
    ASSERT_TRUE(sink_.Start());
    db_ = dir_.File("sambatd.db");
    dir_.Write("sink.token", "sink-token");
    dir_.Write("x.token", "AAAAAAAAAAAAAAAAAAAAAAppOnlyBearer");  // reads only
    dir_.Write("x-user.token", "user-context-token");
  }
  void TearDown() override {
    boost::asio::post(ioc_, [this] { fake_->Stop(); });
    thread_.join();
  }

  // `n` confirmed complaints on X that the fake platform knows; the daemon hands them off,
  // the fake pipeline gives tickets, and each deserves one "tanda terima".
  void SeedConfirmed(int n) {
    SystemClock clock;
    auto store = db::SqliteStore::Open(db_, &clock);
    ASSERT_TRUE(store.ok());
    db::IngestBatch batch;
    for (int i = 0; i < n; ++i) {
      const std::string id = "17990000000000000" + std::to_string(10 + seeded_ + i);
      fake::FeedItem f;
      f.platform = "x";
      f.endpoint = "mentions";
      f.id = id;
      f.text = "jalan rusak";
      fake_->Add(f);
      auto item = db::testing::MakeItem(id, true);
      item.post.created_at = ToUnixMillis(clock.Now());
      item.draft->alamat = "Jl. Merpati No. " + std::to_string(i);
      batch.items.push_back(item);
    }
    ASSERT_TRUE((*store)->Ingest(batch).ok());
    for (int id = seeded_ + 1; id <= seeded_ + n; ++id) {
      ASSERT_TRUE((*store)->Decide({.draft_id = id, .version = 1, .actor = "admin"}).ok());
    }
    seeded_ += n;
    if (token_.empty()) {
      auto t = web::MakeApiToken();
      ASSERT_TRUE((*store)->CreateApiToken("test", t.sha256_hex, "admin_utama").ok());
      token_ = t.token;
      auto v = web::MakeApiToken();
      ASSERT_TRUE((*store)->CreateApiToken("pengamat", v.sha256_hex, "viewer").ok());
      viewer_token_ = v.token;
    }
  }

  std::string Config(const std::string& mode) {
    port_ = sambat::testing::FreePort();
    return dir_.Write("sambatd.yaml",
                      "database: sambatd.db\nrules: " SAMBAT_SOURCE_DIR "/rules\nhttp: {listen: '127.0.0.1:" +
                          std::to_string(port_) + "'}\nlog: {level: info}\n"
                          "handoff: {sink: http-json, url: '" + sink_.url() + "', token_file: sink.token}\n"
                          "sources:\n  x: {enabled: false, base_url: '" + fake_->base_url() +
                          "', user_id: '1234567890', bearer_token_file: x.token, reply_token_file: x-user.token}\n"
                          "replies: {mode: " + mode + "}\n");
  }

  sambat::testing::Subprocess Run(const std::string& config, const std::string& name) {
    return sambat::testing::Subprocess({SAMBATD_BINARY, "--config", config, "run"}, dir_.File(name));
  }

  size_t Writes() { return fake_->Writes().size(); }
  int64_t Replies(const std::string& status) {
    return Scalar(db_, "SELECT count(*) FROM outbox WHERE kind = 'reply' AND status = '" + status + "'");
  }

  sambat::testing::TempDir dir_;
  boost::asio::io_context ioc_{1};
  std::unique_ptr<fake::FakePlatform> fake_;
  std::thread thread_;
  sambat::testing::FakeSink sink_;
  std::string db_, token_, viewer_token_;
  uint16_t port_ = 0;
  int seeded_ = 0;
};

TEST_F(RepliesProcessTest, OffSendsNothing) {
  SeedConfirmed(3);
  const std::string config = Config("off");
  auto d = Run(config, "off");
  ASSERT_TRUE(WaitFor([&] { return sink_.processed().size() == 3; }, 20s)) << d.Stderr();
  // Longer than the reply dispatcher's idle poll (5 s): a reply would have been sent by now.
  std::this_thread::sleep_for(6s);
  d.Signal(SIGTERM);
  EXPECT_EQ(d.Wait(15s), 0);
  EXPECT_EQ(Writes(), 0u);
  EXPECT_EQ(Scalar(db_, "SELECT count(*) FROM outbox WHERE kind = 'reply'"), 0);
}

TEST_F(RepliesProcessTest, AutoAnswersEachOnceAcrossARestart) {
  SeedConfirmed(5);
  const std::string config = Config("auto");
  {
    auto d = Run(config, "auto1");
    ASSERT_TRUE(WaitFor([&] { return Writes() == 5; }, 30s)) << d.Stderr();
    d.Signal(SIGTERM);
    EXPECT_EQ(d.Wait(15s), 0);
  }
  {
    auto d = Run(config, "auto2");
    std::this_thread::sleep_for(6s);  // more than one planner pass
    d.Signal(SIGTERM);
    EXPECT_EQ(d.Wait(15s), 0);
  }
  EXPECT_EQ(Writes(), 5u);
  EXPECT_EQ(Replies("delivered"), 5);
  for (const auto& w : fake_->Writes()) {
    EXPECT_EQ(w.kind, "x_reply");
    EXPECT_EQ(w.text.find("Merpati"), std::string::npos) << w.text;
  }
}

TEST_F(RepliesProcessTest, KilledWhileAReplyIsOnTheWireItIsNotPostedAgain) {
  SeedConfirmed(1);
  const std::string config = Config("auto");
  fake_->InjectOnce("/2/tweets", {.delay = 3s});  // X takes its time; the reply is posted anyway
  {
    auto d = Run(config, "kill1");
    ASSERT_TRUE(WaitFor([&] { return Replies("sending") == 1; }, 30s)) << d.Stderr();
    d.Signal(SIGKILL);
    d.Wait(5s);
  }
  ASSERT_TRUE(WaitFor([&] { return Writes() == 1; }, 10s));  // the platform did post it
  {
    auto d = Run(config, "kill2");
    ASSERT_TRUE(WaitFor([&] { return Replies("dead") == 1; }, 20s)) << d.Stderr();
    std::this_thread::sleep_for(6s);
    d.Signal(SIGTERM);
    EXPECT_EQ(d.Wait(15s), 0);
  }
  EXPECT_EQ(Writes(), 1u);
  EXPECT_EQ(Scalar(db_, "SELECT count(*) FROM outbox WHERE kind = 'reply' AND last_error LIKE '%terputus%'"), 1);
  EXPECT_EQ(Scalar(db_, "SELECT count(*) FROM audit_log WHERE action = 'reply_dead'"), 1);
}

TEST_F(RepliesProcessTest, ReviewWaitsForAdminUtamaThenSendsOnce) {
  SeedConfirmed(2);
  const std::string config = Config("review");
  auto d = Run(config, "review1");
  ASSERT_TRUE(WaitFor([&] { return Replies("review") == 2; }, 30s)) << d.Stderr();
  EXPECT_EQ(Writes(), 0u);
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + token_},
                                                   {"Content-Type", "application/json"}};
  auto list = sambat::testing::HttpCall("127.0.0.1", port_, boost::beast::http::verb::get,
                                        "/api/v1/replies?status=review", "", auth);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find(R"("mode":"review")"), std::string::npos);
  const auto first = Scalar(db_, "SELECT min(id) FROM outbox WHERE kind = 'reply'");
  const auto second = Scalar(db_, "SELECT max(id) FROM outbox WHERE kind = 'reply'");
  auto bogus = sambat::testing::HttpCall("127.0.0.1", port_, boost::beast::http::verb::get,
                                         "/api/v1/replies?status=bogus", "", auth);
  EXPECT_EQ(bogus.status, 400) << bogus.body;
  // A viewer reads the list but decides nothing.
  const std::map<std::string, std::string> viewer = {{"Authorization", "Bearer " + viewer_token_},
                                                     {"Content-Type", "application/json"}};
  EXPECT_EQ(sambat::testing::HttpCall("127.0.0.1", port_, boost::beast::http::verb::get,
                                      "/api/v1/replies?status=review", "", viewer).status, 200);
  auto viewer_approve = sambat::testing::HttpCall("127.0.0.1", port_, boost::beast::http::verb::post,
                                                  "/api/v1/replies/" + std::to_string(first) + "/approve", "{}", viewer);
  EXPECT_EQ(viewer_approve.status, 403) << viewer_approve.body;

  // An edited text with a phone number is refused with the reason; nothing is sent.
  auto leaky = sambat::testing::HttpCall("127.0.0.1", port_, boost::beast::http::verb::post,
                                         "/api/v1/replies/" + std::to_string(first) + "/approve",
                                         R"({"text":"Hubungi saya di 0812 2733 4455"})", auth);
  EXPECT_EQ(leaky.status, 422) << leaky.body;
  EXPECT_NE(leaky.body.find("nomor telepon"), std::string::npos);

  auto ok = sambat::testing::HttpCall("127.0.0.1", port_, boost::beast::http::verb::post,
                                      "/api/v1/replies/" + std::to_string(first) + "/approve", "{}", auth);
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto discard = sambat::testing::HttpCall("127.0.0.1", port_, boost::beast::http::verb::post,
                                           "/api/v1/replies/" + std::to_string(second) + "/discard",
                                           R"({"reason":"Sudah dibalas lewat DM"})", auth);
  EXPECT_EQ(discard.status, 200) << discard.body;
  ASSERT_TRUE(WaitFor([&] { return Writes() == 1; }, 20s)) << d.Stderr();
  // What can no longer be done says so, in words for Admin Utama.
  auto post = [&](const std::string& target, const std::string& body) {
    return sambat::testing::HttpCall("127.0.0.1", port_, boost::beast::http::verb::post, target, body, auth);
  };
  auto again_approve = post("/api/v1/replies/" + std::to_string(first) + "/approve", "{}");
  EXPECT_EQ(again_approve.status, 404) << again_approve.body;
  EXPECT_NE(again_approve.body.find("tidak sedang menunggu persetujuan"), std::string::npos);
  EXPECT_EQ(post("/api/v1/replies/" + std::to_string(first) + "/discard", "{}").status, 400);  // no reason
  auto discard_sent = post("/api/v1/replies/" + std::to_string(first) + "/discard", R"({"reason":"salah kirim"})");
  EXPECT_EQ(discard_sent.status, 404) << discard_sent.body;  // already sent
  EXPECT_NE(discard_sent.body.find("tidak bisa dibatalkan"), std::string::npos) << discard_sent.body;
  EXPECT_EQ(post("/api/v1/replies/" + std::to_string(first) + "/resend", "{}").status, 404);  // delivered, not dead
  EXPECT_EQ(post("/api/v1/replies/" + std::to_string(first) + "/explode", "{}").status, 404);
  d.Signal(SIGTERM);
  EXPECT_EQ(d.Wait(15s), 0);

  auto again = Run(config, "review2");
  std::this_thread::sleep_for(6s);
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(15s), 0);
  EXPECT_EQ(Writes(), 1u);
  EXPECT_EQ(Replies("discarded"), 1);
  EXPECT_EQ(Scalar(db_, "SELECT count(*) FROM audit_log WHERE action = 'reply_approved'"), 1);
  EXPECT_EQ(Scalar(db_, "SELECT count(*) FROM audit_log WHERE action = 'reply_discarded'"), 1);
}

}  // namespace
}  // namespace sambat::daemon
