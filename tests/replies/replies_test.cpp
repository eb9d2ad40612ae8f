// Replies to citizens: templates, the personal-data guard, where each post is answered, the
// platforms' verdicts, and the whole path from a real SQLite store through the real HTTP
// client to the fake platform server, in each mode and across an interrupted send.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <thread>

#include "base/clock.h"
#include "base/text_template.h"
#include "config/config.h"
#include "connectors/http/curl_transport.h"
#include "db/sqlite_store.h"
#include "handoff/dispatcher.h"
#include "replies/composer.h"
#include "replies/planner.h"
#include "replies/platform_replier.h"
#include "replies/privacy.h"
#include "replies/reply_target.h"
#include "tests/db/store_test_util.h"
#include "tests/support/db_scalar.h"
#include "tests/support/temp_dir.h"
#include "tools/fake_platform/fake_platform.h"

namespace sambat::replies {
namespace {

using namespace std::chrono_literals;
using handoff::Verdict;

// ---- templates

TEST(TextTemplate, RendersPlaceholdersAndLiteralBraces) {
  auto t = RenderTemplate("Tiket {tiket} untuk {opd} {{ok}}", {{"tiket", "LPR-7"}, {"opd", "DPUPR"}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "Tiket LPR-7 untuk DPUPR {ok}");
  EXPECT_FALSE(RenderTemplate("{nama}", {{"tiket", "1"}}).ok());
  auto names = TemplatePlaceholders("a {x} b {y}");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"x", "y"}));
  EXPECT_NE(TemplatePlaceholders("a {x b").status().message().find("character 3"), std::string::npos);
  EXPECT_FALSE(TemplatePlaceholders("a } b").ok());
  EXPECT_FALSE(TemplatePlaceholders("{}").ok());
}

TEST(RepliesConfig, TemplatesAreCheckedForPlaceholdersTheyCannotFill) {
  sambat::testing::TempDir dir;
  const std::string rules = SAMBAT_SOURCE_DIR "/rules";
  auto loaded = config::LoadConfigText("database: db.sqlite\nrules: " + rules +
                                           "\nreplies:\n  mode: review\n  per_hour: 12\n  templates:\n"
                                           "    tanda_terima: 'Halo {nama}, tiket {tiket}'\n",
                                       dir.File("c.yaml"));
  ASSERT_FALSE(loaded.ok());
  ASSERT_EQ(loaded.diagnostics.size(), 1u);
  EXPECT_EQ(loaded.diagnostics[0].line, 7);
  EXPECT_NE(loaded.diagnostics[0].message.find("{nama}"), std::string::npos);
  EXPECT_NE(loaded.diagnostics[0].message.find("{tiket}, {opd}"), std::string::npos);

  auto bad_mode = config::LoadConfigText("database: db.sqlite\nrules: " + rules + "\nreplies: {mode: always}\n",
                                         dir.File("c.yaml"));
  ASSERT_FALSE(bad_mode.ok());
  EXPECT_NE(bad_mode.diagnostics[0].message.find("off, review or auto"), std::string::npos);

  auto good = config::LoadConfigText("database: db.sqlite\nrules: " + rules +
                                         "\nreplies: {mode: auto, per_hour: 12, max_age: 2d}\n",
                                     dir.File("c.yaml"));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.config.replies.mode, "auto");
  EXPECT_EQ(good.config.replies.per_hour, 12);
  EXPECT_EQ(good.config.replies.max_age, std::chrono::hours(48));
  EXPECT_EQ(good.config.replies.whatsapp, "085290082800");
}

// ---- personal data

TEST(Privacy, RedactsPhonesMailsNikAndTheAddress) {
  const std::string in =
      "Sudah diperbaiki. Hubungi pak Darto 0812-2733-4455 atau +62 857 1234 5678, (0282) 534123, "
      "darto@example.com, NIK 3301012345670001, rumah di Jl. Merpati No. 7 Kroya.";
  const std::string out = RedactPersonalData(in, {"jl. merpati no. 7"});
  EXPECT_EQ(out.find("0812"), std::string::npos) << out;
  EXPECT_EQ(out.find("857"), std::string::npos) << out;
  EXPECT_EQ(out.find("534123"), std::string::npos) << out;
  EXPECT_EQ(out.find("darto@"), std::string::npos) << out;
  EXPECT_EQ(out.find("3301012345670001"), std::string::npos) << out;
  EXPECT_EQ(out.find("Merpati"), std::string::npos) << out;
  EXPECT_NE(out.find("Sudah diperbaiki"), std::string::npos);
  EXPECT_TRUE(PersonalDataFound(out, {"jl. merpati no. 7"}, {}).empty()) << out;
}

