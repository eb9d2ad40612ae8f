// The /api/v1 queue API against a real SQLite store: sessions, CSRF, roles, every error path,
// paging and search, decisions with optimistic locking, and two admins confirming at once.
#include "web/queue_api.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sodium.h>

#include <atomic>
#include <thread>

#include "base/clock.h"
#include "db/sqlite_store.h"
#include "tests/db/store_test_util.h"
#include "tests/support/temp_dir.h"
#include "web/credentials.h"
#include "web/routes.h"

namespace sambat::web {
namespace {

constexpr const char* kPassword = "kata-sandi-rahasia";

rapidjson::Document Json(const Response& res) {
  rapidjson::Document d;
  d.Parse(res.body().c_str());
  EXPECT_FALSE(d.HasParseError()) << res.body();
  return d;
}

std::string ErrorCode(const Response& res) {
  auto d = Json(res);
  if (!d.IsObject() || !d.HasMember("error")) return "";
  return d["error"]["code"].GetString();
}

class QueueApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    auto s = db::SqliteStore::Open(dir_.File("db.sqlite"), &clock_);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    static const Result<std::string> hash = HashPassword(kPassword);  // Argon2id is slow on purpose: once
    ASSERT_TRUE(hash.ok());
    ASSERT_TRUE(store_->CreateUser("admin", *hash, "admin_utama").ok());
    ASSERT_TRUE(store_->CreateUser("admin2", *hash, "admin_utama").ok());
    ASSERT_TRUE(store_->CreateUser("pengamat", *hash, "viewer").ok());
    auto token = MakeApiToken();
    token_ = token.token;
    ASSERT_TRUE(store_->CreateApiToken("alat", token.sha256_hex, "admin_utama").ok());
    auth_ = std::make_unique<Authenticator>(store_.get(), &clock_, AuthOptions{.secure_cookies = true});
    catalog_ = std::make_shared<QueueCatalog>(QueueCatalog{
        .opd = {{"DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"}, {"DISHUB", "Dinas Perhubungan"}},
        .kecamatan = {"Kroya", "Kesugihan"},
        .kategori = {"Jalan rusak"}});
    api_ = std::make_unique<QueueApi>(QueueApiDeps{
        .queue = store_.get(),
        .store = store_.get(),
        .auth = auth_.get(),
        .clock = &clock_,
        .catalog = [this] { return catalog_; },
        .manual_entry = [this](const ManualPost& p) -> Result<int64_t> {
          db::ManualEntry e;
          e.actor = p.actor;
          e.item.post.platform = "manual";
          e.item.post.platform_id = p.url.value_or(p.text);
          e.item.post.text = p.text;
          e.item.post.url = p.url;
          db::DraftRecord d;
          d.pesan = p.text;
          d.kanal = p.kanal;
          d.nama = p.nama;
          d.alamat = p.alamat;
          d.sla_due_at = ToUnixMillis(clock_.Now()) + 15 * 60'000;
          e.item.draft = d;
          return store_->CreateManualDraft(e);
        },
        .outbox = store_.get(),
        .on_confirmed = [this] { ++confirmations_; },
        .sop_limits = {}});
    handler_ = MakeAppHandler({.store = store_.get(), .api = api_.get(), .rules_loaded = nullptr, .version = "t"});
  }

