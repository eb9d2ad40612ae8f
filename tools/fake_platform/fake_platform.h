// A local stand-in for the X, Facebook and Instagram APIs: the real paths, parameters and
// response shapes (from shared/fixtures/api), served on 127.0.0.1 from a feed of posts.
// Tests switch on faults: 429 with x-rate-limit-reset, Graph error codes, 5xx, slow and
// truncated bodies, gzip. Used in-process by tests and as a program by the demo.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "web/http_server.h"

namespace sambat::fake {

struct FeedItem {
  std::string platform;  // x | facebook | instagram
  std::string endpoint;  // x: mentions|search; facebook: feed|tagged|comments; instagram: tags|comments|own_media
  std::string id;
  std::optional<std::string> parent_id;
  std::string text;
  std::optional<std::string> author_id, author_handle, author_name;
  int64_t created_at = 0;  // Unix ms
  std::vector<std::pair<std::string, std::string>> media;  // type, url
  std::string permalink;
  bool malformed = false;  // served with a broken shape (a test of per-item skipping)
};

struct Fault {
  int status = 200;                // with status 200 and an empty body: a normal answer, altered
  std::string body = {};           // replaces the body when not empty
  std::vector<std::pair<std::string, std::string>> headers = {};
  std::chrono::milliseconds delay{0};
  bool truncate = false;           // cut the body in half (the JSON no longer parses)
};

// A reply the daemon posted (POST /2/tweets, /{id}/comments, /{id}/replies, /{ig}/mentions).
struct Write {
  std::string platform;   // x | facebook | instagram
  std::string kind;       // x_reply | fb_comment | ig_comment_reply | ig_mention
  std::string target_id;  // the post/comment answered (ig_mention: the media)
  std::string comment_id; // ig_mention on a comment
  std::string text;
  std::string id;         // the id the fake gave the new reply
};

class FakePlatform {
 public:
  struct Options {
    std::string x_user_id = "1234567890";
    std::string page_id = "100064512345678";
    std::string page_handle = "pemkabcilacap";
    std::string ig_user_id = "17841400000000001";
    int page_size = 100;            // at most this many items a page, whatever was asked
    int x_rate_limit = 450;         // requests per 15-minute window
    bool gzip = false;
    std::function<int64_t()> now_ms;  // for rate-limit windows; default: system clock
    uint16_t port = 0;                // 0: any free port
  };

  FakePlatform(boost::asio::io_context& ioc, Options options);
  Status Start();
  void Stop();
  uint16_t port() const { return server_.port(); }
  std::string base_url() const;  // http://127.0.0.1:PORT

  // The feed (thread-safe).
  void Add(FeedItem item);
  Status LoadJsonl(const std::string& path);
  size_t size() const;
  // Only the first `n` items of the feed (in insertion order) are visible; -1 = all.
  void SetVisible(long n);

  // The next request whose path contains `path_part` gets `fault` (faults queue up).
  void InjectOnce(const std::string& path_part, Fault fault);
  void SetGzip(bool on);

  // Requests seen whose path contains `path_part`.
  int Requests(const std::string& path_part) const;
  std::vector<std::string> RequestLog() const;  // method + target, in order
  void ResetLog();

  // Replies posted so far, in order (thread-safe).
  std::vector<Write> Writes() const;

  // Routing without sockets.
  web::Response Handle(const web::Request& req);

 private:
  web::Response HandleX(const web::Request& req, const std::string& path, const std::map<std::string, std::string>& q);
  web::Response HandleGraph(const web::Request& req, const std::string& path, const std::map<std::string, std::string>& q);
  web::Response PostTweet(const web::Request& req);
  web::Response PostGraph(const web::Request& req, const std::string& node, const std::string& edge);
  const FeedItem* FindItem(const std::string& platform, const std::string& id) const;
  std::vector<const FeedItem*> Visible(const std::function<bool(const FeedItem&)>& pred) const;
  int64_t Now() const;

  Options o_;
  web::HttpServer server_;
  mutable std::mutex mu_;
  std::vector<FeedItem> feed_;
  long visible_ = -1;
  std::vector<std::pair<std::string, Fault>> faults_;
  std::vector<std::string> log_;
  std::vector<Write> writes_;
  std::map<std::string, std::vector<const FeedItem*>> x_sorted_;  // newest first
  std::map<std::string, bool> x_dirty_;
  int64_t x_window_start_ = 0;
  int x_window_count_ = 0;
};

}  // namespace sambat::fake