TEST(Privacy, TicketsDatesAndTheOfficialNumberAreNotPersonalData) {
  const std::vector<std::string> allowed = {"085290082800"};
  EXPECT_TRUE(PersonalDataFound("Tiket LPR-2026-000042, 29-11-2026 pukul 10.15", {}, allowed).empty());
  EXPECT_TRUE(PersonalDataFound("WhatsApp 085290082800 atau +62 852-9008-2800", {}, allowed).empty());
  EXPECT_EQ(PersonalDataFound("WA saya 081227334455", {}, allowed), (std::vector<std::string>{"nomor telepon"}));
  EXPECT_EQ(PersonalDataFound("di Jl. Merpati No. 7", {"Jl. Merpati No. 7"}, allowed),
            (std::vector<std::string>{"nama atau alamat pemohon"}));
}

// ---- targets and lengths

TEST(ReplyTarget, EachPostKindHasItsEndpoint) {
  EXPECT_EQ(TargetFor("x", "mention", "1799", std::nullopt)->kind, "x_reply");
  EXPECT_EQ(TargetFor("facebook", "comment", "12_34", "12")->kind, "fb_comment");
  EXPECT_EQ(TargetFor("instagram", "comment", "1790", "1780")->kind, "ig_comment_reply");
  auto caption = TargetFor("instagram", "mention", "1780", std::nullopt);
  EXPECT_EQ(caption->kind, "ig_mention");
  EXPECT_EQ(caption->media_id, "1780");
  EXPECT_FALSE(caption->comment_id);
  auto comment = TargetFor("instagram", "mention", "1790", "1780");
  EXPECT_EQ(comment->media_id, "1780");
  EXPECT_EQ(comment->comment_id, "1790");
  auto tag = TargetFor("instagram", "tag", "1781", std::nullopt);
  ASSERT_FALSE(tag.ok());
  EXPECT_NE(tag.status().message().find("manual"), std::string::npos);
  EXPECT_FALSE(TargetFor("manual", "post", "m1", std::nullopt).ok());
}

TEST(Composer, FitsXAtAWordBoundary) {
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "jalan ";
  const std::string fitted = FitLength(long_text, 280);
  size_t chars = 0;
  for (unsigned char c : fitted) chars += (c & 0xC0) != 0x80;
  EXPECT_LE(chars, 280u);
  EXPECT_TRUE(fitted.ends_with("jalan…")) << fitted;
  EXPECT_EQ(FitLength("pendek", 280), "pendek");
}

db::ReplyEvent Event(const std::string& tmpl) {
  db::ReplyEvent e;
  e.template_name = tmpl;
  e.key = "reply:" + tmpl + ":7";
  e.draft_id = 7;
  e.platform = "x";
  e.post_kind = "mention";
  e.post_id = "1799000000000000001";
  e.ticket = "LPR-2026-0042";
  e.opd = "DPUPR";
  e.alamat = "Jl. Merpati No. 7";
  e.missing_fields_json = R"(["nama","alamat"])";
  return e;
}

std::string OpdName(const std::string& code) {
  return code == "DPUPR" ? "Dinas Pekerjaan Umum dan Penataan Ruang" : code;
}