  // Drafts 1..n, one second apart, as captured.
  void Seed(int n) {
    for (int i = 0; i < n; ++i) {
      db::IngestBatch b;
      auto item = db::testing::MakeItem("p" + std::to_string(next_post_++), true);
      item.post.text += " nomor " + std::to_string(next_post_);
      item.draft->pesan = item.post.text;
      b.items.push_back(item);
      ASSERT_TRUE(store_->Ingest(b).ok());
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  Response Call(http::verb method, const std::string& target, const std::string& body = "",
                const std::map<std::string, std::string>& headers = {}, const std::string& remote = "10.0.0.1") {
    Request req{method, target, 11};
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    return handler_(req, remote);
  }

  struct Login {
    std::string cookie, csrf;
  };
  Login LogIn(const std::string& user) {
    auto res = Call(http::verb::post, "/api/v1/session",
                    R"({"username":")" + user + R"(","password":")" + kPassword + R"("})");
    EXPECT_EQ(res.result(), http::status::ok) << res.body();
    std::string set_cookie(res[http::field::set_cookie]);
    Login l;
    l.cookie = set_cookie.substr(0, set_cookie.find(';'));
    l.csrf = Json(res)["csrf_token"].GetString();
    return l;
  }
  std::map<std::string, std::string> As(const Login& l, bool with_csrf = true) {
    std::map<std::string, std::string> h{{"Cookie", l.cookie}};
    if (with_csrf) h["X-CSRF-Token"] = l.csrf;
    return h;
  }
  std::map<std::string, std::string> Bearer() { return {{"Authorization", "Bearer " + token_}}; }

  int64_t Version(int64_t id) {
    auto d = store_->GetDraft(id);
    EXPECT_TRUE(d.ok());
    return d->draft.version;
  }

  sambat::testing::TempDir dir_;
  FakeClock clock_{FromUnixMillis(1'764'000'000'000)};
  std::unique_ptr<db::SqliteStore> store_;
  std::unique_ptr<Authenticator> auth_;
  std::shared_ptr<QueueCatalog> catalog_;
  std::unique_ptr<QueueApi> api_;
  Handler handler_;
  std::string token_;
  int next_post_ = 1;
  int confirmations_ = 0;
};

TEST_F(QueueApiTest, LoginSetsAStrictHttpOnlySecureCookieAndSessionAnswers) {
  auto res = Call(http::verb::post, "/api/v1/session", R"({"username":"admin","password":"kata-sandi-rahasia"})");
  ASSERT_EQ(res.result(), http::status::ok);
  std::string c(res[http::field::set_cookie]);
  EXPECT_NE(c.find("HttpOnly"), std::string::npos);
  EXPECT_NE(c.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(c.find("Secure"), std::string::npos);
  EXPECT_EQ(std::string(Json(res)["user"]["role"].GetString()), "admin_utama");
  Login l{c.substr(0, c.find(';')), Json(res)["csrf_token"].GetString()};
  auto me = Call(http::verb::get, "/api/v1/session", "", As(l, false));
  ASSERT_EQ(me.result(), http::status::ok);
  EXPECT_EQ(std::string(Json(me)["csrf_token"].GetString()), l.csrf);
  // The login is audited.
  EXPECT_EQ(Call(http::verb::get, "/api/v1/session").result(), http::status::unauthorized);
}

TEST_F(QueueApiTest, WrongPasswordAndUnknownUserLookTheSame) {
  auto a = Call(http::verb::post, "/api/v1/session", R"({"username":"admin","password":"salah-sekali-ini"})");
  auto b = Call(http::verb::post, "/api/v1/session", R"({"username":"siapa","password":"salah-sekali-ini"})");
  EXPECT_EQ(a.result(), http::status::unauthorized);
  EXPECT_EQ(a.body(), b.body());
  EXPECT_EQ(ErrorCode(a), "bad_credentials");
}

TEST_F(QueueApiTest, FailedLoginsAreRateLimitedPerUserAndPerAddress) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Call(http::verb::post, "/api/v1/session", R"({"username":"admin","password":"salah-salah-salah"})")
                  .result(),
              http::status::unauthorized);
  }
  // The right password does not help now: the limit is checked first.
  auto limited = Call(http::verb::post, "/api/v1/session", R"({"username":"admin","password":"kata-sandi-rahasia"})");
  EXPECT_EQ(limited.result(), http::status::too_many_requests);
  EXPECT_EQ(ErrorCode(limited), "too_many_attempts");
  EXPECT_EQ(limited[http::field::retry_after], "900");
  // Another user from another address is not affected; after the window the user may try again.
  LogIn("admin2");
  clock_.Advance(std::chrono::minutes(16));
  LogIn("admin");
}

TEST_F(QueueApiTest, AddressLimitStopsGuessingAcrossUsers) {
  const char* users[] = {"a1", "a2", "a3", "a4", "a5"};
  for (int i = 0; i < 20; ++i) {
    Call(http::verb::post, "/api/v1/session",
         std::string(R"({"username":")") + users[i % 5] + R"(","password":"salah-salah-salah"})", {}, "10.9.9.9");
  }
  auto res = Call(http::verb::post, "/api/v1/session", R"({"username":"admin","password":"kata-sandi-rahasia"})", {},
                  "10.9.9.9");
  EXPECT_EQ(res.result(), http::status::too_many_requests);
}

TEST_F(QueueApiTest, SessionsExpireWhenIdleAndCanBeRevoked) {
  Seed(1);
  auto l = LogIn("admin");
  EXPECT_EQ(Call(http::verb::get, "/api/v1/drafts", "", As(l)).result(), http::status::ok);
  clock_.Advance(std::chrono::hours(3));  // idle longer than 2 hours
  auto res = Call(http::verb::get, "/api/v1/drafts", "", As(l));
  EXPECT_EQ(res.result(), http::status::unauthorized);
  auto l2 = LogIn("admin");
  EXPECT_EQ(Call(http::verb::delete_, "/api/v1/session", "", As(l2)).result(), http::status::no_content);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/drafts", "", As(l2)).result(), http::status::unauthorized);
}

TEST_F(QueueApiTest, UnauthenticatedAndBadTokensAre401) {
  EXPECT_EQ(Call(http::verb::get, "/api/v1/drafts").result(), http::status::unauthorized);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/drafts", "", {{"Authorization", "Bearer nope"}}).result(),
            http::status::unauthorized);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/drafts", "", {{"Authorization", "Basic eDp5"}}).result(),
            http::status::unauthorized);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/drafts", "", {{"Cookie", "sambat_session=forged"}}).result(),
            http::status::unauthorized);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/drafts", "", Bearer()).result(), http::status::ok);
}

