// The ingestion pipeline with real parts: the fake platform server on loopback, libcurl,
// the shipped rules, and SQLite files.
#include <gtest/gtest.h>
#include <sodium.h>

#include <thread>

#include "classifier/rules_loader.h"
#include "connectors/facebook/facebook_connector.h"
#include "connectors/http/curl_transport.h"
#include "connectors/instagram/instagram_connector.h"
#include "connectors/x/x_connector.h"
#include "daemon/classify_ahead.h"
#include "daemon/ingest.h"
#include "daemon/queue_json.h"
#include "daemon/schedule.h"
#include "daemon/source_runner.h"
#include "daemon/webhook_processor.h"
#include "db/sqlite_store.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"
#include "tools/fake_platform/fake_platform.h"
#include "web/routes.h"
#include "web/webhook.h"

namespace sambat::daemon {
namespace {

using connectors::PollOutcome;
using fake::Fault;
using fake::FeedItem;

constexpr int64_t kNow = 1'764'380'000'000;

std::shared_ptr<const classifier::Classifier> Shipped() {
  static std::shared_ptr<const classifier::Classifier> c = [] {
    auto l = classifier::LoadRules(SAMBAT_SOURCE_DIR "/rules");
    return std::shared_ptr<const classifier::Classifier>(std::move(l.classifier));
  }();
  return c;
}

TEST(Schedule, BackoffDoublesUpToAnHour) {
  EXPECT_EQ(BackoffMs(60'000, 0), 60'000);
  EXPECT_EQ(BackoffMs(60'000, 1), 120'000);
  EXPECT_EQ(BackoffMs(60'000, 3), 480'000);
  EXPECT_EQ(BackoffMs(60'000, 30), 3'600'000);
}

TEST(Schedule, NextPollHonoursJitterAndThePlatformsWait) {
  EXPECT_EQ(NextPollAt(kNow, 300'000, 0, 0.5, std::nullopt), kNow + 300'000);
  EXPECT_EQ(NextPollAt(kNow, 300'000, 0, 0.0, std::nullopt), kNow + 270'000);
  EXPECT_EQ(NextPollAt(kNow, 300'000, 2, 0.5, std::nullopt), kNow + 1'200'000);
  EXPECT_EQ(NextPollAt(kNow, 300'000, 1, 0.5, kNow + 7'200'000), kNow + 7'200'000);  // rate-limit reset
  EXPECT_EQ(NextPollAt(kNow, 300'000, 0, 0.5, kNow + 10), kNow + 300'000);           // an earlier one does not hurry us
}

connectors::Post MakePost(const std::string& id, const std::string& text) {
  connectors::Post p;
  p.platform = "x";
  p.id = id;
  p.endpoint = "mentions";
  p.kind = "mention";
  p.text = text;
  p.author_handle = "warga_" + id;
  p.url = "https://x.com/warga/status/" + id;
  p.media.push_back({"photo", "https://example.invalid/" + id + ".jpg"});
  return p;
}

TEST(Ingest, DraftIsPrefilledAsTheSopAsks) {
  auto c = Shipped();
  auto post = MakePost("1", "Jalan desa Kepudang kec Binangun rusak parah, tolong segera diperbaiki");
  post.author_name = "Budi Santoso";
  auto r = c->Classify(post.text);
  ASSERT_TRUE(r.complaint);
  db::DraftRecord d = MakeDraft(post, r, kNow, IngestOptions{});
  EXPECT_EQ(d.nama, "Budi Santoso");
  EXPECT_TRUE(d.nama_from_profile);
  EXPECT_EQ(d.alamat, "Desa/Kel. Kepudang, Kec. Binangun, Kabupaten Cilacap");
  EXPECT_EQ(d.pesan, post.text);
  EXPECT_EQ(d.kanal, "x");
  EXPECT_EQ(d.url, post.url);
  EXPECT_EQ(d.opd, "DPUPR");
  EXPECT_EQ(d.kecamatan, "Binangun");
  EXPECT_EQ(d.desa, "Kepudang");
  EXPECT_EQ(d.sla_due_at, kNow + 15 * 60'000);
  EXPECT_EQ(d.missing_fields_json, "[]");
  EXPECT_NE(d.lampiran_json.find("1.jpg"), std::string::npos);
}

TEST(Ingest, MissingNameAndPlaceAreListed) {
  auto c = Shipped();
  connectors::Post post = MakePost("2", "lampu PJU mati semua sudah seminggu, tolong diperbaiki");
  post.author_handle.reset();
  auto r = c->Classify(post.text);
  ASSERT_TRUE(r.complaint);
  db::DraftRecord d = MakeDraft(post, r, kNow, IngestOptions{});
  EXPECT_FALSE(d.nama.has_value());
  EXPECT_FALSE(d.alamat.has_value());
  EXPECT_EQ(d.missing_fields_json, "[\"nama\",\"alamat\"]");
  post.author_handle = "wargacilacap";
  EXPECT_EQ(MakeDraft(post, r, kNow, IngestOptions{}).nama, "@wargacilacap");
}

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = db::SqliteStore::Open(dir_.File("sambatd.db"), &clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  sambat::testing::TempDir dir_;
  FakeClock clock_{FromUnixMillis(kNow)};
  std::unique_ptr<db::SqliteStore> store_;
};

TEST_F(StoreFixture, NearDuplicatesAreGroupedNeverMerged) {
  auto c = Shipped();
  std::vector<connectors::Post> posts = {
      MakePost("10", "Jalan desa Kepudang kec Binangun rusak parah, banyak lubang, tolong segera diperbaiki pak"),
      MakePost("11", "Jalan desa Kepudang kec Binangun rusak parah, banyak lubang, tolong segera diperbaiki pak!!"),
      MakePost("12", "sampah numpuk di pasar Sidareja sudah seminggu tidak diangkut, bau sekali tolong"),
      MakePost("13", "Jalan ke Kepudang Binangun ambles dan berlubang, kapan diperbaiki?")};
  auto batch = BuildBatch(posts, *c, kNow, IngestOptions{}, std::nullopt);
  ASSERT_TRUE(store_->Ingest(batch).ok());
  auto drafts = store_->ListDrafts({});
  ASSERT_TRUE(drafts.ok());
  ASSERT_EQ(drafts->size(), 4u);  // all kept
  auto group = [&](const std::string& id) {
    for (const auto& d : *drafts) {
      if (d.platform_id == id) return d.duplicate_group;
    }
    return std::optional<int64_t>();
  };
  ASSERT_TRUE(group("10").has_value());
  EXPECT_EQ(group("10"), group("11"));  // a repost
  EXPECT_EQ(group("10"), group("13"));  // the same topic at the same place the same day
  EXPECT_FALSE(group("12").has_value());
}

TEST(ClassifyAhead, HandsOverEveryPostOnceInOrderAsBuildBatchWould) {
  auto c = Shipped();
  std::vector<connectors::Post> posts;
  for (int i = 0; i < 300; ++i) {  // several chunks and a partial last one
    posts.push_back(MakePost(std::to_string(i), i % 3 ? "sampah numpuk di pasar Sidareja, tolong diangkut"
                                                      : "selamat pagi warga Cilacap"));
  }
  const db::IngestBatch expected = BuildBatch(posts, *c, kNow, IngestOptions{}, std::nullopt);
  ASSERT_EQ(expected.items.size(), 300u);
  ClassifyAhead ahead(posts, *c, kNow, IngestOptions{});
  for (const auto& want : expected.items) {
    const db::IngestItem* got = ahead.Next();
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->post.platform_id, want.post.platform_id);
    EXPECT_EQ(got->draft.has_value(), want.draft.has_value());
    EXPECT_EQ(got->classification->rules_json, want.classification->rules_json);
  }
  EXPECT_EQ(ahead.Next(), nullptr);
  EXPECT_EQ(ahead.Next(), nullptr);
}

TEST(ClassifyAhead, StopsCleanlyWhenTheWriterGivesUpEarlyOrThereIsNothing) {
  auto c = Shipped();
  std::vector<connectors::Post> posts;
  for (int i = 0; i < 2000; ++i) posts.push_back(MakePost(std::to_string(i), "jalan rusak parah di Kroya"));
  {
    ClassifyAhead ahead(posts, *c, kNow, IngestOptions{});
    ASSERT_NE(ahead.Next(), nullptr);  // a store error after the first item: the rest is dropped
  }
  ClassifyAhead none({}, *c, kNow, IngestOptions{});
  EXPECT_EQ(none.Next(), nullptr);
}

TEST_F(StoreFixture, QueueJsonHasTheStableShape) {
  auto c = Shipped();
  auto batch = BuildBatch({MakePost("20", "Air PDAM mati 3 hari di desa Gumilir, tolong")}, *c, kNow, IngestOptions{}, std::nullopt);
  ASSERT_TRUE(store_->Ingest(batch).ok());
  std::string json = DraftsToJson(*store_->ListDrafts({.status = "pending"}));
  for (const char* key : {"\"id\"", "\"status\": \"pending\"", "\"kanal\": \"x\"", "\"platform_post_id\": \"20\"", "\"nama\"",
                          "\"alamat\"", "\"pesan\"", "\"opd_candidates\"", "\"opd\": \"PDAM\"", "\"kecamatan\"", "\"desa\"",
                          "\"url\"", "\"missing_fields\"", "\"created\"", "\"sla_due\""}) {
    EXPECT_NE(json.find(key), std::string::npos) << key << "\n" << json;
  }
}

// A real fake platform on loopback, polled through SourceRunner.
class RunnerTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    fake::FakePlatform::Options o;
    o.page_size = 5;
    o.now_ms = [this] { return ToUnixMillis(clock_.Now()); };
    fake_ = std::make_unique<fake::FakePlatform>(ioc_, o);
    ASSERT_TRUE(fake_->Start().ok());
    thread_ = std::thread([this] { ioc_.run(); });
    ASSERT_TRUE(fake_->LoadJsonl(SAMBAT_SOURCE_DIR "/tools/fake_platform/data/feed.jsonl").ok());
    connectors::XOptions xo;
    xo.base_url = fake_->base_url();
    xo.user_id = "1234567890";
    xo.bearer_token = Secret("t");
    x_ = std::make_unique<connectors::XConnector>(xo, &http_, &clock_);
    connectors::InstagramOptions io;
    io.base_url = fake_->base_url() + "/v25.0";
    io.user_id = "17841400000000001";
    io.access_token = Secret("t");
    ig_ = std::make_unique<connectors::InstagramConnector>(io, &http_, &clock_);
  }
  void TearDown() override {
    boost::asio::post(ioc_, [this] { fake_->Stop(); });
    thread_.join();
  }
  boost::asio::io_context ioc_{1};
  std::unique_ptr<fake::FakePlatform> fake_;
  std::thread thread_;
  connectors::CurlGlobal curl_;
  connectors::CurlTransport http_{connectors::CurlOptions{}};
  ClassifierHolder holder_{Shipped()};
  std::unique_ptr<connectors::XConnector> x_;
  std::unique_ptr<connectors::InstagramConnector> ig_;
};

TEST_F(RunnerTest, RestartResumesFromTheCursorAndFetchesNothingTwice) {
  {
    SourceRunner runner(x_.get(), store_.get(), &holder_, &clock_, IngestOptions{});
    PollReport first = runner.Poll("mentions", false);
    ASSERT_EQ(first.kind, PollOutcome::Kind::kOk) << first.message;
    EXPECT_EQ(first.new_posts, 60);
    EXPECT_EQ(first.requests, 12);  // 60 posts, 5 a page
  }
  // "Restart": a new runner over the same database file.
  auto reopened = db::SqliteStore::Open(dir_.File("sambatd.db"), &clock_);
  ASSERT_TRUE(reopened.ok());
  SourceRunner runner(x_.get(), reopened->get(), &holder_, &clock_, IngestOptions{});
  fake_->ResetLog();
  PollReport again = runner.Poll("mentions", false);
  ASSERT_EQ(again.kind, PollOutcome::Kind::kOk);
  EXPECT_EQ(again.requests, 1);  // API economy: one request when nothing is new
  EXPECT_EQ(fake_->Requests("/mentions"), 1);
  EXPECT_EQ(again.new_posts, 0);
  EXPECT_LE(again.fetched, 1);   // at most the newest post, inside the overlap window
  EXPECT_EQ(*(*reopened)->CountPosts(), 60);
}

TEST_F(RunnerTest, RateLimitIsPersistedWithTheCursor) {
  const int64_t reset_s = kNow / 1000 + 900;
  fake_->InjectOnce("/mentions", Fault{.status = 429, .body = R"({"title":"Too Many Requests","status":429})",
                                       .headers = {{"x-rate-limit-reset", std::to_string(reset_s)}}});
  SourceRunner runner(x_.get(), store_.get(), &holder_, &clock_, IngestOptions{});
  PollReport r = runner.Poll("mentions", false);
  EXPECT_EQ(r.kind, PollOutcome::Kind::kBackoff);
  auto cursor = store_->GetCursor("x", "mentions");
  ASSERT_TRUE(cursor.ok() && cursor->has_value());
  EXPECT_EQ((*cursor)->paused_until, reset_s * 1000 + 1000);
  EXPECT_FALSE((*cursor)->cursor.has_value());  // nothing read, nothing advanced
  EXPECT_NE((*cursor)->pause_reason->find("Batas permintaan X"), std::string::npos);
  EXPECT_EQ(*store_->CountPosts(), 0);
}

TEST_F(RunnerTest, ExpiredTokenPausesTheSourceWithAMessageForOperators) {
  fake_->InjectOnce("/tags", Fault{.status = 400, .body = R"({"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":463}})"});
  SourceRunner runner(ig_.get(), store_.get(), &holder_, &clock_, IngestOptions{});
  PollReport r = runner.Poll("tags", false);
  EXPECT_EQ(r.kind, PollOutcome::Kind::kPaused);
  auto cursor = store_->GetCursor("instagram", "tags");
  EXPECT_EQ((*cursor)->paused_until, kPausedForever);
  EXPECT_NE((*cursor)->pause_reason->find("token perlu diperbarui"), std::string::npos);
}

TEST_F(RunnerTest, DryRunWritesNothing) {
  SourceRunner runner(x_.get(), store_.get(), &holder_, &clock_, IngestOptions{});
  PollReport r = runner.Poll("mentions", true);
  EXPECT_EQ(r.fetched, 60);
  EXPECT_EQ(r.posts.size(), 60u);
  EXPECT_EQ(*store_->CountPosts(), 0);
  EXPECT_FALSE(store_->GetCursor("x", "mentions")->has_value());
}

// Webhooks: verification, signatures, storing once, then fetching the mention.
class WebhookTest : public RunnerTest {
 protected:
  void SetUp() override {
    RunnerTest::SetUp();
    ASSERT_GE(sodium_init(), 0);
    receiver_ = std::make_unique<web::WebhookReceiver>(Secret("verify-me"), Secret("app-secret"), store_.get(), nullptr);
    handler_ = web::MakeAppHandler({.store = store_.get(), .webhook = receiver_.get(), .rules_loaded = {}, .version = "t"});
  }
  web::Response Post(const std::string& body, const std::optional<std::string>& signature) {
    web::Request req{web::http::verb::post, "/webhook/meta", 11};
    req.body() = body;
    if (signature) req.set("X-Hub-Signature-256", *signature);
    req.prepare_payload();
    return handler_(req, "127.0.0.1");
  }
  std::unique_ptr<web::WebhookReceiver> receiver_;
  web::Handler handler_;
};

TEST_F(WebhookTest, VerificationEchoesTheChallengeOnlyForTheRightToken) {
  web::Request good{web::http::verb::get, "/webhook/meta?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", 11};
  auto ok = handler_(good, "");
  EXPECT_EQ(ok.result(), web::http::status::ok);
  EXPECT_EQ(ok.body(), "1158201444");
  web::Request bad{web::http::verb::get, "/webhook/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1", 11};
  EXPECT_EQ(handler_(bad, "").result(), web::http::status::forbidden);
}

TEST_F(WebhookTest, SignaturesAreCheckedAndTheSameEventIsStoredOnce) {
  // A caption mention of a media in the feed (an Instagram "tags" line serves as the media).
  const std::string body =
      R"({"object":"instagram","entry":[{"id":"17841400000000001","time":1764380000,"changes":[{"field":"mentions","value":{"media_id":")" +
      std::string("17900000000000001") + R"("}}]}]})";
  FeedItem media;
  media.platform = "instagram";
  media.endpoint = "tags";
  media.id = "17900000000000001";
  media.text = "@pemkabcilacap jalan desa Kepudang kec Binangun rusak parah tolong diperbaiki";
  media.author_handle = "warga_kepudang";
  media.created_at = kNow;
  media.permalink = "https://www.instagram.com/p/abc/";
  fake_->Add(media);

  EXPECT_EQ(Post(body, std::nullopt).result(), web::http::status::unauthorized);
  EXPECT_EQ(Post(body, "sha256=" + std::string(64, '0')).result(), web::http::status::unauthorized);
  EXPECT_EQ(Post(body + " ", web::MetaSignature("app-secret", body)).result(), web::http::status::unauthorized);
  EXPECT_EQ(receiver_->bad_signatures(), 3u);
  const std::string sig = web::MetaSignature("app-secret", body);
  EXPECT_EQ(Post(body, sig).result(), web::http::status::ok);
  EXPECT_EQ(Post(body, sig).result(), web::http::status::ok);  // Meta may deliver twice
  EXPECT_EQ(receiver_->stored(), 1u);
  EXPECT_EQ(receiver_->duplicates(), 1u);

  SourceRunner runner(ig_.get(), store_.get(), &holder_, &clock_, IngestOptions{});
  WebhookTargets targets{.instagram = ig_.get(), .instagram_runner = &runner, .facebook_runner = nullptr};
  EXPECT_EQ(ProcessWebhookEvents(store_.get(), targets), 1);
  EXPECT_EQ(ProcessWebhookEvents(store_.get(), targets), 0);  // done once
  EXPECT_EQ(*store_->CountPosts(), 1);
  auto drafts = store_->ListDrafts({});
  ASSERT_EQ(drafts->size(), 1u);
  EXPECT_EQ((*drafts)[0].kecamatan, "Binangun");
  EXPECT_EQ((*drafts)[0].url, "https://www.instagram.com/p/abc/");
}

TEST(WebhookParsing, FacebookFeedChangesBecomePosts) {
  auto posts = FacebookFeedPosts(
      R"({"object":"page","entry":[{"id":"100064512345678","time":1764380000,"changes":[)"
      R"({"field":"feed","value":{"item":"comment","verb":"add","post_id":"100064512345678_1","comment_id":"1_2","parent_id":"100064512345678_1","message":"sampah numpuk di pasar Kroya","from":{"id":"77","name":"Siti"},"created_time":1764380000}},)"
      R"({"field":"feed","value":{"item":"reaction","verb":"add","post_id":"100064512345678_1"}}]}]})");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].id, "1_2");
  EXPECT_EQ(posts[0].author_name, "Siti");
  EXPECT_EQ(posts[0].kind, "comment");
  EXPECT_EQ(posts[0].created_at, 1764380000000);
  EXPECT_TRUE(FacebookFeedPosts("{not json").empty());
}

}  // namespace
}  // namespace sambat::daemon
