#include "connectors/x/x_connector.h"

#include <map>

#include "connectors/json_util.h"

namespace sambat::connectors {
namespace {

constexpr const char* kTweetFields = "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,attachments,edit_history_tweet_ids";
constexpr const char* kExpansions = "author_id,attachments.media_keys";

bool IsDecimal(const std::string& s) { return !s.empty() && s.size() <= 20 && s.find_first_not_of("0123456789") == std::string::npos; }

}  // namespace

PollOutcome XFailure(const HttpResponse& r, int64_t now_ms) {
  PollOutcome out;
  rapidjson::Document doc;
  std::string type, detail;
  if (ParseJson(r.body, &doc).ok()) {
    type = String(doc, "type").value_or("");
    detail = String(doc, "detail").value_or(String(doc, "title").value_or(""));
  }
  if (r.status == 429 && type.find("usage-capped") != std::string::npos) {
    out.kind = PollOutcome::Kind::kPaused;
    out.log_message = "X usage cap reached: " + detail;
    out.operator_message = "Kuota bulanan X API habis (usage cap). Sumber X dihentikan sampai kuota bertambah.";
    return out;
  }
  if (r.status == 429) {
    out.kind = PollOutcome::Kind::kBackoff;
    // X sends no Retry-After: wait for x-rate-limit-reset (Unix seconds).
    auto reset = r.Header("x-rate-limit-reset");
    int64_t at = now_ms + 15 * 60'000;
    if (reset && IsDecimal(*reset)) at = std::stoll(*reset) * 1000 + 1000;
    out.retry_at = at;
    out.rate_reset_at = at;
    out.rate_remaining = 0;
    out.log_message = "X rate limit reached; waiting until the reset";
    out.operator_message = "Batas permintaan X tercapai; pengambilan dilanjutkan otomatis setelah batas direset.";
    return out;
  }
  if (r.status == 401 || r.status == 403) {
    out.kind = PollOutcome::Kind::kPaused;
    out.log_message = "X refused the bearer token (HTTP " + std::to_string(r.status) + "): " + detail;
    out.operator_message = r.status == 401 ? "Token X tidak berlaku atau kedaluwarsa: perbarui token lalu muat ulang sambatd."
                                           : "Akses X ditolak (izin aplikasi kurang): periksa proyek dan izin di X Developer.";
    return out;
  }
  out.kind = PollOutcome::Kind::kBackoff;
  out.log_message = "X answered HTTP " + std::to_string(r.status) + (detail.empty() ? "" : ": " + detail);
  out.operator_message = "X sedang bermasalah (HTTP " + std::to_string(r.status) + "); dicoba lagi nanti.";
  return out;
}


std::string SnowflakeMinus(const std::string& id, int64_t ms) {
  if (!IsDecimal(id)) return id;
  const unsigned long long v = std::stoull(id);
  const unsigned long long delta = static_cast<unsigned long long>(ms) << 22;
  return std::to_string(v > delta ? v - delta : 0ull);
}

XConnector::XConnector(XOptions options, HttpTransport* http, const Clock* clock)
    : o_(std::move(options)), http_(http), clock_(clock) {}

std::vector<std::string> XConnector::endpoints() const {
  std::vector<std::string> e = {"mentions"};
  if (!o_.search_query.empty()) e.push_back("search");
  return e;
}

PollOutcome XConnector::Poll(const std::string& endpoint, const std::optional<std::string>& cursor) {
  PollOutcome out;
  const bool search = endpoint == "search";
  std::string base = o_.base_url + (search ? "/2/tweets/search/recent" : "/2/users/" + PercentEncode(o_.user_id) + "/mentions");
  AddQuery(&base, "max_results", "100");
  AddQuery(&base, "tweet.fields", kTweetFields);
  AddQuery(&base, "expansions", kExpansions);
  AddQuery(&base, "user.fields", "username,name");
  AddQuery(&base, "media.fields", "url,preview_image_url,type");
  if (search) AddQuery(&base, "query", o_.search_query);
  // The cursor is "SINCE" or, while a large backlog is read over several polls,
  // "SINCE;NEXT_TOKEN;NEWEST": paging resumes where the last poll stopped, and the
  // watermark becomes NEWEST once the last page is read.
  std::string since, next_token, pending_newest;
  if (cursor) {
    since = cursor->substr(0, cursor->find(';'));
    if (auto a = cursor->find(';'); a != std::string::npos) {
      auto b = cursor->find(';', a + 1);
      next_token = cursor->substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
      if (b != std::string::npos) pending_newest = cursor->substr(b + 1);
    }
  }
  if (IsDecimal(since)) AddQuery(&base, "since_id", SnowflakeMinus(since, o_.overlap_ms));
  const bool resuming = !next_token.empty();
  bool restarted = false;

  std::optional<std::string> newest;
  if (IsDecimal(pending_newest)) newest = pending_newest;
  std::map<std::string, bool> seen;  // within one poll: the same tweet on two pages
  for (int page = 0; page < o_.max_pages; ++page) {
    std::string url = base;
    if (!next_token.empty()) AddQuery(&url, search ? "next_token" : "pagination_token", next_token);
    HttpRequest req;
    req.url = url;
    req.headers.emplace_back("Authorization", "Bearer " + o_.bearer_token.Reveal());
    auto res = http_->Send(req);
    ++out.requests;
    const int64_t now = ToUnixMillis(clock_->Now());
    if (!res.ok()) {
      PollOutcome fail;
      fail.kind = PollOutcome::Kind::kBackoff;
      fail.requests = out.requests;
      fail.log_message = "X request failed: " + res.status().message();
      fail.operator_message = "Tidak dapat menghubungi X; dicoba lagi nanti.";
      return fail;
    }
    if (auto rem = res->Header("x-rate-limit-remaining"); rem && IsDecimal(*rem)) out.rate_remaining = std::stoll(*rem);
    if (auto reset = res->Header("x-rate-limit-reset"); reset && IsDecimal(*reset)) out.rate_reset_at = std::stoll(*reset) * 1000;
    if (res->status == 400 && resuming && !restarted) {
      // The saved pagination token expired: read the backlog again from the watermark.
      restarted = true;
      next_token.clear();
      newest.reset();
      --page;  // that answer does not count against the page budget
      continue;
    }
    if (res->status != 200) {
      PollOutcome fail = XFailure(*res, now);
      fail.requests = out.requests;
      return fail;
    }
    rapidjson::Document doc;
    if (Status s = ParseJson(res->body, &doc); !s.ok() || !doc.IsObject()) {
      PollOutcome fail;
      fail.kind = PollOutcome::Kind::kBackoff;
      fail.requests = out.requests;
      fail.log_message = "X sent an unreadable page: " + (s.ok() ? std::string("not an object") : s.message());
      fail.operator_message = "Jawaban X tidak terbaca; dicoba lagi nanti.";
      return fail;
    }
    // includes: users and media by id, joined into each tweet.
    std::map<std::string, const rapidjson::Value*> users, media;
    if (const auto* inc = Member(doc, "includes")) {
      if (const auto* u = Member(*inc, "users"); u && u->IsArray()) {
        for (const auto& x : u->GetArray()) {
          if (auto id = IdString(x, "id")) users[*id] = &x;
        }
      }
      if (const auto* m = Member(*inc, "media"); m && m->IsArray()) {
        for (const auto& x : m->GetArray()) {
          if (auto k = String(x, "media_key")) media[*k] = &x;
        }
      }
    }
    const auto* meta = Member(doc, "meta");
    if (!newest && meta) newest = IdString(*meta, "newest_id");
    if (const auto* data = Member(doc, "data"); data && data->IsArray()) {  // no "data": empty page
      for (const auto& t : data->GetArray()) {
        auto id = IdString(t, "id");
        auto text = String(t, "text");
        if (!id || !text) {
          ++out.skipped_items;
          continue;
        }
        Post p;
        p.platform = "x";
        p.endpoint = endpoint;
        p.kind = search ? "post" : "mention";
        // Edits get new ids; the first id of the chain keeps one post per complaint.
        p.id = *id;
        if (const auto* chain = Member(t, "edit_history_tweet_ids"); chain && chain->IsArray() && !chain->Empty() &&
                                                                      (*chain)[0].IsString()) {
          p.id = (*chain)[0].GetString();
        }
        if (seen[p.id]) continue;
        seen[p.id] = true;
        p.text = *text;
        p.created_at = TimestampMember(t, "created_at");
        p.author_id = IdString(t, "author_id");
        if (p.author_id) {
          if (auto it = users.find(*p.author_id); it != users.end()) {
            p.author_handle = String(*it->second, "username");
            p.author_name = String(*it->second, "name");
          }
        }
        if (p.author_handle) p.url = "https://x.com/" + *p.author_handle + "/status/" + *id;
        else p.url = "https://x.com/i/web/status/" + *id;
        if (const auto* att = Member(t, "attachments")) {
          if (const auto* keys = Member(*att, "media_keys"); keys && keys->IsArray()) {
            for (const auto& k : keys->GetArray()) {
              if (!k.IsString()) continue;
              auto it = media.find(k.GetString());
              if (it == media.end()) continue;
              Media m;
              m.type = String(*it->second, "type").value_or("photo") == "photo" ? "photo" : "video";
              m.url = String(*it->second, "url").value_or(String(*it->second, "preview_image_url").value_or(""));
              if (!m.url.empty()) p.media.push_back(std::move(m));
            }
          }
        }
        if (const auto* refs = Member(t, "referenced_tweets"); refs && refs->IsArray()) {
          for (const auto& r : refs->GetArray()) {
            if (String(r, "type").value_or("") == "replied_to") p.parent_id = IdString(r, "id");
          }
        }
        p.raw_json = ToJson(t);
        out.posts.push_back(std::move(p));
      }
    }
    next_token = meta ? String(*meta, "next_token").value_or("") : "";
    if (next_token.empty()) break;
  }
  if (!next_token.empty()) {
    // Page budget spent with more to read: keep the old watermark and resume next poll.
    out.cursor = since + ";" + next_token + ";" + newest.value_or(since);
    out.more = true;
    return out;
  }
  // The watermark moves only now that every page was read.
  out.cursor = newest ? newest : (since.empty() ? std::optional<std::string>() : std::optional<std::string>(since));
  return out;
}

}  // namespace sambat::connectors