TEST_F(QueueApiTest, CookieRequestsThatChangeStateNeedTheCsrfToken) {
  Seed(1);
  auto l = LogIn("admin");
  const std::string body = R"j({"version":1,"reason":"Bukan aduan (promosi/iklan)"})j";
  auto none = Call(http::verb::post, "/api/v1/drafts/1/reject", body, As(l, false));
  EXPECT_EQ(none.result(), http::status::forbidden);
  EXPECT_EQ(ErrorCode(none), "csrf");
  auto h = As(l, false);
  h["X-CSRF-Token"] = "tebakan";
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts/1/reject", body, h).result(), http::status::forbidden);
  EXPECT_EQ(store_->GetDraft(1)->draft.status, "pending");
  // Bearer clients carry no cookie a browser could send for them: no CSRF token needed.
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts/1/reject", body, Bearer()).result(), http::status::ok);
}

TEST_F(QueueApiTest, ViewersCanReadButNotChange) {
  Seed(1);
  auto l = LogIn("pengamat");
  EXPECT_EQ(Call(http::verb::get, "/api/v1/drafts/1", "", As(l)).result(), http::status::ok);
  auto res = Call(http::verb::patch, "/api/v1/drafts/1", R"({"version":1,"alamat":"Jl. Merdeka 1"})", As(l));
  EXPECT_EQ(res.result(), http::status::forbidden);
  EXPECT_EQ(ErrorCode(res), "forbidden");
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts", R"({"text":"jalan rusak"})", As(l)).result(),
            http::status::forbidden);
  EXPECT_EQ(Version(1), 1);
}

TEST_F(QueueApiTest, ListsPendingOldestFirstWithKeysetPaging) {
  Seed(120);
  std::vector<int64_t> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto res = Call(http::verb::get, "/api/v1/drafts?limit=50" + (cursor.empty() ? "" : "&cursor=" + cursor), "", Bearer());
    ASSERT_EQ(res.result(), http::status::ok);
    auto d = Json(res);
    for (const auto& it : d["drafts"].GetArray()) seen.push_back(it["id"].GetInt64());
    cursor = d["next_cursor"].IsNull() ? "" : d["next_cursor"].GetString();
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 120u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], static_cast<int64_t>(i + 1));
}

TEST_F(QueueApiTest, FiltersAndFullTextSearch) {
  Seed(3);
  ASSERT_TRUE(store_->EditDraft(2, 1, {.opd = std::optional<std::string>("DISHUB")}, "admin").ok());
  ASSERT_TRUE(store_->EditDraft(3, 1, {.pesan = std::string("lampu PJU mati di Kesugihan")}, "admin").ok());
  auto ids = [&](const std::string& q) {
    std::vector<int64_t> out;
    auto d = Json(Call(http::verb::get, "/api/v1/drafts?" + q, "", Bearer()));
    for (const auto& it : d["drafts"].GetArray()) out.push_back(it["id"].GetInt64());
    return out;
  };
  EXPECT_EQ(ids("opd=DISHUB"), std::vector<int64_t>({2}));
  EXPECT_EQ(ids("q=lampu+pju"), std::vector<int64_t>({3}));
  EXPECT_EQ(ids("q=lamp"), std::vector<int64_t>({3}));  // prefix match while typing
  EXPECT_EQ(ids("q=%22%29+OR+*"), std::vector<int64_t>());  // FTS syntax is just text
  EXPECT_EQ(ids("kecamatan=Kroya&kanal=x").size(), 3u);
  EXPECT_EQ(ids("status=confirmed").size(), 0u);
  EXPECT_EQ(ids("status=all").size(), 3u);
}