TEST(Composer, FillsEachTemplateAndNeverCarriesPersonalData) {
  config::RepliesConfig cfg;
  cfg.mode = "review";
  auto receipt = ComposeReply(Event("tanda_terima"), cfg, OpdName);
  EXPECT_EQ(receipt.status, "review");
  EXPECT_NE(receipt.payload_json.find("LPR-2026-0042"), std::string::npos);
  EXPECT_NE(receipt.payload_json.find("Dinas Pekerjaan Umum"), std::string::npos);
  // The target names the post answered (the X request's in_reply_to_tweet_id is built from it).
  EXPECT_NE(receipt.payload_json.find(R"("target":{"kind":"x_reply","id":"1799000000000000001"})"), std::string::npos)
      << receipt.payload_json;

  cfg.mode = "auto";
  auto missing = ComposeReply(Event("kelengkapan"), cfg, OpdName);
  EXPECT_EQ(missing.status, "pending");
  EXPECT_NE(missing.payload_json.find("nama lengkap, alamat atau lokasi kejadian"), std::string::npos);
  EXPECT_NE(missing.payload_json.find("085290082800"), std::string::npos);
  EXPECT_NE(missing.payload_json.find("laporbup.cilacapkab.go.id"), std::string::npos);

  auto answer_event = Event("jawaban_akhir");
  answer_event.jawaban = "Jalan di Jl. Merpati No. 7 sudah ditambal. Info: pak RT 0812 2733 4455.";
  auto answer = ComposeReply(answer_event, cfg, OpdName);
  EXPECT_EQ(answer.status, "pending");
  EXPECT_NE(answer.payload_json.find("sudah ditambal"), std::string::npos);
  EXPECT_EQ(answer.payload_json.find("Merpati"), std::string::npos) << answer.payload_json;
  EXPECT_EQ(answer.payload_json.find("2733"), std::string::npos) << answer.payload_json;

  // A template that itself carries a phone number is refused, and says why.
  cfg.templates.tanda_terima = "Tiket {tiket}. Hubungi petugas kami di 081299998888.";
  auto leaky = ComposeReply(Event("tanda_terima"), cfg, OpdName);
  EXPECT_EQ(leaky.status, "dead");
  EXPECT_NE(leaky.error->find("nomor telepon"), std::string::npos);

  auto tag = Event("tanda_terima");
  tag.platform = "instagram";
  tag.post_kind = "tag";
  auto tagged = ComposeReply(tag, config::RepliesConfig{}, OpdName);
  EXPECT_EQ(tagged.status, "dead");
  EXPECT_NE(tagged.error->find("Instagram"), std::string::npos);
}

// ---- the platforms' answers

