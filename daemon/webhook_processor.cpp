#include "daemon/webhook_processor.h"

#include <spdlog/spdlog.h>

#include "connectors/json_util.h"

namespace sambat::daemon {

using connectors::IdString;
using connectors::Member;
using connectors::String;

namespace {

// Calls `fn(value)` for every entry[].changes[] of the given field in a Meta webhook body.
template <typename Fn>
void ForEachChange(const std::string& body, const char* field, Fn&& fn) {
  rapidjson::Document doc;
  if (!connectors::ParseJson(body, &doc).ok()) return;
  const auto* entries = Member(doc, "entry");
  if (!entries || !entries->IsArray()) return;
  for (const auto& e : entries->GetArray()) {
    const auto* changes = Member(e, "changes");
    if (!changes || !changes->IsArray()) continue;
    for (const auto& c : changes->GetArray()) {
      const auto* v = Member(c, "value");
      if (v && String(c, "field").value_or("") == field) fn(*v);
    }
  }
}

}  // namespace

std::vector<connectors::Post> FacebookFeedPosts(const std::string& body) {
  std::vector<connectors::Post> out;
  ForEachChange(body, "feed", [&](const rapidjson::Value& value) {
      const auto* v = &value;
      const std::string item = String(*v, "item").value_or("");
      if (String(*v, "verb").value_or("") != "add" || (item != "comment" && item != "post" && item != "status")) return;
      auto message = String(*v, "message");
      auto id = item == "comment" ? IdString(*v, "comment_id") : IdString(*v, "post_id");
      if (!message || !id) return;
      connectors::Post p;
      p.platform = "facebook";
      p.endpoint = "webhook";
      p.kind = item == "comment" ? "comment" : "post";
      p.id = *id;
      p.text = *message;
      p.parent_id = item == "comment" ? IdString(*v, "parent_id") : std::nullopt;
      if (const auto* from = Member(*v, "from")) {
        p.author_id = IdString(*from, "id");
        p.author_name = String(*from, "name");
      }
      p.created_at = connectors::TimestampMember(*v, "created_time");
      p.url = "https://www.facebook.com/" + *id;
      p.raw_json = connectors::ToJson(*v);
      out.push_back(std::move(p));
  });
  return out;
}

std::vector<std::pair<std::string, std::optional<std::string>>> InstagramMentions(const std::string& body) {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  ForEachChange(body, "mentions", [&](const rapidjson::Value& v) {
    if (auto media = IdString(v, "media_id")) out.emplace_back(*media, IdString(v, "comment_id"));
  });
  return out;
}

int ProcessWebhookEvents(db::Store* store, const WebhookTargets& t, int limit) {
  auto events = store->PendingWebhookEvents(limit);
  if (!events.ok()) return 0;
  int done = 0;
  for (const auto& ev : *events) {
    std::optional<std::string> error;
    if (ev.source == "facebook") {
      if (!t.facebook_runner) {
        error = "the Facebook source is not enabled";
      } else {
        auto posts = FacebookFeedPosts(ev.body);
        if (!posts.empty()) {
          auto rep = t.facebook_runner->Store("webhook", posts);
          if (rep.kind != connectors::PollOutcome::Kind::kOk) error = rep.message;
        }
      }
    } else if (!t.instagram || !t.instagram_runner) {
      error = "the Instagram source is not enabled";
    } else {
      std::vector<connectors::Post> posts;
      for (const auto& [media, comment] : InstagramMentions(ev.body)) {
        auto out = t.instagram->FetchMention(media, comment);
        if (out.kind == connectors::PollOutcome::Kind::kBackoff) {
          spdlog::warn("webhook event {}: {}; will retry", ev.id, out.log_message);
          return done;  // left pending: tried again on the next round
        }
        if (out.kind == connectors::PollOutcome::Kind::kPaused) error = out.log_message;
        posts.insert(posts.end(), out.posts.begin(), out.posts.end());
      }
      if (!posts.empty()) {
        auto rep = t.instagram_runner->Store("mentions", posts);
        if (rep.kind != connectors::PollOutcome::Kind::kOk) error = rep.message;
      }
    }
    if (error) spdlog::warn("webhook event {}: {}", ev.id, *error);
    (void)store->FinishWebhookEvent(ev.id, error);
    ++done;
  }
  return done;
}

}  // namespace sambat::daemon