TEST_F(QueueApiTest, BadQueryParametersAre400) {
  for (const char* q : {"status=bogus", "limit=0", "limit=500", "limit=abc", "cursor=xyz", "kanal=tiktok", "sort=id"}) {
    auto res = Call(http::verb::get, std::string("/api/v1/drafts?") + q, "", Bearer());
    EXPECT_EQ(res.result(), http::status::bad_request) << q;
    EXPECT_FALSE(ErrorCode(res).empty()) << q;
  }
}

TEST_F(QueueApiTest, DetailCarriesPostMatchGroupAndAudit) {
  Seed(2);  // same kecamatan: one near-duplicate group
  ASSERT_TRUE(store_->EditDraft(1, 1, {.alamat = std::optional<std::string>("Jl. Kroya 1")}, "admin").ok());
  auto res = Call(http::verb::get, "/api/v1/drafts/1", "", Bearer());
  ASSERT_EQ(res.result(), http::status::ok);
  auto d = Json(res);
  EXPECT_EQ(d["draft"]["version"].GetInt64(), 2);
  EXPECT_STREQ(d["post"]["author_handle"].GetString(), "warga_kroya");
  ASSERT_EQ(d["audit"].Size(), 1u);
  EXPECT_STREQ(d["audit"][0]["action"].GetString(), "edit");
  EXPECT_TRUE(d["audit"][0]["before"]["alamat"].IsNull());
  EXPECT_STREQ(d["audit"][0]["after"]["alamat"].GetString(), "Jl. Kroya 1");
  EXPECT_EQ(Call(http::verb::get, "/api/v1/drafts/999", "", Bearer()).result(), http::status::not_found);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/drafts/abc", "", Bearer()).result(), http::status::not_found);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/nothing", "", Bearer()).result(), http::status::not_found);
}

TEST_F(QueueApiTest, EditValidationErrors) {
  Seed(1);
  auto h = Bearer();
  struct Case {
    std::string body;
    http::status status;
    std::string code;
  } cases[] = {
      {"{not json", http::status::bad_request, "bad_json"},
      {"[1,2]", http::status::bad_request, "bad_json"},
      {R"({"version":1,"nama":"A","hacker":true})", http::status::bad_request, "unknown_field"},
      {R"({"nama":"A"})", http::status::bad_request, "missing_field"},
      {R"({"version":"1","nama":"A"})", http::status::bad_request, "bad_type"},
      {R"({"version":1,"nama":5})", http::status::bad_request, "bad_type"},
      {R"({"version":1,"opd":"DINASX"})", http::status::unprocessable_entity, "invalid"},
      {R"({"version":1,"kecamatan":"Bandung"})", http::status::unprocessable_entity, "invalid"},
      {R"({"version":1,"pesan":"  "})", http::status::unprocessable_entity, "invalid"},
      {R"({"version":1,"nama":")" + std::string(300, 'a') + R"("})", http::status::unprocessable_entity, "too_long"},
      {"{\"version\":1,\"nama\":\"\xff\xfe\"}", http::status::bad_request, "bad_json"},
  };
  for (const auto& c : cases) {
    auto res = Call(http::verb::patch, "/api/v1/drafts/1", c.body, h);
    EXPECT_EQ(res.result(), c.status) << c.body;
    EXPECT_EQ(ErrorCode(res), c.code) << c.body;
  }
  EXPECT_EQ(Version(1), 1);  // nothing was written
}

TEST_F(QueueApiTest, BodyTooLargeAndWrongContentType) {
  Seed(1);
  auto big = Call(http::verb::patch, "/api/v1/drafts/1",
                  R"({"version":1,"pesan":")" + std::string(70'000, 'a') + R"("})", Bearer());
  EXPECT_EQ(big.result(), http::status::payload_too_large);
  Request req{http::verb::patch, "/api/v1/drafts/1", 11};
  req.set(http::field::authorization, "Bearer " + token_);
  req.set(http::field::content_type, "application/x-www-form-urlencoded");
  req.body() = "version=1&nama=A";
  req.prepare_payload();
  EXPECT_EQ(handler_(req, "").result(), http::status::unsupported_media_type);
  EXPECT_EQ(Call(http::verb::put, "/api/v1/drafts/1", "{}", Bearer()).result(), http::status::method_not_allowed);
}