connectors::HttpResponse Answer(int status, std::string body,
                                std::vector<std::pair<std::string, std::string>> headers = {}) {
  connectors::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(Verdicts, XReplies) {
  const int64_t now = 1'764'000'000'000;
  auto ok = JudgeXReply(Answer(201, R"({"data":{"id":"1990","text":"t"}})"), now);
  EXPECT_EQ(ok.kind, Verdict::Kind::kDelivered);
  EXPECT_EQ(ok.external_ref, "1990");
  auto limited = JudgeXReply(Answer(429, "{}", {{"x-rate-limit-reset", std::to_string(now / 1000 + 600)}}), now);
  EXPECT_EQ(limited.kind, Verdict::Kind::kRetry);
  EXPECT_EQ(limited.retry_after_ms, 600'000);
  auto capped = JudgeXReply(Answer(429, R"({"title":"UsageCapExceeded","type":"https://api.twitter.com/2/problems/usage-capped"})"), now);
  EXPECT_EQ(capped.kind, Verdict::Kind::kDead);  // waiting for the window would not help
  EXPECT_NE(capped.message.find("Kuota bulanan X"), std::string::npos) << capped.message;
  EXPECT_EQ(JudgeXReply(Answer(503, ""), now).kind, Verdict::Kind::kRetry);  // not taken
  // The reply may be public already: no automatic second try.
  EXPECT_EQ(JudgeXReply(Answer(500, ""), now).kind, Verdict::Kind::kDead);
  EXPECT_EQ(JudgeXReply(Answer(504, ""), now).kind, Verdict::Kind::kDead);
  EXPECT_EQ(JudgeXReply(Answer(201, R"({"data":{}})"), now).kind, Verdict::Kind::kDead);
  auto refused = JudgeXReply(Answer(403, R"({"detail":"Application-Only is forbidden"})"), now);
  EXPECT_EQ(refused.kind, Verdict::Kind::kDead);
  EXPECT_NE(refused.message.find("reply_token_file"), std::string::npos);
  // Never reached X: safe to try again. Maybe reached X: a person looks first.
  EXPECT_EQ(JudgeXReply(Status::IoError("connection refused"), now).kind, Verdict::Kind::kRetry);
  auto unsure = JudgeXReply(Status::Unavailable("timed out"), now);
  EXPECT_EQ(unsure.kind, Verdict::Kind::kDead);
  EXPECT_NE(unsure.message.find("Tidak pasti"), std::string::npos);
}

TEST(Verdicts, GraphReplies) {
  const int64_t now = 1'764'000'000'000;
  auto ok = JudgeGraphReply(Answer(200, R"({"id":"245778718206154_229887283291835"})"), "Facebook", now);
  EXPECT_EQ(ok.kind, Verdict::Kind::kDelivered);
  EXPECT_EQ(ok.external_ref, "245778718206154_229887283291835");
  auto throttled = JudgeGraphReply(
      Answer(400, R"({"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4}})"),
      "Facebook", now);
  EXPECT_EQ(throttled.kind, Verdict::Kind::kRetry);
  auto expired = JudgeGraphReply(
      Answer(400, R"({"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":463}})"),
      "Instagram", now);
  EXPECT_EQ(expired.kind, Verdict::Kind::kDead);
  EXPECT_FALSE(expired.message.empty());
}

// ---- the whole path: store → planner → dispatcher → real HTTP → fake platform

class ReplyPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = db::SqliteStore::Open(dir_.File("db.sqlite"), &clock_);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    fake::FakePlatform::Options o;
    o.now_ms = [this] { return ToUnixMillis(clock_.Now()); };
    fake_ = std::make_unique<fake::FakePlatform>(ioc_, o);
    ASSERT_TRUE(fake_->Start().ok());
    thread_ = std::thread([this] { ioc_.run(); });
    http_ = std::make_unique<connectors::CurlTransport>(connectors::CurlOptions{.total_timeout = 1500ms});
    // Token files are read at each send: a rotated token needs no restart.
    PlatformAccounts accounts{.x = {fake_->base_url(), dir_.Write("x-user.token", "user-context-token"), o.x_user_id},
                              .facebook = {fake_->base_url() + "/v25.0", dir_.Write("page.token", "page-token"), o.page_id},
                              .instagram = {fake_->base_url() + "/v25.0", dir_.File("page.token"), o.ig_user_id}};
    replier_ = std::make_unique<PlatformReplier>(std::move(accounts), http_.get());
  }
  void TearDown() override {
    boost::asio::post(ioc_, [this] { fake_->Stop(); });
    thread_.join();
  }

  void UseMode(const std::string& mode, int per_hour = 30) {
    config::RepliesConfig cfg;
    cfg.mode = mode;
    cfg.per_hour = per_hour;
    planner_ = std::make_unique<ReplyPlanner>(store_.get(), cfg, OpdName);
    auto* planner = planner_.get();
    dispatcher_ = std::make_unique<handoff::Dispatcher>(
        store_.get(), replier_.get(), &clock_, handoff::RetryPolicy{}, [] { return 0.5; },
        handoff::DispatchOptions{
            .kind = "reply",
            .before_pass = [planner](int64_t now) { ASSERT_TRUE(planner->PlanOnce(now).ok()); },
            .hold = [planner](const db::OutboxItem& item, int64_t now) { return planner->Hold(item, now); }});
  }

  // A complaint on `platform` (kind, id, parent), seen by the fake platform too; its draft id.
  int64_t Complaint(const std::string& platform, const std::string& kind, const std::string& id,
                    const std::optional<std::string>& parent = std::nullopt, const std::string& endpoint = "mentions") {
    fake::FeedItem f;
    f.platform = platform;
    f.endpoint = endpoint;
    f.id = id;
    f.parent_id = parent;
    f.text = "jalan rusak";
    f.created_at = ToUnixMillis(clock_.Now());
    fake_->Add(f);
    auto item = db::testing::MakeItem(id, true);
    item.post.platform = platform;
    item.post.kind = kind;
    item.post.parent_platform_id = parent;
    item.draft->kanal = platform;
    item.draft->alamat = "Jl. Merpati No. 7";
    db::IngestBatch batch;
    batch.items.push_back(item);
    EXPECT_TRUE(store_->Ingest(batch).ok());
    return sambat::testing::Scalar(dir_.File("db.sqlite"), "SELECT max(id) FROM drafts");
  }

  // Confirmed and delivered to the pipeline with a ticket: the event behind "tanda terima".
  void ConfirmAndDeliver(int64_t draft_id, const std::string& ticket) {
    ASSERT_TRUE(store_->Decide({.draft_id = draft_id, .version = 1, .actor = "admin"}).ok());
    auto due = store_->DueOutbox("handoff", ToUnixMillis(clock_.Now()), 100);
    ASSERT_TRUE(due.ok());
    int delivered = 0;
    for (const auto& o : *due) {
      if (o.draft_id == draft_id) {
        ASSERT_TRUE(store_->MarkDelivered(o.id, ticket, ToUnixMillis(clock_.Now())).ok());
        ++delivered;
      }
    }
    ASSERT_EQ(delivered, 1);  // else the tests built on it would pass with no reply event at all
  }

  int64_t Count(const std::string& sql) { return sambat::testing::Scalar(dir_.File("db.sqlite"), sql); }

  sambat::testing::TempDir dir_;
  FakeClock clock_{FromUnixMillis(1'764'000'000'000)};
  std::unique_ptr<db::SqliteStore> store_;
  boost::asio::io_context ioc_{1};
  std::unique_ptr<fake::FakePlatform> fake_;
  std::thread thread_;
  std::unique_ptr<connectors::CurlTransport> http_;
  std::unique_ptr<PlatformReplier> replier_;
  std::unique_ptr<ReplyPlanner> planner_;
  std::unique_ptr<handoff::Dispatcher> dispatcher_;
};

