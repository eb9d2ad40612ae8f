#include "connectors/instagram/instagram_connector.h"

#include <algorithm>
#include <set>

#include "connectors/json_util.h"

namespace sambat::connectors {
namespace {

constexpr const char* kMediaFields =
    "id,caption,media_type,media_url,permalink,timestamp,username,children{media_type,media_url,thumbnail_url}";
constexpr const char* kCommentFields = "id,text,timestamp,username,like_count,replies{id,text,timestamp,username}";

std::optional<int64_t> CursorMillis(const std::optional<std::string>& cursor) {
  if (!cursor || cursor->empty() || cursor->size() > 15 || cursor->find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(*cursor);
}

void AddMedia(const rapidjson::Value& v, Post* p) {
  const std::string type = String(v, "media_type").value_or("IMAGE");
  if (type == "CAROUSEL_ALBUM") {
    if (const auto* ch = Member(v, "children")) {
      if (const auto* data = Member(*ch, "data"); data && data->IsArray()) {
        for (const auto& c : data->GetArray()) AddMedia(c, p);
      }
    }
    return;
  }
  // media_url is a signed CDN link that expires; it is kept as a hint, the permalink stays.
  auto url = String(v, "media_url");
  if (!url) url = String(v, "thumbnail_url");
  if (url) p->media.push_back({type == "VIDEO" ? "video" : "photo", *url});
}

}  // namespace

InstagramConnector::InstagramConnector(InstagramOptions options, HttpTransport* http, const Clock* clock)
    : o_(std::move(options)), graph_(o_.base_url, o_.access_token, http, clock, "Instagram") {}

bool InstagramConnector::ReadMedia(const rapidjson::Value& v, const std::string& endpoint, Post* p) const {
  auto id = IdString(v, "id");
  if (!id) return false;
  p->platform = "instagram";
  p->endpoint = endpoint;
  p->id = *id;
  p->text = String(v, "caption").value_or("");
  p->created_at = TimestampMember(v, "timestamp");
  p->author_handle = String(v, "username");
  p->url = String(v, "permalink");
  AddMedia(v, p);
  p->raw_json = ToJson(v);
  return !p->text.empty();
}

bool InstagramConnector::ReadComment(const rapidjson::Value& v, const std::string& endpoint, Post* p) const {
  auto id = IdString(v, "id");
  auto text = String(v, "text");
  if (!id || !text) return false;
  p->platform = "instagram";
  p->endpoint = endpoint;
  p->id = *id;
  p->text = *text;
  p->created_at = TimestampMember(v, "timestamp");
  p->author_handle = String(v, "username");
  p->raw_json = ToJson(v);
  return true;
}

PollOutcome InstagramConnector::Poll(const std::string& endpoint, const std::optional<std::string>& cursor) {
  PollOutcome out;
  const auto since = CursorMillis(cursor);
  const int64_t since_ms = since ? *since - o_.overlap_ms : 0;
  int64_t newest = since.value_or(0);
  std::set<std::string> seen;
  auto keep = [&](Post p) {
    if (p.created_at) newest = std::max(newest, *p.created_at);
    if (seen.insert(p.id).second) out.posts.push_back(std::move(p));
  };
  const std::string user = PercentEncode(o_.user_id);

  if (endpoint == "tags") {
    graph_.ForEach("/" + user + "/tags?fields=" + PercentEncode(kMediaFields) + "&limit=50", o_.max_pages, &out,
                   [&](const rapidjson::Value& v) {
                     Post p;
                     p.kind = "tag";
                     if (!ReadMedia(v, endpoint, &p)) {
                       if (!IdString(v, "id")) ++out.skipped_items;
                       return true;  // a photo without a caption says nothing to read
                     }
                     if (p.created_at && *p.created_at < since_ms) return false;  // newest first
                     keep(std::move(p));
                     return true;
                   });
  } else if (endpoint == "comments") {
    std::vector<std::pair<std::string, std::string>> media;  // id, permalink
    rapidjson::Document doc;
    if (graph_.Get("/" + user + "/media?fields=id,timestamp,permalink&limit=" + std::to_string(o_.recent_media), &doc, &out)) {
      if (const auto* data = Member(doc, "data"); data && data->IsArray()) {
        for (const auto& v : data->GetArray()) {
          if (auto id = IdString(v, "id")) media.emplace_back(*id, String(v, "permalink").value_or(""));
        }
      }
    }
    for (const auto& item : media) {
      // Named copies, not structured bindings: lambdas below capture them (clang 14).
      const std::string& media_id = item.first;
      const std::string& permalink = item.second;
      if (out.kind != PollOutcome::Kind::kOk) break;
      graph_.ForEach("/" + PercentEncode(media_id) + "/comments?fields=" + PercentEncode(kCommentFields) + "&limit=50",
                     o_.max_pages, &out, [&](const rapidjson::Value& v) {
                       Post p;
                       p.kind = "comment";
                       p.parent_id = media_id;
                       if (!ReadComment(v, endpoint, &p)) {
                         ++out.skipped_items;
                         return true;
                       }
                       if (!permalink.empty()) p.url = permalink;
                       // Replies arrive nested; each is its own post.
                       if (const auto* rep = Member(v, "replies")) {
                         if (const auto* data = Member(*rep, "data"); data && data->IsArray()) {
                           for (const auto& r : data->GetArray()) {
                             Post reply;
                             reply.kind = "reply";
                             reply.parent_id = p.id;
                             if (!ReadComment(r, endpoint, &reply)) continue;
                             if (!permalink.empty()) reply.url = permalink;
                             if (!reply.created_at || *reply.created_at >= since_ms) keep(std::move(reply));
                           }
                         }
                       }
                       if (!p.created_at || *p.created_at >= since_ms) keep(std::move(p));
                       return true;
                     });
    }
  } else {
    out.kind = PollOutcome::Kind::kPaused;
    out.log_message = "unknown Instagram endpoint " + endpoint;
    return out;
  }
  if (out.kind != PollOutcome::Kind::kOk) {
    out.posts.clear();
    return out;
  }
  out.cursor = newest > 0 ? std::optional<std::string>(std::to_string(newest)) : cursor;
  return out;
}

PollOutcome InstagramConnector::FetchMention(const std::string& media_id, const std::optional<std::string>& comment_id) {
  PollOutcome out;
  std::string fields = comment_id ? "mentioned_comment.comment_id(" + *comment_id + "){id,text,timestamp,username,media{id,permalink}}"
                                  : "mentioned_media.media_id(" + media_id + "){" + kMediaFields + "}";
  rapidjson::Document doc;
  if (!graph_.Get("/" + PercentEncode(o_.user_id) + "?fields=" + PercentEncode(fields), &doc, &out)) return out;
  Post p;
  p.kind = "mention";
  bool ok = false;
  if (comment_id) {
    if (const auto* c = Member(doc, "mentioned_comment")) {
      ok = ReadComment(*c, "mentions", &p);
      if (const auto* m = Member(*c, "media")) {
        p.parent_id = IdString(*m, "id");
        p.url = String(*m, "permalink");
      }
    }
  } else if (const auto* m = Member(doc, "mentioned_media")) {
    ok = ReadMedia(*m, "mentions", &p);
  }
  if (!ok) {
    out.skipped_items = 1;
    out.log_message = "Instagram mention " + media_id + " could not be read";
    return out;
  }
  out.posts.push_back(std::move(p));
  return out;
}

}  // namespace sambat::connectors