TEST_F(QueueApiTest, ConfirmNeedsTheSopFieldsAndWritesTheOutboxAndAudit) {
  Seed(1);  // alamat missing
  auto res = Call(http::verb::post, "/api/v1/drafts/1/confirm", R"({"version":1})", Bearer());
  EXPECT_EQ(res.result(), http::status::unprocessable_entity);
  EXPECT_NE(Json(res)["error"]["message"].GetString(), std::string());
  EXPECT_NE(std::string(Json(res)["error"]["message"].GetString()).find("alamat"), std::string::npos);
  EXPECT_EQ(store_->GetDraft(1)->draft.status, "pending");

  res = Call(http::verb::post, "/api/v1/drafts/1/confirm", R"({"version":1,"alamat":"Jl. Pahlawan 3, Kroya"})", Bearer());
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  auto d = Json(res);
  EXPECT_STREQ(d["draft"]["status"].GetString(), "confirmed");
  EXPECT_STREQ(d["draft"]["decided_by"].GetString(), "token:alat");
  const auto& audit = d["audit"];
  ASSERT_EQ(audit.Size(), 1u);
  EXPECT_STREQ(audit[0]["action"].GetString(), "confirm");
  EXPECT_STREQ(audit[0]["after"]["alamat"].GetString(), "Jl. Pahlawan 3, Kroya");
  EXPECT_STREQ(audit[0]["after"]["status"].GetString(), "confirmed");

  auto conn = db::Connection::Open(dir_.File("db.sqlite"));
  ASSERT_TRUE(conn.ok());
  auto st = conn->Prepare("SELECT count(*), json_extract(payload_json, '$.alamat') FROM outbox WHERE draft_id = 1");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE((*st)->Step());
  EXPECT_EQ((*st)->Int(0), 1);
  EXPECT_EQ((*st)->Text(1), "Jl. Pahlawan 3, Kroya");
  (*st)->Reset();

  // Decided drafts stay decided.
  auto again = Call(http::verb::post, "/api/v1/drafts/1/reject", R"({"version":2,"reason":"x"})", Bearer());
  EXPECT_EQ(again.result(), http::status::conflict);
  EXPECT_EQ(ErrorCode(again), "already_decided");
}

TEST_F(QueueApiTest, StaleVersionIs409AndNothingIsOverwritten) {
  Seed(1);
  auto a = LogIn("admin");
  auto b = LogIn("admin2");
  ASSERT_EQ(Call(http::verb::patch, "/api/v1/drafts/1", R"({"version":1,"alamat":"Jl. A"})", As(a)).result(),
            http::status::ok);
  auto res = Call(http::verb::patch, "/api/v1/drafts/1", R"({"version":1,"alamat":"Jl. B"})", As(b));
  EXPECT_EQ(res.result(), http::status::conflict);
  EXPECT_EQ(ErrorCode(res), "stale_version");
  EXPECT_EQ(*store_->GetDraft(1)->draft.alamat, "Jl. A");
}

TEST_F(QueueApiTest, ReturnRejectAndDuplicateRecordTheDecision) {
  Seed(4);
  auto h = Bearer();
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts/1/return", R"({"version":1,"reason":" "})", h).result(),
            http::status::unprocessable_entity);
  auto r = Call(http::verb::post, "/api/v1/drafts/1/return", R"({"version":1,"reason":"Data belum lengkap: alamat pelapor"})", h);
  ASSERT_EQ(r.result(), http::status::ok);
  EXPECT_STREQ(Json(r)["draft"]["decision_reason"].GetString(), "Data belum lengkap: alamat pelapor");
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts/2/reject", R"({"version":1,"reason":"Bukan aduan"})", h).result(),
            http::status::ok);
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts/3/duplicate", R"({"version":1,"of":3})", h).result(),
            http::status::unprocessable_entity);
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts/3/duplicate", R"({"version":1,"of":99})", h).result(),
            http::status::unprocessable_entity);
  auto dup = Call(http::verb::post, "/api/v1/drafts/3/duplicate", R"({"version":1,"of":4})", h);
  ASSERT_EQ(dup.result(), http::status::ok);
  EXPECT_EQ(Json(dup)["draft"]["duplicate_of"].GetInt64(), 4);
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts/4/archive", R"({"version":1})", h).result(), http::status::not_found);
  auto stats = Json(Call(http::verb::get, "/api/v1/stats", "", h));
  EXPECT_EQ(stats["menunggu"].GetInt64(), 1);
}