TEST_F(ReplyPathTest, AutoModeAnswersOnEachPlatformOnceAndOnlyOnce) {
  UseMode("auto");
  const int64_t x = Complaint("x", "mention", "1799000000000000001");
  const int64_t fb = Complaint("facebook", "comment", "100064512345678_555", "100064512345678", "comments");
  const int64_t ig_comment = Complaint("instagram", "comment", "17900000000000111", "17800000000000111", "comments");
  const int64_t ig_mention = Complaint("instagram", "mention", "17800000000000222", std::nullopt, "mentions");
  const int64_t ig_tag = Complaint("instagram", "tag", "17800000000000333", std::nullopt, "tags");
  for (int64_t d : {x, fb, ig_comment, ig_mention, ig_tag}) ConfirmAndDeliver(d, "LPR-" + std::to_string(d));

  for (int pass = 0; pass < 3; ++pass) ASSERT_TRUE(dispatcher_->RunOnce().ok());

  const auto writes = fake_->Writes();
  ASSERT_EQ(writes.size(), 4u);
  EXPECT_EQ(writes[0].kind, "x_reply");
  EXPECT_EQ(writes[0].target_id, "1799000000000000001");
  EXPECT_EQ(writes[1].kind, "fb_comment");
  EXPECT_EQ(writes[1].target_id, "100064512345678_555");
  EXPECT_EQ(writes[2].kind, "ig_comment_reply");
  EXPECT_EQ(writes[3].kind, "ig_mention");
  EXPECT_EQ(writes[3].target_id, "17800000000000222");
  for (const auto& w : writes) {
    EXPECT_NE(w.text.find("LPR-"), std::string::npos) << w.text;
    EXPECT_EQ(w.text.find("Merpati"), std::string::npos) << w.text;
  }
  // Delivered with the platform's id; the photo tag is a dead letter that says why; all audited.
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE kind = 'reply' AND status = 'delivered' AND external_ref IS NOT NULL"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE kind = 'reply' AND status = 'dead' AND last_error LIKE '%Instagram%'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'reply_created'"), 5);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'reply_delivered'"), 4);

  // The OPD finishes the X complaint: one final answer, and nothing else is sent again.
  ASSERT_TRUE(store_->RecordDispositionStep({.draft_id = x, .step = "selesai", .at = ToUnixMillis(clock_.Now()),
                                             .note = "Sudah ditambal hari ini.", .actor = "pipeline"})
                  .ok());
  for (int pass = 0; pass < 3; ++pass) ASSERT_TRUE(dispatcher_->RunOnce().ok());
  ASSERT_EQ(fake_->Writes().size(), 5u);
  EXPECT_NE(fake_->Writes()[4].text.find("Sudah ditambal"), std::string::npos);
}

