// GET /api/v1/rekap, /rekap.csv and /rekap.xlsx through the app's router, on the seeded month
// of tests/db/recap_seed.h: any signed-in role reads it, nobody else does.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sodium.h>

#include "tests/db/recap_seed.h"
#include "tests/support/temp_dir.h"
#include "web/credentials.h"
#include "web/queue_api.h"
#include "web/routes.h"

namespace sambat::web {
namespace {

using db::testing::kMinute;

class RecapApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    auto s = db::SqliteStore::Open(dir_.File("db.sqlite"), &clock_);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    db::testing::RecapSeeder(store_.get(), &clock_).SeedNovember();  // leaves the clock at kRecapNow
    auto viewer = MakeApiToken();
    viewer_token_ = viewer.token;
    ASSERT_TRUE(store_->CreateApiToken("pengamat", viewer.sha256_hex, "viewer").ok());
    auth_ = std::make_unique<Authenticator>(store_.get(), &clock_, AuthOptions{});
    catalog_ = std::make_shared<QueueCatalog>(
        QueueCatalog{.opd = {{"DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"}}, .kecamatan = {}, .kategori = {}});
    api_ = std::make_unique<QueueApi>(QueueApiDeps{.queue = store_.get(),
                                                   .store = store_.get(),
                                                   .auth = auth_.get(),
                                                   .clock = &clock_,
                                                   .catalog = [this] { return catalog_; },
                                                   .manual_entry = nullptr,
                                                   .outbox = store_.get(),
                                                   .sop_limits = {},
                                                   .recap = store_.get()});
    handler_ = MakeAppHandler({.store = store_.get(), .api = api_.get(), .rules_loaded = nullptr, .version = "t"});
  }

  Response Get(const std::string& target, bool signed_in = true, http::verb method = http::verb::get) {
    Request req{method, target, 11};
    if (signed_in) req.set(http::field::authorization, "Bearer " + viewer_token_);
    return handler_(req, "10.0.0.1");
  }

  static rapidjson::Document Json(const Response& res) {
    rapidjson::Document d;
    d.Parse(res.body().c_str());
    EXPECT_FALSE(d.HasParseError()) << res.body();
    return d;
  }

  sambat::testing::TempDir dir_;
  FakeClock clock_{FromUnixMillis(db::testing::kNovStart)};
  std::unique_ptr<db::SqliteStore> store_;
  std::unique_ptr<Authenticator> auth_;
  std::shared_ptr<QueueCatalog> catalog_;
  std::unique_ptr<QueueApi> api_;
  Handler handler_;
  std::string viewer_token_;
};

TEST_F(RecapApiTest, AViewerReadsTheMonthAsJson) {
  auto res = Get("/api/v1/rekap?month=2026-11");
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_EQ(res[http::field::content_type], "application/json");
  auto d = Json(res);
  EXPECT_STREQ(d["month"].GetString(), "2026-11");
  EXPECT_EQ(d["totals"]["total"].GetInt64(), 9);
  EXPECT_EQ(d["totals"]["confirmed"].GetInt64(), 4);
  EXPECT_EQ(d["capture_to_confirm"]["median_ms"].GetInt64(), 15 * kMinute);
  EXPECT_EQ(d["capture_to_confirm"]["p90_ms"].GetInt64(), 27 * kMinute);
  EXPECT_EQ(d["sla"][0]["met"].GetInt64(), 2);
  EXPECT_EQ(d["sla"][1]["open"].GetInt64(), 1);  // judged at the API's clock (kRecapNow)
  EXPECT_EQ(d["daily"][0]["confirmed"].GetInt64(), 2);
}

TEST_F(RecapApiTest, WithoutAMonthItIsTheCurrentWibMonth) {
  auto d = Json(Get("/api/v1/rekap"));
  EXPECT_STREQ(d["month"].GetString(), "2026-11");  // kRecapNow is 30 Nov, 22:10 WIB
}

TEST_F(RecapApiTest, ErrorsHaveTheUsualShape) {
  auto bad = Get("/api/v1/rekap?month=2026-13");
  EXPECT_EQ(bad.result(), http::status::bad_request);
  auto d = Json(bad);
  EXPECT_STREQ(d["error"]["code"].GetString(), "bad_parameter");
  EXPECT_NE(std::string(d["error"]["message"].GetString()).find("2026-11"), std::string::npos);
  EXPECT_STREQ(Json(Get("/api/v1/rekap?bulan=2026-11"))["error"]["code"].GetString(), "unknown_parameter");
  auto anon = Get("/api/v1/rekap?month=2026-11", false);
  EXPECT_EQ(anon.result(), http::status::unauthorized);
  EXPECT_STREQ(Json(anon)["error"]["code"].GetString(), "unauthenticated");
  auto post = Get("/api/v1/rekap?month=2026-11", true, http::verb::post);
  EXPECT_EQ(post.result(), http::status::method_not_allowed);
}

TEST_F(RecapApiTest, CsvAndXlsxDownloads) {
  auto csv = Get("/api/v1/rekap.csv?month=2026-11");
  ASSERT_EQ(csv.result(), http::status::ok) << csv.body();
  EXPECT_EQ(csv[http::field::content_type], "text/csv; charset=utf-8");
  EXPECT_EQ(csv[http::field::content_disposition], "attachment; filename=\"rekap-2026-11.csv\"");
  EXPECT_NE(csv.body().find("DPUPR,Dinas Pekerjaan Umum dan Penataan Ruang,4,1,2,1,0,0\r\n"), std::string::npos);
  auto xlsx = Get("/api/v1/rekap.xlsx?month=2026-11");
  ASSERT_EQ(xlsx.result(), http::status::ok) << xlsx.body();
  EXPECT_EQ(xlsx[http::field::content_disposition], "attachment; filename=\"rekap-2026-11.xlsx\"");
  EXPECT_EQ(xlsx.body().substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(xlsx.body().find("xl/workbook.xml"), std::string::npos);  // the zip's directory names it
}

}  // namespace
}  // namespace sambat::web