TEST_F(QueueApiTest, TwoAdminsConfirmingAtOnceOneWins) {
  Seed(1);
  ASSERT_TRUE(store_->EditDraft(1, 1, {.alamat = std::optional<std::string>("Jl. Kroya 9")}, "admin").ok());
  auto a = LogIn("admin");
  auto b = LogIn("admin2");
  for (int round = 0; round < 1; ++round) {
    std::atomic<int> go{0};
    Response ra, rb;
    std::thread ta([&] {
      while (go.load() == 0) {}
      ra = Call(http::verb::post, "/api/v1/drafts/1/confirm", R"({"version":2})", As(a));
    });
    std::thread tb([&] {
      while (go.load() == 0) {}
      rb = Call(http::verb::post, "/api/v1/drafts/1/confirm", R"({"version":2})", As(b));
    });
    go = 1;
    ta.join();
    tb.join();
    const int ok = (ra.result() == http::status::ok) + (rb.result() == http::status::ok);
    EXPECT_EQ(ok, 1) << ra.body() << rb.body();
    const Response& loser = ra.result() == http::status::ok ? rb : ra;
    EXPECT_EQ(loser.result(), http::status::conflict);
  }
  auto d = store_->GetDraft(1);
  int confirms = 0;
  for (const auto& e : d->audit) confirms += e.action == "confirm";
  EXPECT_EQ(confirms, 1);
  auto conn = db::Connection::Open(dir_.File("db.sqlite"));
  auto st = conn->Prepare("SELECT count(*) FROM outbox");
  ASSERT_TRUE((*st)->Step());
  EXPECT_EQ((*st)->Int(0), 1);
  (*st)->Reset();
}

TEST_F(QueueApiTest, ManualEntryCreatesADraftOnceAndValidates) {
  auto h = Bearer();
  auto res = Call(http::verb::post, "/api/v1/drafts",
                  R"({"text":"Jalan rusak di Kroya","url":"https://www.instagram.com/p/abc/","kanal":"instagram","nama":"Siti"})", h);
  ASSERT_EQ(res.result(), http::status::created) << res.body();
  auto d = Json(res);
  EXPECT_STREQ(d["draft"]["kanal"].GetString(), "instagram");
  EXPECT_STREQ(d["audit"][0]["action"].GetString(), "manual_entry");
  auto again = Call(http::verb::post, "/api/v1/drafts", R"({"text":"lagi","url":"https://www.instagram.com/p/abc/"})", h);
  EXPECT_EQ(again.result(), http::status::conflict);
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts", R"j({"text":"x","url":"javascript:alert(1)"})j", h).result(),
            http::status::unprocessable_entity);
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts", R"({"text":"x","kanal":"tiktok"})", h).result(),
            http::status::unprocessable_entity);
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts", R"({"url":"https://x.com/a"})", h).result(),
            http::status::unprocessable_entity);
}

TEST_F(QueueApiTest, HostileTextStaysDataInJson) {
  auto h = Bearer();
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartObject();
  w.Key("text");
  w.String("Tolong <script>alert(1)</script><img src=x onerror=alert(2)> \"kutip\" \\ \xf0\x9f\x98\xa1");
  w.EndObject();
  auto res = Call(http::verb::post, "/api/v1/drafts", b.GetString(), h);
  ASSERT_EQ(res.result(), http::status::created) << res.body();
  EXPECT_EQ(std::string(res[http::field::content_type]), "application/json");
  auto d = Json(res);
  EXPECT_STREQ(d["post"]["text"].GetString(), "Tolong <script>alert(1)</script><img src=x onerror=alert(2)> \"kutip\" \\ \xf0\x9f\x98\xa1");
}

TEST_F(QueueApiTest, RuleQualityCountsAdminDecisionsPerRule) {
  db::IngestBatch batch;
  for (int i = 0; i < 3; ++i) {
    auto item = db::testing::MakeItem("q" + std::to_string(i), true);
    item.classification->rules_json = R"([{"id":"dpupr-jalan-rusak","kind":"topic","weight":3,"spans":[[0,5]]}])";
    item.draft->alamat = "Jl. X";
    batch.items.push_back(item);
  }
  ASSERT_TRUE(store_->Ingest(batch).ok());
  ASSERT_TRUE(store_->Decide({.draft_id = 1, .version = 1, .decision = db::Decision::kConfirm, .actor = "a"}).ok());
  ASSERT_TRUE(store_->Decide({.draft_id = 2, .version = 1, .decision = db::Decision::kReject, .reason = "bukan", .actor = "a"}).ok());
  auto d = Json(Call(http::verb::get, "/api/v1/rules/quality", "", Bearer()));
  ASSERT_EQ(d["rules"].Size(), 1u);
  const auto& r = d["rules"][0];
  EXPECT_STREQ(r["id"].GetString(), "dpupr-jalan-rusak");
  EXPECT_EQ(r["drafts"].GetInt64(), 3);
  EXPECT_EQ(r["confirmed"].GetInt64(), 1);
  EXPECT_EQ(r["rejected"].GetInt64(), 1);
  EXPECT_EQ(r["pending"].GetInt64(), 1);
  EXPECT_DOUBLE_EQ(r["precision"].GetDouble(), 0.5);
}

