// Every connector against the fake platform server over real HTTP (libcurl on loopback).
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "base/clock.h"
#include "connectors/facebook/facebook_connector.h"
#include "connectors/http/curl_transport.h"
#include "connectors/instagram/instagram_connector.h"
#include "connectors/json_util.h"
#include "connectors/x/x_connector.h"
#include "tests/support/snowflake.h"
#include "tools/fake_platform/fake_platform.h"

namespace sambat::connectors {
namespace {

using fake::Fault;
using fake::FeedItem;
using Kind = PollOutcome::Kind;

constexpr int64_t kStart = 1'764'300'000'000;  // 2025-11-28

using sambat::testing::Snowflake;

class ConnectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake::FakePlatform::Options o;
    o.page_size = 5;
    o.now_ms = [this] { return ToUnixMillis(clock_.Now()); };
    fake_ = std::make_unique<fake::FakePlatform>(ioc_, o);
    ASSERT_TRUE(fake_->Start().ok());
    thread_ = std::thread([this] { ioc_.run(); });
  }
  void TearDown() override {
    boost::asio::post(ioc_, [this] { fake_->Stop(); });
    thread_.join();
  }
  void AddX(int n, const std::string& endpoint = "mentions", int64_t step_ms = 10 * 60'000) {
    for (int i = 0; i < n; ++i) {
      FeedItem f;
      f.platform = "x";
      f.endpoint = endpoint;
      f.created_at = kStart + (x_count_++) * step_ms;
      f.id = Snowflake(f.created_at);
      f.text = "jalan rusak nomor " + std::to_string(x_count_);
      f.author_id = "900" + std::to_string(x_count_);
      f.author_handle = "warga" + std::to_string(x_count_);
      f.author_name = "Warga " + std::to_string(x_count_);
      fake_->Add(f);
    }
  }
  XConnector X() {
    XOptions o;
    o.base_url = fake_->base_url();
    o.user_id = "1234567890";
    o.bearer_token = Secret("x-token");
    return XConnector(o, &http_, &clock_);
  }
  FacebookConnector Facebook() {
    FacebookOptions o;
    o.base_url = fake_->base_url() + "/v25.0";
    o.page_id = "100064512345678";
    o.access_token = Secret("fb-token");
    return FacebookConnector(o, &http_, &clock_);
  }
  InstagramConnector Instagram() {
    InstagramOptions o;
    o.base_url = fake_->base_url() + "/v25.0";
    o.user_id = "17841400000000001";
    o.access_token = Secret("ig-token");
    return InstagramConnector(o, &http_, &clock_);
  }
  FeedItem Graph(const std::string& platform, const std::string& endpoint, int i,
                 std::optional<std::string> parent = std::nullopt) {
    FeedItem f;
    f.platform = platform;
    f.endpoint = endpoint;
    f.id = platform == "facebook" && endpoint != "comments" ? "100064512345678_" + std::to_string(5000 + i)
                                                             : std::to_string(17900000000000000LL + i);
    f.parent_id = parent;
    f.text = "sampah numpuk " + std::to_string(i);
    f.created_at = kStart + i * 60'000;
    f.permalink = "https://example.invalid/" + f.id;
    f.author_handle = "warga" + std::to_string(i);
    return f;
  }

