#include "connectors/facebook/facebook_connector.h"

#include <algorithm>
#include <set>

#include "connectors/json_util.h"

namespace sambat::connectors {
namespace {

constexpr const char* kPostFields =
    "id,message,created_time,from,permalink_url,attachments{media,url,type,subattachments}";
constexpr const char* kCommentFields = "id,message,created_time,from,permalink_url,parent{id},attachment";

std::optional<int64_t> CursorSeconds(const std::optional<std::string>& cursor) {
  if (!cursor || cursor->empty() || cursor->size() > 12 || cursor->find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(*cursor);
}

// A comment's id from its permalink (…?comment_id=123) when the API hides `id` (v11+ PPCA).
std::optional<std::string> IdFromPermalink(const std::optional<std::string>& url) {
  if (!url) return std::nullopt;
  auto at = url->find("comment_id=");
  if (at == std::string::npos) return std::nullopt;
  at += 11;
  auto end = url->find_first_not_of("0123456789", at);
  std::string id = url->substr(at, end == std::string::npos ? std::string::npos : end - at);
  if (id.empty()) return std::nullopt;
  return "c" + id;
}

void AddMedia(const rapidjson::Value& a, Post* p) {
  if (const auto* media = Member(a, "media")) {
    if (const auto* image = Member(*media, "image")) {
      if (auto src = String(*image, "src")) {
        const std::string type = String(a, "type").value_or("photo");
        p->media.push_back({type.find("video") != std::string::npos ? "video" : "photo", *src});
      }
    }
  }
  if (const auto* sub = Member(a, "subattachments")) {
    if (const auto* data = Member(*sub, "data"); data && data->IsArray()) {
      for (const auto& s : data->GetArray()) AddMedia(s, p);
    }
  }
}

}  // namespace

FacebookConnector::FacebookConnector(FacebookOptions options, HttpTransport* http, const Clock* clock)
    : o_(std::move(options)), graph_(o_.base_url, o_.access_token, http, clock, "Facebook") {}

bool FacebookConnector::ReadItem(const rapidjson::Value& v, const std::string& endpoint, Post* p) const {
  p->platform = "facebook";
  p->endpoint = endpoint;
  p->url = String(v, "permalink_url");
  auto id = IdString(v, "id");
  if (!id) id = IdFromPermalink(p->url);
  auto text = String(v, "message");
  if (!id || !text) return false;  // no text: a share or a photo without words; nothing to read
  p->id = *id;
  p->text = *text;
  p->created_at = TimestampMember(v, "created_time");
  if (const auto* from = Member(v, "from")) {  // hidden for citizens on /tagged
    p->author_id = IdString(*from, "id");
    p->author_name = String(*from, "name");
  }
  if (!p->url) p->url = "https://www.facebook.com/" + *id;
  if (const auto* atts = Member(v, "attachments")) {
    if (const auto* data = Member(*atts, "data"); data && data->IsArray()) {
      for (const auto& a : data->GetArray()) AddMedia(a, p);
    }
  }
  if (const auto* att = Member(v, "attachment")) AddMedia(*att, p);
  p->raw_json = ToJson(v);
  return true;
}

PollOutcome FacebookConnector::Poll(const std::string& endpoint, const std::optional<std::string>& cursor) {
  PollOutcome out;
  // The cursor is "SINCE" (Unix seconds of the newest post seen) or, while a backlog larger
  // than one poll is read, "SINCE;UNTIL;NEWEST": the next poll reads what is older than
  // UNTIL, and the cursor becomes NEWEST once that is done.
  std::optional<std::string> since_part = cursor, until_part, newest_part;
  if (cursor && cursor->find(';') != std::string::npos) {
    auto a = cursor->find(';'), b = cursor->find(';', a + 1);
    since_part = cursor->substr(0, a);
    until_part = cursor->substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
    if (b != std::string::npos) newest_part = cursor->substr(b + 1);
  }
  const auto since_s = CursorSeconds(since_part);
  const auto until_s = CursorSeconds(until_part);
  const int64_t since_ms = since_s ? *since_s * 1000 - o_.overlap_ms : 0;
  int64_t newest_s = std::max(since_s.value_or(0), CursorSeconds(newest_part).value_or(0));
  int64_t oldest_s = INT64_MAX;
  std::set<std::string> seen;
  auto take = [&](const rapidjson::Value& v, const std::string& kind, const std::optional<std::string>& parent) {
    Post p;
    p.kind = kind;
    if (!ReadItem(v, endpoint, &p)) {
      if (!Member(v, "message")) return true;  // wordless share: not an error
      ++out.skipped_items;
      return true;
    }
    if (p.created_at && *p.created_at < since_ms) return false;  // newest first: the rest is older
    if (p.created_at) {
      newest_s = std::max(newest_s, *p.created_at / 1000);
      oldest_s = std::min(oldest_s, *p.created_at / 1000);
    }
    if (parent && !p.parent_id) p.parent_id = parent;
    if (seen.insert(p.id).second) out.posts.push_back(std::move(p));
    return true;
  };
  const std::string since_q = (since_s ? "&since=" + std::to_string(since_ms / 1000) : "") +
                              (until_s ? "&until=" + std::to_string(*until_s) : "");
  bool complete = true;
  const std::string page = PercentEncode(o_.page_id);

  if (endpoint == "feed" || endpoint == "tagged") {
    complete = graph_.ForEach("/" + page + "/" + endpoint + "?fields=" + PercentEncode(kPostFields) + "&limit=100" + since_q,
                              o_.max_pages, &out,
                              [&](const rapidjson::Value& v) { return take(v, endpoint == "tagged" ? "tag" : "post", {}); });
  } else if (endpoint == "comments") {
    // Comments live under the page's own recent posts.
    std::vector<std::string> posts;
    rapidjson::Document doc;
    if (graph_.Get("/" + page + "/posts?fields=id,created_time&limit=" + std::to_string(o_.recent_posts), &doc, &out)) {
      if (const auto* data = Member(doc, "data"); data && data->IsArray()) {
        for (const auto& v : data->GetArray()) {
          if (auto id = IdString(v, "id")) posts.push_back(*id);
        }
      }
    }
    for (const auto& post : posts) {
      if (out.kind != PollOutcome::Kind::kOk) break;
      graph_.ForEach("/" + PercentEncode(post) + "/comments?filter=stream&order=reverse_chronological&fields=" +
                         PercentEncode(kCommentFields) + "&limit=100" + since_q,
                     o_.max_pages, &out, [&](const rapidjson::Value& v) {
                       std::optional<std::string> parent = post;
                       if (const auto* pa = Member(v, "parent")) parent = IdString(*pa, "id");
                       return take(v, parent == post ? "comment" : "reply", parent);
                     });
    }
  } else {
    out.kind = PollOutcome::Kind::kPaused;
    out.log_message = "unknown Facebook endpoint " + endpoint;
    return out;
  }
  if (out.kind != PollOutcome::Kind::kOk) {
    out.posts.clear();  // nothing half-done: the same window is read again next time
    return out;
  }
  if (!complete && oldest_s != INT64_MAX) {
    // Page budget spent: the next poll reads the part older than what was read now.
    out.cursor = std::to_string(since_s.value_or(0)) + ";" + std::to_string(oldest_s) + ";" + std::to_string(newest_s);
    out.more = true;
    return out;
  }
  out.cursor = newest_s > 0 ? std::optional<std::string>(std::to_string(newest_s)) : since_part;
  return out;
}

}  // namespace sambat::connectors