TEST_F(QueueApiTest, StatsCountOverdueAndConfirmedTodayAndSourcesInIndonesian) {
  Seed(2);
  clock_.Advance(std::chrono::minutes(20));  // both past their 15 minutes
  db::IngestBatch b;
  db::CursorState c;
  c.source = "facebook";
  c.endpoint = "feed";
  c.pause_reason = "Token Facebook perlu diperbarui";
  b.cursor = c;
  ASSERT_TRUE(store_->Ingest(b).ok());
  auto d = Json(Call(http::verb::get, "/api/v1/stats", "", Bearer()));
  EXPECT_EQ(d["menunggu"].GetInt64(), 2);
  EXPECT_EQ(d["lewat_sla"].GetInt64(), 2);
  EXPECT_EQ(d["dikonfirmasi_hari_ini"].GetInt64(), 0);
  ASSERT_EQ(d["sources"].Size(), 1u);
  EXPECT_STREQ(d["sources"][0]["state"].GetString(), "paused");
  EXPECT_STREQ(d["sources"][0]["message"].GetString(), "Token Facebook perlu diperbarui");
  auto meta = Json(Call(http::verb::get, "/api/v1/meta", "", Bearer()));
  EXPECT_EQ(meta["opd"].Size(), 2u);
  EXPECT_GT(meta["return_reasons"].Size(), 0u);
}