  boost::asio::io_context ioc_{1};
  std::unique_ptr<fake::FakePlatform> fake_;
  std::thread thread_;
  CurlGlobal curl_global_;
  CurlTransport http_{CurlOptions{}};
  FakeClock clock_{FromUnixMillis(kStart + 24 * 3600'000)};
  int x_count_ = 0;
};

TEST(Timestamps, TheThreeFormsParse) {
  EXPECT_EQ(ParseTimestamp("2021-08-19T09:00:22+0000"), 1629363622000);
  EXPECT_EQ(ParseTimestamp("2021-02-24T02:13:43.000Z"), 1614132823000);
  EXPECT_EQ(ParseTimestamp("2021-02-24T02:13:43.250Z"), 1614132823250);
  EXPECT_EQ(ParseTimestamp("2021-08-19T16:00:22+07:00"), 1629363622000);
  EXPECT_EQ(ParseTimestamp("1629363622"), 1629363622000);
  EXPECT_FALSE(ParseTimestamp("yesterday"));
  EXPECT_FALSE(ParseTimestamp("2021-13-19T09:00:22+0000"));
}

TEST(Json, HostileNestingIsRefusedNotOverflowed) {
  rapidjson::Document doc;
  EXPECT_FALSE(ParseJson(std::string(200000, '[') + std::string(200000, ']'), &doc).ok());
  EXPECT_FALSE(ParseJson("{\"data\": [", &doc).ok());
  EXPECT_TRUE(ParseJson("{\"data\": []}", &doc).ok());
}

TEST_F(ConnectorTest, XPagesToTheEndAndJoinsIncludes) {
  AddX(12);
  auto x = X();
  PollOutcome out = x.Poll("mentions", std::nullopt);
  ASSERT_EQ(out.kind, Kind::kOk) << out.log_message;
  EXPECT_EQ(out.posts.size(), 12u);
  EXPECT_EQ(out.requests, 3);  // 5 + 5 + 2
  EXPECT_EQ(out.cursor, Snowflake(kStart + 11 * 10 * 60'000));
  EXPECT_EQ(out.posts[0].author_handle, "warga12");
  EXPECT_EQ(out.posts[0].url, "https://x.com/warga12/status/" + out.posts[0].id);
  EXPECT_EQ(out.rate_remaining, 447);
}

TEST_F(ConnectorTest, XEmptyPageHasNoDataKey) {
  auto x = X();
  PollOutcome out = x.Poll("mentions", std::nullopt);
  ASSERT_EQ(out.kind, Kind::kOk);
  EXPECT_TRUE(out.posts.empty());
  EXPECT_EQ(out.requests, 1);
  EXPECT_FALSE(out.cursor.has_value());
}

TEST_F(ConnectorTest, XResumesFromTheCursorWithOneRequestAndOnlyTheOverlap) {
  AddX(12);
  auto x = X();
  PollOutcome first = x.Poll("mentions", std::nullopt);
  ASSERT_EQ(first.kind, Kind::kOk);
  fake_->ResetLog();
  PollOutcome again = x.Poll("mentions", first.cursor);  // nothing new
  ASSERT_EQ(again.kind, Kind::kOk);
  EXPECT_EQ(again.requests, 1);
  EXPECT_EQ(fake_->Requests("/mentions"), 1);
  // Only the newest post lies inside the 2-minute overlap window.
  ASSERT_EQ(again.posts.size(), 1u);
  EXPECT_EQ(again.posts[0].id, *first.cursor);
  AddX(3);
  PollOutcome more = x.Poll("mentions", again.cursor);
  EXPECT_EQ(more.posts.size(), 4u);  // 3 new + the overlap
}

TEST_F(ConnectorTest, XBacklogLargerThanOnePollContinuesOnTheNext) {
  AddX(12);
  XOptions o;
  o.base_url = fake_->base_url();
  o.user_id = "1234567890";
  o.bearer_token = Secret("t");
  o.max_pages = 2;
  XConnector x(o, &http_, &clock_);
  PollOutcome first = x.Poll("mentions", std::nullopt);
  ASSERT_EQ(first.kind, Kind::kOk);
  EXPECT_EQ(first.posts.size(), 10u);
  ASSERT_TRUE(first.cursor.has_value());
  EXPECT_NE(first.cursor->find(';'), std::string::npos);  // resume point, not a new watermark
  PollOutcome second = x.Poll("mentions", first.cursor);
  ASSERT_EQ(second.kind, Kind::kOk);
  EXPECT_EQ(second.posts.size(), 2u);
  EXPECT_EQ(second.cursor, Snowflake(kStart + 11 * 10 * 60'000));  // the newest, once all was read
  // An expired resume token: the backlog is read again from the watermark.
  fake_->InjectOnce("/mentions", Fault{.status = 400, .body = R"({"title":"Invalid Request","status":400})"});
  PollOutcome retried = x.Poll("mentions", first.cursor);
  ASSERT_EQ(retried.kind, Kind::kOk) << retried.log_message;
  EXPECT_EQ(retried.posts.size(), 10u);
}

TEST_F(ConnectorTest, X429WaitsForTheResetHeaderWithoutSleeping) {
  AddX(3);
  const int64_t reset_s = kStart / 1000 + 86400 + 600;
  fake_->InjectOnce("/mentions", Fault{.status = 429,
                                       .body = R"({"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429})",
                                       .headers = {{"x-rate-limit-reset", std::to_string(reset_s)}, {"x-rate-limit-remaining", "0"}}});
  auto x = X();
  PollOutcome out = x.Poll("mentions", std::nullopt);
  EXPECT_EQ(out.kind, Kind::kBackoff);
  EXPECT_EQ(out.retry_at, reset_s * 1000 + 1000);
  EXPECT_TRUE(out.posts.empty());
  EXPECT_FALSE(out.cursor.has_value());
}

TEST_F(ConnectorTest, XUsageCapAndBadTokenPauseTheSource) {
  fake_->InjectOnce("/mentions", Fault{.status = 429, .body = R"({"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.twitter.com/2/problems/usage-capped","period":"Monthly","scope":"Product"})"});
  auto x = X();
  PollOutcome cap = x.Poll("mentions", std::nullopt);
  EXPECT_EQ(cap.kind, Kind::kPaused);
  EXPECT_NE(cap.operator_message.find("Kuota"), std::string::npos);
  fake_->InjectOnce("/mentions", Fault{.status = 401, .body = R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})"});
  PollOutcome unauthorized = x.Poll("mentions", std::nullopt);
  EXPECT_EQ(unauthorized.kind, Kind::kPaused);
  EXPECT_NE(unauthorized.operator_message.find("Token X"), std::string::npos);
}

TEST_F(ConnectorTest, XMalformedItemIsSkippedAndTheRestKept) {
  AddX(2);
  FeedItem bad;
  bad.platform = "x";
  bad.endpoint = "mentions";
  bad.created_at = kStart + 30 * 60'000 + 1;
  bad.id = Snowflake(bad.created_at);
  bad.malformed = true;
  fake_->Add(bad);
  AddX(2);
  PollOutcome out = X().Poll("mentions", std::nullopt);
  ASSERT_EQ(out.kind, Kind::kOk);
  EXPECT_EQ(out.posts.size(), 4u);
  EXPECT_EQ(out.skipped_items, 1);
}

TEST_F(ConnectorTest, XGzipAndTruncatedBodies) {
  AddX(3);
  fake_->SetGzip(true);
  PollOutcome zipped = X().Poll("mentions", std::nullopt);
  ASSERT_EQ(zipped.kind, Kind::kOk) << zipped.log_message;
  EXPECT_EQ(zipped.posts.size(), 3u);
  fake_->SetGzip(false);
  fake_->InjectOnce("/mentions", Fault{.truncate = true});
  PollOutcome cut = X().Poll("mentions", std::nullopt);
  EXPECT_EQ(cut.kind, Kind::kBackoff);
  EXPECT_NE(cut.log_message.find("unreadable"), std::string::npos);
}

TEST_F(ConnectorTest, XSlowServerTimesOut) {
  CurlOptions quick;
  quick.total_timeout = std::chrono::milliseconds(300);
  CurlTransport impatient(quick);
  XOptions o;
  o.base_url = fake_->base_url();
  o.user_id = "1234567890";
  o.bearer_token = Secret("t");
  XConnector x(o, &impatient, &clock_);
  fake_->InjectOnce("/mentions", Fault{.delay = std::chrono::milliseconds(1200)});
  PollOutcome out = x.Poll("mentions", std::nullopt);
  EXPECT_EQ(out.kind, Kind::kBackoff);
}

TEST_F(ConnectorTest, FacebookFollowsPagingNextAndNeverLeaksItsToken) {
  for (int i = 0; i < 12; ++i) fake_->Add(Graph("facebook", "feed", i * 10));  // 10 minutes apart
  fake_->InjectOnce("/feed", Fault{});  // first page normal
  fake_->InjectOnce("/feed", Fault{.truncate = true});  // the paging.next page breaks
  auto fb = Facebook();
  PollOutcome broken = fb.Poll("feed", std::nullopt);
  EXPECT_EQ(broken.kind, Kind::kBackoff);
  EXPECT_TRUE(broken.posts.empty());  // nothing half-done
  EXPECT_EQ(broken.log_message.find("FAKE-PAGE-TOKEN"), std::string::npos) << broken.log_message;
  PollOutcome out = fb.Poll("feed", std::nullopt);
  ASSERT_EQ(out.kind, Kind::kOk) << out.log_message;
  EXPECT_EQ(out.posts.size(), 12u);
  EXPECT_EQ(out.requests, 3);
  EXPECT_EQ(out.cursor, std::to_string((kStart + 110 * 60'000) / 1000));
  fake_->ResetLog();
  PollOutcome again = fb.Poll("feed", out.cursor);
  EXPECT_EQ(again.requests, 1);
  EXPECT_EQ(again.posts.size(), 1u);  // only the overlap window (5 minutes): the newest post
}

TEST_F(ConnectorTest, FacebookBacklogLargerThanOnePollContinuesWithUntil) {
  for (int i = 0; i < 12; ++i) fake_->Add(Graph("facebook", "feed", i * 10));
  FacebookOptions o;
  o.base_url = fake_->base_url() + "/v25.0";
  o.page_id = "100064512345678";
  o.access_token = Secret("t");
  o.max_pages = 2;
  FacebookConnector fb(o, &http_, &clock_);
  PollOutcome first = fb.Poll("feed", std::nullopt);
  ASSERT_EQ(first.kind, Kind::kOk);
  EXPECT_EQ(first.posts.size(), 10u);
  PollOutcome second = fb.Poll("feed", first.cursor);
  ASSERT_EQ(second.kind, Kind::kOk);
  std::set<std::string> ids;
  for (const auto& p : first.posts) ids.insert(p.id);
  for (const auto& p : second.posts) ids.insert(p.id);
  EXPECT_EQ(ids.size(), 12u);  // nothing skipped
  EXPECT_EQ(second.cursor, std::to_string((kStart + 110 * 60'000) / 1000));
}

TEST_F(ConnectorTest, GraphEmptyPagesAndMalformedItems) {
  PollOutcome empty_fb = Facebook().Poll("feed", std::nullopt);
  ASSERT_EQ(empty_fb.kind, Kind::kOk);
  EXPECT_TRUE(empty_fb.posts.empty());
  EXPECT_EQ(empty_fb.requests, 1);
  PollOutcome empty_ig = Instagram().Poll("tags", std::nullopt);
  ASSERT_EQ(empty_ig.kind, Kind::kOk);
  EXPECT_TRUE(empty_ig.posts.empty());
  for (int i = 0; i < 3; ++i) fake_->Add(Graph("facebook", "tagged", i));
  FeedItem bad = Graph("facebook", "tagged", 9);
  bad.malformed = true;  // "message" is a number
  fake_->Add(bad);
  PollOutcome fb = Facebook().Poll("tagged", std::nullopt);
  ASSERT_EQ(fb.kind, Kind::kOk);
  EXPECT_EQ(fb.posts.size(), 3u);
  EXPECT_EQ(fb.skipped_items, 1);
  for (int i = 0; i < 3; ++i) fake_->Add(Graph("instagram", "tags", i));
  FeedItem bad_ig = Graph("instagram", "tags", 9);
  bad_ig.malformed = true;  // no id, no caption
  fake_->Add(bad_ig);
  PollOutcome ig = Instagram().Poll("tags", std::nullopt);
  ASSERT_EQ(ig.kind, Kind::kOk);
  EXPECT_EQ(ig.posts.size(), 3u);
  EXPECT_EQ(ig.skipped_items, 1);
}

TEST_F(ConnectorTest, FacebookTaggedPostsMayHideTheirAuthor) {
  FeedItem f = Graph("facebook", "tagged", 1);
  f.author_handle.reset();
  fake_->Add(f);
  PollOutcome out = Facebook().Poll("tagged", std::nullopt);
  ASSERT_EQ(out.posts.size(), 1u);
  EXPECT_FALSE(out.posts[0].author_name.has_value());
  EXPECT_EQ(out.posts[0].kind, "tag");
}

TEST_F(ConnectorTest, FacebookCommentsOnOwnPosts) {
  FeedItem own = Graph("facebook", "feed", 1);
  own.author_handle = "pemkabcilacap";
  fake_->Add(own);
  for (int i = 2; i < 9; ++i) fake_->Add(Graph("facebook", "comments", i, own.id));
  PollOutcome out = Facebook().Poll("comments", std::nullopt);
  ASSERT_EQ(out.kind, Kind::kOk) << out.log_message;
  EXPECT_EQ(out.posts.size(), 7u);
  EXPECT_EQ(out.posts[0].parent_id, own.id);
}

TEST_F(ConnectorTest, GraphErrorsAreClassifiedByCode) {
  struct Case {
    int code, subcode;
    Kind kind;
    const char* says;
  } cases[] = {{190, 463, Kind::kPaused, "token perlu diperbarui"},
               {190, 460, Kind::kPaused, "token perlu diperbarui"},
               {100, 0, Kind::kPaused, "Izin Facebook"},
               {200, 0, Kind::kPaused, "Izin Facebook"},
               {4, 0, Kind::kBackoff, "Batas permintaan"},
               {32, 0, Kind::kBackoff, "Batas permintaan"},
               {80001, 0, Kind::kBackoff, "Batas permintaan"},
               {2, 0, Kind::kBackoff, "bermasalah"}};
  for (const auto& c : cases) {
    std::string body = R"({"error":{"message":"x","type":"OAuthException","code":)" + std::to_string(c.code) +
                       (c.subcode ? R"(,"error_subcode":)" + std::to_string(c.subcode) : "") + "}}";
    fake_->InjectOnce("/tagged", Fault{.status = 400, .body = body});
    PollOutcome out = Facebook().Poll("tagged", std::nullopt);
    EXPECT_EQ(out.kind, c.kind) << c.code;
    EXPECT_NE(out.operator_message.find(c.says), std::string::npos) << c.code << ": " << out.operator_message;
  }
}

TEST_F(ConnectorTest, GraphThrottleHonoursEstimatedTimeToRegainAccess) {
  fake_->InjectOnce("/feed", Fault{.status = 400,
                                   .body = R"({"error":{"message":"(#32) Page request limit reached","type":"OAuthException","code":32}})",
                                   .headers = {{"X-Business-Use-Case-Usage", R"({"100064512345678":[{"type":"pages","call_count":100,"total_cputime":12,"total_time":20,"estimated_time_to_regain_access":42}]})"}}});
  PollOutcome out = Facebook().Poll("feed", std::nullopt);
  EXPECT_EQ(out.kind, Kind::kBackoff);
  EXPECT_EQ(out.retry_at, ToUnixMillis(clock_.Now()) + 42 * 60'000);
}

TEST_F(ConnectorTest, InstagramTagsCommentsAndMentions) {
  for (int i = 0; i < 7; ++i) fake_->Add(Graph("instagram", "tags", i));
  FeedItem media = Graph("instagram", "own_media", 20);
  fake_->Add(media);
  fake_->Add(Graph("instagram", "comments", 21, media.id));
  auto ig = Instagram();
  PollOutcome tags = ig.Poll("tags", std::nullopt);
  ASSERT_EQ(tags.kind, Kind::kOk) << tags.log_message;
  EXPECT_EQ(tags.posts.size(), 7u);
  EXPECT_EQ(tags.requests, 2);
  PollOutcome comments = ig.Poll("comments", std::nullopt);
  ASSERT_EQ(comments.kind, Kind::kOk) << comments.log_message;
  ASSERT_EQ(comments.posts.size(), 1u);
  EXPECT_EQ(comments.posts[0].parent_id, media.id);
  EXPECT_EQ(comments.posts[0].url, media.permalink);
  PollOutcome mention = ig.FetchMention(Graph("instagram", "tags", 3).id, std::nullopt);
  ASSERT_EQ(mention.posts.size(), 1u);
  EXPECT_EQ(mention.posts[0].kind, "mention");
  EXPECT_EQ(mention.posts[0].text, "sampah numpuk 3");
}

TEST_F(ConnectorTest, InstagramExpiredTokenPauses) {
  fake_->InjectOnce("/tags", Fault{.status = 400, .body = R"({"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}})"});
  PollOutcome out = Instagram().Poll("tags", std::nullopt);
  EXPECT_EQ(out.kind, Kind::kPaused);
  EXPECT_NE(out.operator_message.find("Token Instagram sudah kedaluwarsa"), std::string::npos) << out.operator_message;
}

}  // namespace
}  // namespace sambat::connectors
