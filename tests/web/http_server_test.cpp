#include "web/http_server.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "base/clock.h"
#include "db/sqlite_store.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"
#include "web/routes.h"

namespace sambat::web {
namespace {

Request Get(const std::string& target) {
  Request req{http::verb::get, target, 11};
  return req;
}

class RoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = db::SqliteStore::Open(dir_.File("db.sqlite"), &clock_);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    handler_ = MakeAppHandler({.store = store_.get(), .rules_loaded = [this] { return rules_loaded_; }, .version = "t"});
  }
  sambat::testing::TempDir dir_;
  FakeClock clock_{FromUnixMillis(0)};
  std::unique_ptr<db::SqliteStore> store_;
  Handler handler_;
  bool rules_loaded_ = true;
};

TEST_F(RoutesTest, HealthzAnswersOk) {
  auto res = handler_(Get("/healthz"), "127.0.0.1");
  EXPECT_EQ(res.result(), http::status::ok);
}

TEST_F(RoutesTest, ReadyzReflectsRules) {
  EXPECT_EQ(handler_(Get("/readyz"), "").result(), http::status::ok);
  rules_loaded_ = false;
  EXPECT_EQ(handler_(Get("/readyz"), "").result(), http::status::service_unavailable);
}

TEST_F(RoutesTest, ServesTheEmbeddedPageWithEtags) {
  auto res = handler_(Get("/"), "");
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(res.body().find("lang=\"id\""), std::string::npos);
  EXPECT_NE(res.body().find("/static/app.js"), std::string::npos);
  // No inline script: the CSP allows only 'self' scripts.
  EXPECT_EQ(res.body().find("<script>"), std::string::npos);
  auto js = handler_(Get("/static/app.js"), "");
  ASSERT_EQ(js.result(), http::status::ok);
  EXPECT_EQ(js[http::field::content_type], "text/javascript; charset=utf-8");
  Request again = Get("/static/app.js");
  again.set(http::field::if_none_match, js[http::field::etag]);
  EXPECT_EQ(handler_(again, "").result(), http::status::not_modified);
  EXPECT_EQ(handler_(Get("/static/nope.js"), "").result(), http::status::not_found);
  EXPECT_EQ(handler_(Get("/static/../CMakeLists.txt"), "").result(), http::status::not_found);
}

TEST_F(RoutesTest, UnknownPathIsJson404) {
  auto res = handler_(Get("/nope?x=1"), "");
  EXPECT_EQ(res.result(), http::status::not_found);
  EXPECT_NE(res.body().find("\"code\":\"not_found\""), std::string::npos);
}

TEST_F(RoutesTest, WrongMethodIs405) {
  Request req{http::verb::post, "/healthz", 11};
  EXPECT_EQ(handler_(req, "").result(), http::status::method_not_allowed);
}

TEST(ParseQuery, DecodesAndKeepsMalformedEscapes) {
  auto q = ParseQuery("/webhook/meta?hub.mode=subscribe&hub.verify_token=a%2Bb%20c&x=%zz&y=1+2&empty=&z");
  EXPECT_EQ(q["hub.mode"], "subscribe");
  EXPECT_EQ(q["hub.verify_token"], "a+b c");
  EXPECT_EQ(q["x"], "%zz");
  EXPECT_EQ(q["y"], "1 2");
  EXPECT_EQ(q["empty"], "");
  EXPECT_EQ(q.count("z"), 0u);
  EXPECT_TRUE(ParseQuery("/nothing").empty());
}

// The real server on a loopback socket.
class ServerTest : public ::testing::Test {
 protected:
  void Start(ServerOptions opts, Handler h) {
    opts.port = 0;
    server_ = std::make_unique<HttpServer>(ioc_, opts, std::move(h));
    ASSERT_TRUE(server_->Start().ok());
    thread_ = std::thread([this] { ioc_.run(); });
  }
  void TearDown() override {
    boost::asio::post(ioc_, [this] { server_->Stop(); });
    if (thread_.joinable()) thread_.join();
  }
  boost::asio::io_context ioc_{1};
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

Handler Echo() {
  return [](const Request& req, const std::string&) {
    return MakeResponse(req, http::status::ok, req.body(), "text/plain");
  };
}

TEST_F(ServerTest, ServesOverLoopbackWithSecurityHeaders) {
  Start({}, Echo());
  auto r = sambat::testing::HttpCall("127.0.0.1", server_->port(), http::verb::post, "/", "halo");
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "halo");
  EXPECT_NE(r.headers["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(r.headers["Referrer-Policy"], "no-referrer");
}

TEST_F(ServerTest, OversizedBodyIs413) {
  ServerOptions opts;
  opts.max_body_bytes = 1024;
  Start(opts, Echo());
  auto r = sambat::testing::HttpCall("127.0.0.1", server_->port(), http::verb::post, "/", std::string(4096, 'a'));
  EXPECT_EQ(r.status, 413) << r.error;
}

TEST_F(ServerTest, HandlerExceptionBecomes500AndServerKeepsServing) {
  Start({}, [](const Request& req, const std::string&) -> Response {
    if (req.target() == "/boom") throw std::runtime_error("bug");
    return MakeResponse(req, http::status::ok, "ok", "text/plain");
  });
  EXPECT_EQ(sambat::testing::HttpGet(server_->port(), "/boom").status, 500);
  EXPECT_EQ(sambat::testing::HttpGet(server_->port(), "/fine").status, 200);
}

// With a handler pool, a slow handler (a login's Argon2id) does not hold up other requests:
// here /slow waits until /fast has been answered, which would never happen if they ran one
// after the other.
TEST_F(ServerTest, HandlerPoolServesOthersWhileOneHandlerIsSlow) {
  std::promise<void> fast_done;
  auto fast_future = fast_done.get_future().share();
  ServerOptions opts;
  opts.handler_threads = 2;
  Start(opts, [&](const Request& req, const std::string&) {
    if (req.target() == "/slow") {
      const bool ok = fast_future.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
      return MakeResponse(req, ok ? http::status::ok : http::status::gateway_timeout, "", "text/plain");
    }
    return MakeResponse(req, http::status::ok, "", "text/plain");
  });
  auto slow = std::async(std::launch::async, [&] { return sambat::testing::HttpGet(server_->port(), "/slow").status; });
  EXPECT_EQ(sambat::testing::HttpGet(server_->port(), "/fast").status, 200);
  fast_done.set_value();
  EXPECT_EQ(slow.get(), 200);
}

}  // namespace
}  // namespace sambat::web