TEST_F(QueueApiTest, PipelineReportsStepsAndASendBackReturnsTheDraftToTheQueue) {
  Seed(1);
  ASSERT_TRUE(store_->EditDraft(1, 1, {.alamat = std::optional<std::string>("Jl. Kroya 9")}, "admin").ok());
  auto pipeline = MakeApiToken();
  ASSERT_TRUE(store_->CreateApiToken("pipa", pipeline.sha256_hex, "pipeline").ok());
  const std::map<std::string, std::string> p{{"Authorization", "Bearer " + pipeline.token}};
  // Not confirmed yet: nothing to report on.
  EXPECT_EQ(Call(http::verb::post, "/api/v1/disposisi/1/status", R"({"status":"diterima_opd"})", p).result(),
            http::status::conflict);
  // The pipeline may report, not decide.
  EXPECT_EQ(Call(http::verb::post, "/api/v1/drafts/1/confirm", R"({"version":2})", p).result(), http::status::forbidden);
  ASSERT_EQ(Call(http::verb::post, "/api/v1/drafts/1/confirm", R"({"version":2})", Bearer()).result(), http::status::ok);
  EXPECT_EQ(confirmations_, 1);  // the dispatcher was woken
  clock_.Advance(std::chrono::minutes(5));
  auto r = Call(http::verb::post, "/api/v1/disposisi/1/status", R"({"status":"diterima_opd"})", p);
  ASSERT_EQ(r.result(), http::status::ok) << r.body();
  auto d = Json(r);
  EXPECT_STREQ(d["disposisi"][0]["step"].GetString(), "diterima_opd");
  EXPECT_STREQ(d["sop"]["stages"][1]["stage"].GetString(), "diterima_opd");
  EXPECT_FALSE(d["sop"]["stages"][1]["done"].IsNull());
  EXPECT_STREQ(d["handoff"]["status"].GetString(), "pending");
  EXPECT_EQ(Call(http::verb::post, "/api/v1/disposisi/1/status", R"({"status":"beres"})", p).result(),
            http::status::unprocessable_entity);
  EXPECT_EQ(Call(http::verb::post, "/api/v1/disposisi/1/status", R"({"status":"selesai"})", p).result(),
            http::status::unprocessable_entity);  // the answer text is required
  EXPECT_EQ(Call(http::verb::post, "/api/v1/disposisi/99/status", R"({"status":"koordinasi"})", p).result(),
            http::status::not_found);
  r = Call(http::verb::post, "/api/v1/disposisi/1/status",
           R"({"status":"dikembalikan_opd","note":"Bukan kewenangan DPUPR"})", p);
  ASSERT_EQ(r.result(), http::status::ok);
  d = Json(r);
  EXPECT_STREQ(d["draft"]["status"].GetString(), "pending");
  EXPECT_TRUE(d["draft"]["returned_by_opd"].GetBool());
  EXPECT_STREQ(d["draft"]["decision_reason"].GetString(), "Bukan kewenangan DPUPR");
  EXPECT_EQ(store_->GetDraft(1)->draft.sla_due_at, ToUnixMillis(clock_.Now()) + 15 * 60'000);  // a new 15 minutes
  auto list = Json(Call(http::verb::get, "/api/v1/drafts", "", Bearer()));
  EXPECT_TRUE(list["drafts"][0]["returned_by_opd"].GetBool());
  // Confirmed again: a second delivery with its own idempotency key.
  const int64_t v = d["draft"]["version"].GetInt64();
  ASSERT_EQ(Call(http::verb::post, "/api/v1/drafts/1/confirm", "{\"version\":" + std::to_string(v) + ",\"opd\":\"DISHUB\"}",
                 Bearer()).result(),
            http::status::ok);
  auto outbox = Json(Call(http::verb::get, "/api/v1/outbox?status=pending", "", Bearer()));
  EXPECT_EQ(outbox["items"].Size(), 2u);
  EXPECT_EQ(outbox["backlog"].GetInt64(), 2);
}

TEST_F(QueueApiTest, StatsSayWhichSopStepTheLateComplaintsAreLateAt) {
  Seed(2);
  for (int64_t id : {1, 2}) {
    ASSERT_TRUE(store_->EditDraft(id, 1, {.alamat = std::optional<std::string>("Jl. Kroya")}, "admin").ok());
    ASSERT_TRUE(store_->Decide({.draft_id = id, .version = 2, .actor = "admin"}).ok());
  }
  ASSERT_TRUE(store_->RecordDispositionStep({.draft_id = 1, .step = "diterima_opd", .at = ToUnixMillis(clock_.Now())}).ok());
  clock_.Advance(std::chrono::minutes(40));
  auto d = Json(Call(http::verb::get, "/api/v1/stats", "", Bearer()));
  EXPECT_EQ(d["disposisi_berjalan"].GetInt64(), 2);
  EXPECT_EQ(d["terlambat_per_tahap"]["koordinasi"].GetInt64(), 1);    // 1: accepted, no coordination in 15 min
  EXPECT_EQ(d["terlambat_per_tahap"]["diterima_opd"].GetInt64(), 1);  // 2: nobody accepted it
  EXPECT_EQ(d["lewat_batas_total"].GetInt64(), 0);
  EXPECT_EQ(d["antre_kirim"].GetInt64(), 2);
  clock_.Advance(std::chrono::hours(2));
  EXPECT_EQ(Json(Call(http::verb::get, "/api/v1/stats", "", Bearer()))["lewat_batas_total"].GetInt64(), 2);
}

TEST_F(QueueApiTest, DeadLettersAreListedAndAdminsResendThem) {
  Seed(1);
  ASSERT_TRUE(store_->EditDraft(1, 1, {.alamat = std::optional<std::string>("Jl. Kroya 9")}, "admin").ok());
  ASSERT_TRUE(store_->Decide({.draft_id = 1, .version = 2, .actor = "admin"}).ok());
  auto due = store_->DueOutbox("handoff", ToUnixMillis(clock_.Now()), 10);
  ASSERT_EQ(due->size(), 1u);
  ASSERT_TRUE(store_->MarkDead((*due)[0].id, "HTTP 422: opd tidak dikenal").ok());
  auto list = Json(Call(http::verb::get, "/api/v1/outbox", "", Bearer()));
  ASSERT_EQ(list["items"].Size(), 1u);
  EXPECT_STREQ(list["items"][0]["last_error"].GetString(), "HTTP 422: opd tidak dikenal");
  EXPECT_EQ(list["dead"].GetInt64(), 1);
  const std::string resend = "/api/v1/outbox/" + std::to_string((*due)[0].id) + "/resend";
  auto viewer = LogIn("pengamat");
  EXPECT_EQ(Call(http::verb::post, resend, "", As(viewer)).result(), http::status::forbidden);
  auto admin = LogIn("admin");
  EXPECT_EQ(Call(http::verb::post, resend, "", As(admin, false)).result(), http::status::forbidden);  // CSRF
  EXPECT_EQ(Call(http::verb::post, resend, "", As(admin)).result(), http::status::ok);
  EXPECT_EQ(Call(http::verb::post, resend, "", As(admin)).result(), http::status::not_found);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/outbox?status=nope", "", Bearer()).result(), http::status::bad_request);
  auto detail = store_->GetDraft(1);
  EXPECT_EQ(detail->audit.back().action, "handoff_resend");
  EXPECT_EQ(detail->handoff->status, "pending");
}

}  // namespace
}  // namespace sambat::web
