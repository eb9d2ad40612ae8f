// Hand-off: retry timing and the sinks' verdicts as pure functions, and the dispatcher
// delivering real SQLite outbox rows over libcurl to our fake pipeline on loopback while it
// fails, times out, answers 500 then 200, 409 for a duplicate, and is down for a while.
#include <gtest/gtest.h>

#include "base/clock.h"
#include "connectors/http/curl_transport.h"
#include "db/sqlite_store.h"
#include "handoff/dispatcher.h"
#include "handoff/open311_status.h"
#include "handoff/retry.h"
#include "handoff/sink.h"
#include "tests/db/store_test_util.h"
#include "tests/support/temp_dir.h"
#include "tools/fake_sink/fake_open311.h"
#include "tools/fake_sink/fake_sink.h"

namespace sambat::handoff {
namespace {

using namespace std::chrono_literals;
using connectors::HttpResponse;

TEST(RetryDelay, DoublesFromTheBaseUpToTheCapWithJitter) {
  RetryPolicy p;  // 30 s base, 30 min cap, ±20%
  EXPECT_EQ(RetryDelayMs(1, 0.5, p), 30'000);
  EXPECT_EQ(RetryDelayMs(2, 0.5, p), 60'000);
  EXPECT_EQ(RetryDelayMs(3, 0.5, p), 120'000);
  EXPECT_EQ(RetryDelayMs(7, 0.5, p), 30 * 60'000);   // 32 min capped
  EXPECT_EQ(RetryDelayMs(60, 0.5, p), 30 * 60'000);  // no overflow
  EXPECT_EQ(RetryDelayMs(1, 0.0, p), 24'000);        // -20%
  EXPECT_EQ(RetryDelayMs(1, 1.0, p), 36'000);        // +20%
}

TEST(RetryDelay, RetryAfterWinsWhenLongerAndIsCapped) {
  RetryPolicy p;
  EXPECT_EQ(RetryDelayMs(1, 0.5, p, 120'000), 120'000);
  EXPECT_EQ(RetryDelayMs(3, 0.5, p, 1'000), 120'000);  // our backoff is longer
  EXPECT_EQ(RetryDelayMs(1, 0.5, p, 48 * 3600'000LL), 6 * 3600'000LL);
}

TEST(RetryAfter, SecondsAndHttpDates) {
  const int64_t now = 1'764'000'000'000;  // 2025-11-24T16:00:00Z
  EXPECT_EQ(ParseRetryAfterMs("120", now), 120'000);
  EXPECT_EQ(ParseRetryAfterMs("Mon, 24 Nov 2025 16:01:00 GMT", now), 60'000);
  EXPECT_EQ(ParseRetryAfterMs("Mon, 24 Nov 2025 15:00:00 GMT", now), 0);  // in the past: now
  EXPECT_FALSE(ParseRetryAfterMs("soon", now));
  EXPECT_FALSE(ParseRetryAfterMs("", now));
  EXPECT_FALSE(ParseRetryAfterMs("99999999999999", now));
}

HttpResponse Answer(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(JudgeHttpJson, ClassifiesEveryAnswer) {
  using K = Verdict::Kind;
  auto v = JudgeHttpJson(Answer(201, R"({"ticket":"TKT-7"})"), 0);
  EXPECT_EQ(v.kind, K::kDelivered);
  EXPECT_EQ(v.external_ref, "TKT-7");
  EXPECT_EQ(JudgeHttpJson(Answer(200, R"({"id":42})"), 0).external_ref, "42");
  EXPECT_EQ(JudgeHttpJson(Answer(204, ""), 0).kind, K::kDelivered);
  auto dup = JudgeHttpJson(Answer(409, R"({"ticket":"TKT-7"})"), 0);
  EXPECT_EQ(dup.kind, K::kDelivered);
  EXPECT_EQ(dup.external_ref, "TKT-7");
  for (int s : {408, 429, 500, 502, 503}) EXPECT_EQ(JudgeHttpJson(Answer(s, ""), 0).kind, K::kRetry) << s;
  auto limited = JudgeHttpJson(Answer(429, "", {{"retry-after", "90"}}), 0);
  EXPECT_EQ(limited.retry_after_ms, 90'000);
  auto bad = JudgeHttpJson(Answer(422, R"({"error":{"message":"opd tidak dikenal"}})"), 0);
  EXPECT_EQ(bad.kind, K::kDead);
  EXPECT_NE(bad.message.find("opd tidak dikenal"), std::string::npos);
  EXPECT_EQ(JudgeHttpJson(Answer(401, "<html>nope</html>"), 0).kind, K::kDead);
  EXPECT_EQ(JudgeHttpJson(Result<HttpResponse>(Status::Unavailable("connection refused")), 0).kind, K::kRetry);
}

TEST(JudgeOpen311, ReadsServiceRequestIdsAndErrors) {
  using K = Verdict::Kind;
  auto v = JudgeOpen311(Answer(201, R"([{"service_request_id":"638344","service_notice":""}])"), 0);
  EXPECT_EQ(v.kind, K::kDelivered);
  EXPECT_EQ(v.external_ref, "638344");
  EXPECT_EQ(JudgeOpen311(Answer(201, R"([{"token":"12345"}])"), 0).external_ref, "token:12345");
  auto err = JudgeOpen311(Answer(400, R"([{"code":400,"description":"service_code not found"}])"), 0);
  EXPECT_EQ(err.kind, K::kDead);
  EXPECT_NE(err.message.find("service_code not found"), std::string::npos);
  EXPECT_EQ(JudgeOpen311(Answer(503, ""), 0).kind, K::kRetry);
}

TEST(Open311Sink, MapsOpdAndKategoriToServiceCodes) {
  Open311Sink sink("http://127.0.0.1:1/georeport/v2", Secret("kunci"),
                   {{"DPUPR", "jalan"}, {"DISHUB/Lampu PJU mati", "pju"}, {"DISHUB", "perhubungan"}}, nullptr);
  auto body = sink.FormBody(
      R"({"opd":"DISHUB","kategori":"Lampu PJU mati","pesan":"Lampu mati & gelap","alamat":"Jl. Gatot Subroto",)"
      R"("desa":"Sidakaya","kecamatan":"Cilacap Selatan","nama":"Siti","lampiran":[{"type":"photo","url":"https://x/1.jpg"}]})");
  ASSERT_TRUE(body.ok());
  EXPECT_NE(body->find("service_code=pju"), std::string::npos);
  EXPECT_NE(body->find("description=Lampu%20mati%20%26%20gelap"), std::string::npos);
  EXPECT_NE(body->find("api_key=kunci"), std::string::npos);
  EXPECT_NE(body->find("media_url=https%3A%2F%2Fx%2F1.jpg"), std::string::npos);
  EXPECT_NE(body->find("first_name=Siti"), std::string::npos);
  EXPECT_NE(sink.FormBody(R"({"opd":"DPUPR","kategori":"Jalan rusak"})")->find("service_code=jalan"), std::string::npos);
  EXPECT_FALSE(sink.FormBody(R"({"opd":"DLH"})").ok());
  EXPECT_FALSE(sink.FormBody("not json").ok());
}

// A confirmed draft in a real store, through the real HTTP client, to the fake pipeline.
class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = db::SqliteStore::Open(dir_.File("db.sqlite"), &clock_);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    ASSERT_TRUE(sink_server_.Start());
    http_ = std::make_unique<connectors::CurlTransport>(connectors::CurlOptions{.total_timeout = 1500ms});
    sink_ = std::make_unique<HttpJsonSink>(sink_server_.url(), Secret("sink-token"), http_.get());
    dispatcher_ = std::make_unique<Dispatcher>(store_.get(), sink_.get(), &clock_, RetryPolicy{}, [] { return 0.5; });
  }

  void Confirm(int n) {
    db::IngestBatch batch;
    for (int i = 0; i < n; ++i) {
      auto item = db::testing::MakeItem("h" + std::to_string(next_++), true);
      item.draft->alamat = "Jl. Pahlawan " + std::to_string(i);
      batch.items.push_back(item);
    }
    ASSERT_TRUE(store_->Ingest(batch).ok());
    auto drafts = store_->QueryDrafts({.limit = 1000});
    for (const auto& d : *drafts) {
      ASSERT_TRUE(store_->Decide({.draft_id = d.id, .version = d.version, .actor = "admin"}).ok());
    }
  }

  // Runs passes, moving the fake clock to each next due time, until nothing is left.
  void DrainAll(int max_passes = 50) {
    for (int i = 0; i < max_passes; ++i) {
      auto stats = dispatcher_->RunOnce();
      ASSERT_TRUE(stats.ok()) << stats.status().message();
      auto c = store_->CountOutbox("handoff");
      if (c->backlog == 0) return;
      clock_.Advance(std::chrono::minutes(31));
    }
    FAIL() << "outbox not drained";
  }

  sambat::testing::TempDir dir_;
  FakeClock clock_{FromUnixMillis(1'764'000'000'000)};
  std::unique_ptr<db::SqliteStore> store_;
  sambat::testing::FakeSink sink_server_;
  std::unique_ptr<connectors::CurlTransport> http_;
  std::unique_ptr<HttpJsonSink> sink_;
  std::unique_ptr<Dispatcher> dispatcher_;
  int next_ = 0;
};

TEST_F(DispatcherTest, DeliversWithTheContractAndStoresTheTicket) {
  Confirm(1);
  auto stats = dispatcher_->RunOnce();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->delivered, 1);
  ASSERT_EQ(sink_server_.processed().size(), 1u);
  const std::string key = sink_server_.processed()[0];
  EXPECT_EQ(key, "handoff-draft-1-v2");
  const std::string body = sink_server_.bodies()[key];
  EXPECT_NE(body.find("\"alamat\":\"Jl. Pahlawan 0\""), std::string::npos) << body;
  EXPECT_NE(body.find("\"opd\":\"DPUPR\""), std::string::npos);
  auto delivered = store_->ListOutbox("handoff", "delivered", 10);
  ASSERT_EQ(delivered->size(), 1u);
  EXPECT_EQ((*delivered)[0].external_ref, "TKT-1000");
  auto detail = store_->GetDraft(1);
  EXPECT_EQ(detail->audit.back().action, "handoff_delivered");
}

TEST_F(DispatcherTest, FailsTimesOutThen500Then200AndEverythingArrivesOnce) {
  Confirm(5);
  sink_server_.QueueFault({.status = 500});
  sink_server_.QueueFault({.status = 503, .retry_after = "120"});
  sink_server_.QueueFault({.status = 200, .delay = 2500ms});  // longer than the client's 1.5 s: a timeout
  sink_server_.QueueFault({.status = 429});
  DrainAll();
  EXPECT_EQ(sink_server_.processed().size(), 5u);
  auto c = store_->CountOutbox("handoff");
  EXPECT_EQ(c->delivered, 5);
  EXPECT_EQ(c->dead, 0);
  // Retried rows remember why.
  auto all = store_->ListOutbox("handoff", "delivered", 10);
  int retried = 0;
  for (const auto& o : *all) retried += o.attempts > 1;
  EXPECT_EQ(retried, 4);
}

TEST_F(DispatcherTest, RetryAfterIsHonoured) {
  Confirm(1);
  sink_server_.QueueFault({.status = 503, .retry_after = "600"});
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  auto pending = store_->ListOutbox("handoff", "pending", 10);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].next_attempt_at, ToUnixMillis(clock_.Now()) + 600'000);
  EXPECT_EQ(dispatcher_->RunOnce()->delivered, 0);  // not due yet
  clock_.Advance(std::chrono::minutes(10));
  EXPECT_EQ(dispatcher_->RunOnce()->delivered, 1);
}

TEST_F(DispatcherTest, A409ForADuplicateCountsAsDelivered) {
  Confirm(1);
  // The pipeline processed it, but the answer was lost: the daemon's next attempt gets 409.
  sink_server_.QueueFault({.delay = 2500ms, .process_then_hang = true});
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  EXPECT_EQ(store_->CountOutbox("handoff")->backlog, 1);
  clock_.Advance(std::chrono::minutes(5));
  EXPECT_EQ(dispatcher_->RunOnce()->delivered, 1);
  EXPECT_EQ(sink_server_.processed().size(), 1u);
  EXPECT_EQ((*store_->ListOutbox("handoff", "delivered", 1))[0].external_ref, "TKT-1000");
}

TEST_F(DispatcherTest, DownForAWhileThenBack) {
  Confirm(3);
  const uint16_t port = sink_server_.port();
  sink_server_.Stop();
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(dispatcher_->RunOnce().ok());
    clock_.Advance(std::chrono::minutes(31));
  }
  EXPECT_EQ(store_->CountOutbox("handoff")->backlog, 3);
  ASSERT_TRUE(sink_server_.Start(port));
  DrainAll();
  EXPECT_EQ(sink_server_.processed().size(), 3u);
}

TEST_F(DispatcherTest, OtherClientErrorsAreDeadLettersThatCanBeSentAgain) {
  Confirm(1);
  sink_server_.QueueFault({.status = 422});
  auto stats = dispatcher_->RunOnce();
  EXPECT_EQ(stats->dead, 1);
  auto dead = store_->ListOutbox("handoff", "dead", 10);
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_NE((*dead)[0].last_error->find("422"), std::string::npos);
  EXPECT_EQ(dispatcher_->RunOnce()->delivered, 0);  // dead stays dead
  ASSERT_TRUE(store_->Resend((*dead)[0].id, "handoff", "admin", ToUnixMillis(clock_.Now())).ok());
  EXPECT_EQ(store_->Resend((*dead)[0].id, "handoff", "admin", ToUnixMillis(clock_.Now())).code(), StatusCode::kNotFound);
  EXPECT_EQ(dispatcher_->RunOnce()->delivered, 1);
  EXPECT_EQ(store_->CountOutbox("handoff")->dead, 0);
}

// ---- Open311: progress read back with GET /requests/{id}.json

TEST(Open311Status, StatusesBecomeTheSopStepsNotYetReported) {
  using Steps = std::vector<std::pair<std::string, std::optional<std::string>>>;
  EXPECT_EQ(StepsForOpen311({"open", std::nullopt, std::nullopt}, {}), Steps{});  // nobody looked yet
  EXPECT_EQ(StepsForOpen311({"open", std::nullopt, "DPUPR"}, {}), (Steps{{"diterima_opd", "DPUPR"}}));
  EXPECT_EQ(StepsForOpen311({"in_progress", "Tim meluncur", "DPUPR"}, {"diterima_opd"}),
            (Steps{{"ditindaklanjuti", "Tim meluncur"}}));
  EXPECT_EQ(StepsForOpen311({"closed", "Sudah ditambal", std::nullopt}, {}),
            (Steps{{"diterima_opd", std::nullopt}, {"selesai", "Sudah ditambal"}}));
  EXPECT_EQ(StepsForOpen311({"closed", std::nullopt, std::nullopt}, {"diterima_opd", "selesai"}), Steps{});
  EXPECT_EQ(StepsForOpen311({"closed", std::nullopt, std::nullopt}, {"diterima_opd"}),
            (Steps{{"selesai", "Aduan telah ditutup oleh OPD."}}));

  auto parsed = ParseOpen311Request(
      R"([{"service_request_id":"638344","status":"In Progress","status_notes":"Dijadwalkan","agency_responsible":""}])");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->status, "in_progress");
  EXPECT_EQ(parsed->status_notes, "Dijadwalkan");
  EXPECT_FALSE(parsed->agency_responsible);
  EXPECT_FALSE(ParseOpen311Request("[]").ok());
  EXPECT_FALSE(ParseOpen311Request(R"({"status":"open"})").ok());
  EXPECT_FALSE(ParseOpen311Request(R"([{"service_request_id":"1"}])").ok());
}

TEST(Open311Status, DeliveredThenReadBackUntilSelesai) {
  sambat::testing::TempDir dir;
  FakeClock clock{FromUnixMillis(1'764'000'000'000)};
  auto store = db::SqliteStore::Open(dir.File("db.sqlite"), &clock);
  ASSERT_TRUE(store.ok());
  sambat::testing::FakeOpen311 server("kunci-open311");
  ASSERT_TRUE(server.Start());
  connectors::CurlTransport http(connectors::CurlOptions{.total_timeout = 2s});
  Open311Sink sink(server.base_url(), Secret("kunci-open311"), {{"DPUPR", "jalan-rusak"}}, &http);
  Dispatcher dispatcher((*store).get(), &sink, &clock, RetryPolicy{}, [] { return 0.5; });
  Open311StatusPoller poller((*store).get(), server.base_url(), Secret("kunci-open311"), &http, 5min);

  db::IngestBatch batch;
  auto item = db::testing::MakeItem("o1", true);
  item.draft->alamat = "Jl. Kroya 1";
  batch.items.push_back(item);
  ASSERT_TRUE((*store)->Ingest(batch).ok());
  ASSERT_TRUE((*store)->Decide({.draft_id = 1, .version = 1, .actor = "admin"}).ok());
  ASSERT_TRUE(dispatcher.RunOnce().ok());
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string id = requests.begin()->first;
  EXPECT_EQ(requests.begin()->second.service_code, "jalan-rusak");
  auto open = (*store)->OpenDispositions();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().ticket, id);

  // Nobody has looked at it: nothing to record.
  EXPECT_EQ(*poller.PollIfDue(ToUnixMillis(clock.Now())), 0);
  ASSERT_TRUE(server.Update(id, "in_progress", "Tim DPUPR meluncur", "DPUPR"));
  EXPECT_EQ(*poller.PollIfDue(ToUnixMillis(clock.Now())), 0);  // within the interval: no request made
  EXPECT_EQ(server.status_reads(), 1);
  clock.Advance(5min);
  EXPECT_EQ(*poller.PollIfDue(ToUnixMillis(clock.Now())), 2);  // diterima_opd, ditindaklanjuti
  ASSERT_TRUE(server.Update(id, "closed", "Lubang sudah ditambal.", "DPUPR"));
  clock.Advance(5min);
  EXPECT_EQ(*poller.PollIfDue(ToUnixMillis(clock.Now())), 1);
  auto detail = (*store)->GetDraft(1);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->steps.size(), 3u);
  EXPECT_EQ(detail->steps[2].step, "selesai");
  EXPECT_EQ(detail->steps[2].note, "Lubang sudah ditambal.");
  EXPECT_TRUE((*store)->OpenDispositions()->empty());
  clock.Advance(5min);
  EXPECT_EQ(*poller.PollIfDue(ToUnixMillis(clock.Now())), 0);
  EXPECT_EQ(server.status_reads(), 3);  // finished complaints are not read again
}

}  // namespace
}  // namespace sambat::handoff
