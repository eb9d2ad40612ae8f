#include "tools/fake_platform/fake_platform.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <thread>

namespace sambat::fake {
namespace {

namespace http = web::http;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Numeric comparison of decimal id strings of any length.
bool IdLess(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

std::string Iso(int64_t ms, bool x_style) {
  time_t secs = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  if (x_style) {
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return std::string(buf) + "." + std::to_string(1000 + ms % 1000).substr(1) + "Z";
  }
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+0000", &tm);
  return buf;
}

void Str(Writer& w, const std::string& s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

std::string Gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

web::Response Json(const web::Request& req, http::status status, std::string body) {
  return web::MakeResponse(req, status, std::move(body), "application/json; charset=utf-8");
}

}  // namespace

FakePlatform::FakePlatform(boost::asio::io_context& ioc, Options options)
    : o_(std::move(options)),
      server_(ioc, web::ServerOptions{.host = "127.0.0.1", .port = o_.port},
              [this](const web::Request& req, const std::string&) { return Handle(req); }) {}

Status FakePlatform::Start() { return server_.Start(); }

void FakePlatform::Stop() { server_.Stop(); }

std::string FakePlatform::base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }

int64_t FakePlatform::Now() const {
  if (o_.now_ms) return o_.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void FakePlatform::Add(FeedItem item) {
  std::lock_guard lock(mu_);
  feed_.push_back(std::move(item));
  x_dirty_.clear();
}

size_t FakePlatform::size() const {
  std::lock_guard lock(mu_);
  return feed_.size();
}

void FakePlatform::SetVisible(long n) {
  std::lock_guard lock(mu_);
  if (visible_ != n) x_dirty_.clear();
  visible_ = n;
}

void FakePlatform::SetGzip(bool on) {
  std::lock_guard lock(mu_);
  o_.gzip = on;
}

void FakePlatform::InjectOnce(const std::string& path_part, Fault fault) {
  std::lock_guard lock(mu_);
  faults_.emplace_back(path_part, std::move(fault));
}

int FakePlatform::Requests(const std::string& path_part) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::count_if(log_.begin(), log_.end(), [&](const std::string& l) {
    return l.substr(0, l.find('?')).find(path_part) != std::string::npos;
  }));
}

std::vector<std::string> FakePlatform::RequestLog() const {
  std::lock_guard lock(mu_);
  return log_;
}

void FakePlatform::ResetLog() {
  std::lock_guard lock(mu_);
  log_.clear();
}

Status FakePlatform::LoadJsonl(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    rapidjson::Document d;
    d.Parse(line.c_str());
    if (d.HasParseError() || !d.IsObject()) return Status::InvalidArgument(path + ":" + std::to_string(n) + ": not a JSON object");
    auto s = [&](const rapidjson::Value& o, const char* k) -> std::optional<std::string> {
      auto it = o.FindMember(k);
      if (it == o.MemberEnd() || !it->value.IsString()) return std::nullopt;
      return std::string(it->value.GetString());
    };
    FeedItem f;
    f.platform = s(d, "platform").value_or("");
    f.endpoint = s(d, "endpoint").value_or("");
    f.id = s(d, "id").value_or("");
    f.parent_id = s(d, "parent_id");
    f.text = s(d, "text").value_or("");
    f.permalink = s(d, "permalink").value_or("");
    if (d.HasMember("author") && d["author"].IsObject()) {
      f.author_id = s(d["author"], "id");
      f.author_handle = s(d["author"], "handle");
      f.author_name = s(d["author"], "name");
    }
    const std::string created = s(d, "created_at").value_or("");
    std::tm tm{};
    if (strptime(created.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
      return Status::InvalidArgument(path + ":" + std::to_string(n) + ": bad created_at");
    }
    f.created_at = static_cast<int64_t>(timegm(&tm)) * 1000;
    if (d.HasMember("media") && d["media"].IsArray()) {
      for (const auto& m : d["media"].GetArray()) {
        if (m.IsObject()) f.media.emplace_back(s(m, "type").value_or("photo"), s(m, "url").value_or(""));
      }
    }
    if (f.platform.empty() || f.id.empty()) return Status::InvalidArgument(path + ":" + std::to_string(n) + ": platform and id are required");
    Add(std::move(f));
  }
  return Status::Ok();
}

std::vector<const FeedItem*> FakePlatform::Visible(const std::function<bool(const FeedItem&)>& pred) const {
  std::vector<const FeedItem*> out;
  const size_t n = visible_ < 0 ? feed_.size() : std::min<size_t>(feed_.size(), static_cast<size_t>(visible_));
  for (size_t i = 0; i < n; ++i) {
    if (pred(feed_[i])) out.push_back(&feed_[i]);
  }
  return out;
}

web::Response FakePlatform::Handle(const web::Request& req) {
  const std::string target(req.target());
  std::optional<Fault> fault;
  {
    std::lock_guard lock(mu_);
    log_.push_back(std::string(req.method_string()) + " " + target);
    const std::string path = target.substr(0, target.find('?'));
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (path.find(it->first) != std::string::npos) {
        fault = it->second;
        faults_.erase(it);
        break;
      }
    }
  }
  if (fault && fault->delay.count() > 0) std::this_thread::sleep_for(fault->delay);
  const auto q = web::ParseQuery(target);
  std::string path = target.substr(0, target.find('?'));
  web::Response res;
  if (path == "/_fake/writes") {  // for people watching the demo: the replies posted so far
    rapidjson::StringBuffer b;
    Writer w(b);
    w.StartArray();
    for (const auto& x : Writes()) {
      w.StartObject();
      w.Key("platform"); Str(w, x.platform);
      w.Key("kind"); Str(w, x.kind);
      w.Key("target_id"); Str(w, x.target_id);
      w.Key("text"); Str(w, x.text);
      w.Key("id"); Str(w, x.id);
      w.EndObject();
    }
    w.EndArray();
    return Json(req, http::status::ok, b.GetString());
  }
  {
    std::lock_guard lock(mu_);
    if (path.rfind("/2/", 0) == 0) {
      res = HandleX(req, path, q);
    } else {
      // Graph: drop the version segment (/v25.0/...).
      if (path.size() > 2 && path[1] == 'v' && std::isdigit(static_cast<unsigned char>(path[2]))) {
        path = path.substr(path.find('/', 1) == std::string::npos ? path.size() : path.find('/', 1));
      }
      res = HandleGraph(req, path, q);
    }
  }
  if (fault) {
    if (fault->status != 200) res.result(static_cast<http::status>(fault->status));
    if (!fault->body.empty()) res.body() = fault->body;
    for (const auto& [k, v] : fault->headers) res.set(k, v);
    if (fault->truncate) res.body() = res.body().substr(0, res.body().size() / 2);
    res.prepare_payload();
  }
  bool gzip;
  {
    std::lock_guard lock(mu_);
    gzip = o_.gzip;
  }
  auto accept = req[http::field::accept_encoding];
  if (gzip && accept.find("gzip") != boost::beast::string_view::npos) {
    res.body() = Gzip(res.body());
    res.set(http::field::content_encoding, "gzip");
    res.prepare_payload();
  }
  return res;
}