TEST_F(ReplyPathTest, ReviewModeWaitsForApprovalAndSendsTheEditedText) {
  UseMode("review");
  const int64_t d = Complaint("x", "mention", "1799000000000000002");
  ConfirmAndDeliver(d, "LPR-9");
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  EXPECT_TRUE(fake_->Writes().empty());
  auto review = store_->ListOutbox("reply", "review", 10);
  ASSERT_EQ(review->size(), 1u);

  ASSERT_TRUE(store_->ApproveReply(review->front().id, "Aduan Anda kami terima, tiket LPR-9.", "admin",
                                   ToUnixMillis(clock_.Now()))
                  .ok());
  EXPECT_EQ(store_->ApproveReply(review->front().id, std::nullopt, "admin", 0).code(), StatusCode::kNotFound);
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  ASSERT_EQ(fake_->Writes().size(), 1u);
  EXPECT_EQ(fake_->Writes()[0].text, "Aduan Anda kami terima, tiket LPR-9.");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'reply_approved' AND actor = 'admin'"
                  " AND after_json LIKE '%tiket LPR-9%'"), 1);

  // A discarded reply is never sent.
  const int64_t d2 = Complaint("x", "mention", "1799000000000000003");
  ConfirmAndDeliver(d2, "LPR-10");
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  review = store_->ListOutbox("reply", "review", 10);
  ASSERT_EQ(review->size(), 1u);
  ASSERT_TRUE(store_->DiscardReply(review->front().id, "Sudah dibalas manual", "admin", 0).ok());
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  EXPECT_EQ(fake_->Writes().size(), 1u);
}

TEST_F(ReplyPathTest, AReplyInterruptedMidSendIsNeverSentAgainByItself) {
  UseMode("auto");
  const int64_t d = Complaint("x", "mention", "1799000000000000004");
  ConfirmAndDeliver(d, "LPR-11");
  ASSERT_TRUE(planner_->PlanOnce(ToUnixMillis(clock_.Now())).ok());
  // A process died after marking it "sending": the platform may or may not have it.
  auto due = store_->DueOutbox("reply", ToUnixMillis(clock_.Now()), 10);
  ASSERT_EQ(due->size(), 1u);
  ASSERT_TRUE(store_->MarkSending(due->front().id, ToUnixMillis(clock_.Now())).ok());

  auto abandoned = store_->AbandonInterruptedReplies("terputus");
  ASSERT_TRUE(abandoned.ok());
  EXPECT_EQ(*abandoned, 1);
  for (int pass = 0; pass < 3; ++pass) ASSERT_TRUE(dispatcher_->RunOnce().ok());
  EXPECT_TRUE(fake_->Writes().empty());
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE kind = 'reply' AND status = 'dead'"), 1);
  // Admin Utama checked the platform and sends it again: once.
  EXPECT_EQ(store_->Resend(due->front().id, "handoff", "admin", 0).code(), StatusCode::kNotFound);  // not a hand-off
  ASSERT_TRUE(store_->Resend(due->front().id, "reply", "admin", ToUnixMillis(clock_.Now())).ok());
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  EXPECT_EQ(fake_->Writes().size(), 1u);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'reply_resend'"), 1);
}

TEST_F(ReplyPathTest, ThePerHourLimitHoldsTheRestForLater) {
  UseMode("auto", 2);
  for (int i = 0; i < 4; ++i) ConfirmAndDeliver(Complaint("x", "mention", "17990000000000001" + std::to_string(i)), "T" + std::to_string(i));
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  EXPECT_EQ(fake_->Writes().size(), 2u);
  clock_.Advance(61min);
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  EXPECT_EQ(fake_->Writes().size(), 4u);
}

TEST_F(ReplyPathTest, EventsOlderThanMaxAgeGetNoReply) {
  UseMode("auto");
  const int64_t d = Complaint("x", "mention", "1799000000000000005");
  ConfirmAndDeliver(d, "LPR-12");
  clock_.Advance(std::chrono::hours(24 * 4));  // beyond replies.max_age (3 days)
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  EXPECT_TRUE(fake_->Writes().empty());
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE kind = 'reply'"), 0);
}

TEST_F(ReplyPathTest, AReturnedDraftAsksForTheMissingDataWithoutRepeatingIt) {
  UseMode("auto");
  const int64_t d = Complaint("facebook", "post", "100064512345678_777", std::nullopt, "feed");
  ASSERT_TRUE(store_->Decide({.draft_id = d, .version = 1, .decision = db::Decision::kReturn,
                              .reason = "Data belum lengkap: nama dan alamat pelapor", .actor = "admin"})
                  .ok());
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  ASSERT_EQ(fake_->Writes().size(), 1u);
  const fake::Write w = fake_->Writes()[0];
  EXPECT_EQ(w.kind, "fb_comment");
  EXPECT_NE(w.text.find("alamat atau lokasi kejadian"), std::string::npos) << w.text;
  EXPECT_NE(w.text.find("085290082800"), std::string::npos);
  EXPECT_NE(w.text.find("laporbup.cilacapkab.go.id"), std::string::npos);
}

}  // namespace
}  // namespace sambat::replies