web::Response FakePlatform::HandleX(const web::Request& req, const std::string& path,
                                    const std::map<std::string, std::string>& q) {
  // The rate-limit window, as X reports it on every answer.
  const int64_t now = Now();
  if (now - x_window_start_ >= 15 * 60'000) {
    x_window_start_ = now;
    x_window_count_ = 0;
  }
  ++x_window_count_;
  const int64_t reset_s = (x_window_start_ + 15 * 60'000) / 1000;
  auto with_limits = [&](web::Response r) {
    r.set("x-rate-limit-limit", std::to_string(o_.x_rate_limit));
    r.set("x-rate-limit-remaining", std::to_string(std::max(0, o_.x_rate_limit - x_window_count_)));
    r.set("x-rate-limit-reset", std::to_string(reset_s));
    return r;
  };
  if (x_window_count_ > o_.x_rate_limit) {
    return with_limits(Json(req, http::status::too_many_requests,
                            R"({"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429})"));
  }
  auto auth = req[http::field::authorization];
  if (auth.empty() || auth.substr(0, 7) != "Bearer ") {
    return with_limits(Json(req, http::status::unauthorized,
                            R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})"));
  }
  if (path == "/2/tweets" && req.method() == http::verb::post) {
    // App-only bearer tokens (they start with A's) may read but not post.
    if (auth.substr(7, 8) == "AAAAAAAA") {
      return with_limits(Json(req, http::status::forbidden,
                              R"({"title":"Unsupported Authentication","detail":"Authenticating with OAuth 2.0 )"
                              R"(Application-Only is forbidden for this endpoint.  Supported authentication types are )"
                              R"([OAuth 1.0a User Context, OAuth 2.0 User Context].","type":)"
                              R"("https://api.twitter.com/2/problems/unsupported-authentication","status":403})"));
    }
    return with_limits(PostTweet(req));
  }
  std::string endpoint;
  if (path == "/2/users/" + o_.x_user_id + "/mentions") endpoint = "mentions";
  else if (path == "/2/tweets/search/recent") endpoint = "search";
  else return with_limits(Json(req, http::status::not_found, R"({"title":"Not Found Error","type":"about:blank","status":404})"));

  const std::string since = q.count("since_id") ? q.at("since_id") : "";
  // Newest first, cached per endpoint until the feed changes (a million items in the benchmark).
  auto& sorted = x_sorted_[endpoint];
  if (x_dirty_.count(endpoint) == 0 || x_dirty_[endpoint]) {
    sorted = Visible([&](const FeedItem& f) { return f.platform == "x" && f.endpoint == endpoint; });
    std::sort(sorted.begin(), sorted.end(), [](const FeedItem* a, const FeedItem* b) { return IdLess(b->id, a->id); });
    x_dirty_[endpoint] = false;
  }
  std::vector<const FeedItem*> items;
  if (since.empty()) {
    items = sorted;
  } else {
    auto end_it = std::partition_point(sorted.begin(), sorted.end(), [&](const FeedItem* f) { return IdLess(since, f->id); });
    items.assign(sorted.begin(), end_it);
  }
  int max_results = q.count("max_results") ? std::atoi(q.at("max_results").c_str()) : 10;
  const int size = std::max(1, std::min(max_results, o_.page_size));
  const std::string token = q.count("pagination_token") ? q.at("pagination_token") : q.count("next_token") ? q.at("next_token") : "";
  size_t offset = token.size() > 1 ? std::strtoul(token.c_str() + 1, nullptr, 10) : 0;
  offset = std::min(offset, items.size());
  const size_t end = std::min(items.size(), offset + static_cast<size_t>(size));

  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  if (end > offset) {
    w.Key("data");
    w.StartArray();
    for (size_t i = offset; i < end; ++i) {
      const FeedItem& f = *items[i];
      w.StartObject();
      if (f.malformed) {  // no text: the connector must skip this one item
        w.Key("id");
        Str(w, f.id);
        w.EndObject();
        continue;
      }
      w.Key("id"); Str(w, f.id);
      w.Key("text"); Str(w, f.text);
      w.Key("created_at"); Str(w, Iso(f.created_at, true));
      if (f.author_id) { w.Key("author_id"); Str(w, *f.author_id); }
      w.Key("edit_history_tweet_ids"); w.StartArray(); Str(w, f.id); w.EndArray();
      if (!f.media.empty()) {
        w.Key("attachments"); w.StartObject(); w.Key("media_keys"); w.StartArray();
        for (size_t m = 0; m < f.media.size(); ++m) Str(w, "3_" + f.id + "_" + std::to_string(m));
        w.EndArray(); w.EndObject();
      }
      w.EndObject();
    }
    w.EndArray();
    w.Key("includes");
    w.StartObject();
    w.Key("users");
    w.StartArray();
    for (size_t i = offset; i < end; ++i) {
      const FeedItem& f = *items[i];
      if (!f.author_id) continue;
      w.StartObject();
      w.Key("id"); Str(w, *f.author_id);
      w.Key("username"); Str(w, f.author_handle.value_or("user" + *f.author_id));
      w.Key("name"); Str(w, f.author_name.value_or(f.author_handle.value_or("")));
      w.EndObject();
    }
    w.EndArray();
    w.Key("media");
    w.StartArray();
    for (size_t i = offset; i < end; ++i) {
      const FeedItem& f = *items[i];
      for (size_t m = 0; m < f.media.size(); ++m) {
        w.StartObject();
        w.Key("media_key"); Str(w, "3_" + f.id + "_" + std::to_string(m));
        w.Key("type"); Str(w, f.media[m].first);
        w.Key("url"); Str(w, f.media[m].second);
        w.EndObject();
      }
    }
    w.EndArray();
    w.EndObject();
  }
  w.Key("meta");
  w.StartObject();
  w.Key("result_count"); w.Int(static_cast<int>(end - offset));
  if (end > offset) {
    w.Key("newest_id"); Str(w, items[offset]->id);
    w.Key("oldest_id"); Str(w, items[end - 1]->id);
  }
  if (end < items.size()) {
    w.Key("next_token"); Str(w, "t" + std::to_string(end));
  }
  w.EndObject();
  w.EndObject();
  return with_limits(Json(req, http::status::ok, b.GetString()));
}

web::Response FakePlatform::HandleGraph(const web::Request& req, const std::string& path,
                                        const std::map<std::string, std::string>& q) {
  auto error = [&](int code, int subcode, const std::string& msg) {
    std::string body = R"({"error":{"message":")" + msg + R"(","type":"OAuthException","code":)" + std::to_string(code) +
                       (subcode ? R"(,"error_subcode":)" + std::to_string(subcode) : "") + R"(,"fbtrace_id":"AFakeTrace"}})";
    return Json(req, http::status::bad_request, body);
  };
  if (req[http::field::authorization].empty() && !q.count("access_token")) {
    return error(190, 0, "An active access token must be used to query information about the current user.");
  }
  // Split /{node}/{edge}.
  std::vector<std::string> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (parts.empty()) return error(100, 0, "Unsupported get request.");
  const std::string node = parts[0];
  const std::string edge = parts.size() > 1 ? parts[1] : "";
  if (req.method() == http::verb::post) return PostGraph(req, node, edge);
  const int64_t since_ms = q.count("since") ? std::atoll(q.at("since").c_str()) * 1000 : 0;
  const int64_t until_ms = q.count("until") ? std::atoll(q.at("until").c_str()) * 1000 : INT64_MAX;
  const size_t offset = q.count("after") ? std::strtoul(q.at("after").c_str(), nullptr, 10) : 0;
  int limit = q.count("limit") ? std::atoi(q.at("limit").c_str()) : 25;
  limit = std::max(1, std::min(limit, o_.page_size));

  std::vector<const FeedItem*> items;
  enum class Shape { kFbPost, kFbComment, kIgMedia, kIgComment } shape;
  if (node == o_.page_id && (edge == "feed" || edge == "tagged" || edge == "posts")) {
    const std::string want = edge == "tagged" ? "tagged" : "feed";
    items = Visible([&](const FeedItem& f) {
      if (f.platform != "facebook" || f.endpoint != want || f.created_at < since_ms || f.created_at > until_ms) return false;
      if (edge == "posts") return f.author_handle == o_.page_handle || f.author_id == o_.page_id;
      return true;
    });
    shape = Shape::kFbPost;
  } else if (edge == "comments" && !node.empty() && node.find('_') != std::string::npos) {
    items = Visible([&](const FeedItem& f) {
      return f.platform == "facebook" && f.endpoint == "comments" && f.parent_id == node && f.created_at >= since_ms;
    });
    shape = Shape::kFbComment;
  } else if (node == o_.ig_user_id && (edge == "tags" || edge == "media")) {
    const std::string want = edge == "tags" ? "tags" : "own_media";
    items = Visible([&](const FeedItem& f) { return f.platform == "instagram" && f.endpoint == want; });
    shape = Shape::kIgMedia;
  } else if (edge == "comments") {
    items = Visible([&](const FeedItem& f) {
      return f.platform == "instagram" && f.endpoint == "comments" && f.parent_id == node;
    });
    shape = Shape::kIgComment;
  } else if (node == o_.ig_user_id && edge.empty() && q.count("fields")) {
    // mentioned_media.media_id(ID){...} / mentioned_comment.comment_id(ID){...}
    const std::string fields = q.at("fields");
    const bool comment = fields.rfind("mentioned_comment", 0) == 0;
    auto open = fields.find('('), close = fields.find(')');
    if (open == std::string::npos || close == std::string::npos) return error(100, 0, "Invalid fields");
    const std::string id = fields.substr(open + 1, close - open - 1);
    auto found = Visible([&](const FeedItem& f) { return f.platform == "instagram" && f.id == id; });
    if (found.empty()) return error(100, 33, "Object does not exist");
    const FeedItem& f = *found[0];
    rapidjson::StringBuffer b;
    Writer w(b);
    w.StartObject();
    w.Key(comment ? "mentioned_comment" : "mentioned_media");
    w.StartObject();
    w.Key("id"); Str(w, f.id);
    w.Key(comment ? "text" : "caption"); Str(w, f.text);
    w.Key("timestamp"); Str(w, Iso(f.created_at, false));
    if (f.author_handle) { w.Key("username"); Str(w, *f.author_handle); }
    if (!comment) {
      w.Key("media_type"); Str(w, f.media.empty() ? "IMAGE" : "CAROUSEL_ALBUM");
      w.Key("permalink"); Str(w, f.permalink);
    } else {
      w.Key("media"); w.StartObject(); w.Key("id"); Str(w, f.parent_id.value_or("")); w.Key("permalink"); Str(w, f.permalink); w.EndObject();
    }
    w.EndObject();
    w.Key("id"); Str(w, o_.ig_user_id);
    w.EndObject();
    return Json(req, http::status::ok, b.GetString());
  } else {
    return error(100, 33, "Unsupported get request. Object with ID '" + node + "' does not exist");
  }
  std::sort(items.begin(), items.end(), [](const FeedItem* a, const FeedItem* b) { return a->created_at > b->created_at; });
  const size_t from = std::min(offset, items.size());
  const size_t end = std::min(items.size(), from + static_cast<size_t>(limit));

  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("data");
  w.StartArray();
  for (size_t i = from; i < end; ++i) {
    const FeedItem& f = *items[i];
    w.StartObject();
    if (f.malformed) {  // a shape the connector cannot read
      w.Key("message"); w.Int(42);
      w.EndObject();
      continue;
    }
    w.Key("id"); Str(w, f.id);
    if (shape == Shape::kFbPost || shape == Shape::kFbComment) {
      w.Key("message"); Str(w, f.text);
      w.Key("created_time"); Str(w, Iso(f.created_at, false));
      w.Key("permalink_url"); Str(w, f.permalink);
      if (f.author_id || f.author_name) {  // /tagged hides citizens
        w.Key("from"); w.StartObject();
        if (f.author_name) { w.Key("name"); Str(w, *f.author_name); }
        if (f.author_id) { w.Key("id"); Str(w, *f.author_id); }
        w.EndObject();
      }
      if (!f.media.empty()) {
        w.Key(shape == Shape::kFbPost ? "attachments" : "attachment");
        if (shape == Shape::kFbPost) { w.StartObject(); w.Key("data"); w.StartArray(); }
        w.StartObject();
        w.Key("type"); Str(w, f.media[0].first == "video" ? "video_inline" : "photo");
        w.Key("media"); w.StartObject(); w.Key("image"); w.StartObject(); w.Key("src"); Str(w, f.media[0].second); w.EndObject(); w.EndObject();
        w.EndObject();
        if (shape == Shape::kFbPost) { w.EndArray(); w.EndObject(); }
      }
    } else {
      w.Key(shape == Shape::kIgMedia ? "caption" : "text"); Str(w, f.text);
      w.Key("timestamp"); Str(w, Iso(f.created_at, false));
      if (f.author_handle) { w.Key("username"); Str(w, *f.author_handle); }
      if (shape == Shape::kIgMedia) {
        w.Key("permalink"); Str(w, f.permalink);
        w.Key("media_type"); Str(w, f.media.size() > 1 ? "CAROUSEL_ALBUM" : f.media.empty() ? "IMAGE" : (f.media[0].first == "video" ? "VIDEO" : "IMAGE"));
        if (f.media.size() == 1) { w.Key("media_url"); Str(w, f.media[0].second); }
        if (f.media.size() > 1) {
          w.Key("children"); w.StartObject(); w.Key("data"); w.StartArray();
          for (const auto& [type, url] : f.media) {
            w.StartObject(); w.Key("media_type"); Str(w, type == "video" ? "VIDEO" : "IMAGE"); w.Key("media_url"); Str(w, url); w.EndObject();
          }
          w.EndArray(); w.EndObject();
        }
      }
    }
    w.EndObject();
  }
  w.EndArray();
  if (end < items.size() || from > 0) {
    w.Key("paging");
    w.StartObject();
    w.Key("cursors"); w.StartObject();
    w.Key("before"); Str(w, std::to_string(from));
    w.Key("after"); Str(w, std::to_string(end));
    w.EndObject();
    if (end < items.size()) {
      // Like Meta's: the full URL, fields and the access token included.
      std::string next = "http://127.0.0.1:" + std::to_string(port()) + "/v25.0" + path + "?";
      for (const auto& [k, v] : q) {
        if (k != "after" && k != "access_token") next += k + "=" + v + "&";
      }
      next += "access_token=FAKE-PAGE-TOKEN-IN-PAGING-URL&after=" + std::to_string(end);
      w.Key("next"); Str(w, next);
    }
    w.EndObject();
  }
  w.EndObject();
  return Json(req, http::status::ok, b.GetString());
}

const FeedItem* FakePlatform::FindItem(const std::string& platform, const std::string& id) const {
  for (const auto& f : feed_) {
    if (f.platform == platform && f.id == id) return &f;
  }
  return nullptr;
}

// POST /2/tweets {"text", "reply": {"in_reply_to_tweet_id"}}: 201 {"data": {"id", "text",
// "edit_history_tweet_ids"}}, or X's problem+json for a body it cannot take.
web::Response FakePlatform::PostTweet(const web::Request& req) {
  auto invalid = [&](const std::string& message) {
    return Json(req, http::status::bad_request,
                R"({"errors":[{"parameters":{},"message":")" + message +
                    R"("}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.",)"
                    R"("type":"https://api.twitter.com/2/problems/invalid-request"})");
  };
  rapidjson::Document d;
  d.Parse(req.body().c_str(), req.body().size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("text") || !d["text"].IsString()) {
    return invalid("JSON doesn't match expected schema");
  }
  const std::string text = d["text"].GetString();
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  if (text.empty() || chars > 280) return invalid("text must be 1 to 280 characters");
  std::string to;
  if (d.HasMember("reply") && d["reply"].IsObject() && d["reply"].HasMember("in_reply_to_tweet_id") &&
      d["reply"]["in_reply_to_tweet_id"].IsString()) {
    to = d["reply"]["in_reply_to_tweet_id"].GetString();
  }
  if (!to.empty() && !FindItem("x", to)) return invalid("The Post you are replying to does not exist");
  const std::string id = std::to_string(1990000000000000000ULL + writes_.size() + 1);
  writes_.push_back({"x", "x_reply", to, "", text, id});
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("data"); w.StartObject();
  w.Key("id"); Str(w, id);
  w.Key("text"); Str(w, text);
  w.Key("edit_history_tweet_ids"); w.StartArray(); Str(w, id); w.EndArray();
  w.EndObject();
  w.EndObject();
  return Json(req, http::status::created, b.GetString());
}

// POST /{object}/comments, /{ig-comment}/replies, /{ig-user}/mentions with a form body (or
// query) carrying message, media_id, comment_id: {"id": "..."} like Graph's write answers.
web::Response FakePlatform::PostGraph(const web::Request& req, const std::string& node, const std::string& edge) {
  auto error = [&](int code, const std::string& msg) {
    return Json(req, http::status::bad_request,
                R"({"error":{"message":")" + msg + R"(","type":"OAuthException","code":)" + std::to_string(code) +
                    R"(,"fbtrace_id":"AFakeTrace"}})");
  };
  auto form = web::ParseQuery("?" + req.body());
  for (const auto& [k, v] : web::ParseQuery(std::string(req.target()))) form.emplace(k, v);
  const std::string message = form.count("message") ? form["message"] : "";
  if (message.empty()) return error(100, "(#100) The parameter message is required");
  Write write;
  write.text = message;
  if (edge == "comments" && FindItem("facebook", node)) {
    write.platform = "facebook";
    write.kind = "fb_comment";
    write.target_id = node;
    write.id = node + "_" + std::to_string(229887283291835ULL + writes_.size());
  } else if (edge == "replies" && FindItem("instagram", node)) {
    write.platform = "instagram";
    write.kind = "ig_comment_reply";
    write.target_id = node;
  } else if (edge == "mentions" && node == o_.ig_user_id) {
    const std::string media = form.count("media_id") ? form["media_id"] : "";
    const FeedItem* m = FindItem("instagram", media);
    const FeedItem* c = form.count("comment_id") ? FindItem("instagram", form["comment_id"]) : nullptr;
    if (!m && !(c && c->parent_id == media)) return error(100, "(#100) Invalid media_id");
    if (m && m->endpoint == "tags") {
      return error(10, "(#10) Application does not have permission for this action");  // tagged only
    }
    write.platform = "instagram";
    write.kind = "ig_mention";
    write.target_id = media;
    if (c) write.comment_id = c->id;
  } else {
    return error(100, "Unsupported post request. Object with ID '" + node + "' does not exist");
  }
  if (write.id.empty()) write.id = std::to_string(17900000000000000ULL + writes_.size() + 1);
  writes_.push_back(write);
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("id"); Str(w, write.id);
  w.EndObject();
  return Json(req, http::status::ok, b.GetString());
}

std::vector<Write> FakePlatform::Writes() const {
  std::lock_guard lock(mu_);
  return writes_;
}

}  // namespace sambat::fake
