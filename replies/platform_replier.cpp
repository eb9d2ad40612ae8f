#include "replies/platform_replier.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connectors/graph/graph_client.h"
#include "connectors/x/x_connector.h"

namespace sambat::replies {
namespace {

using handoff::Verdict;

std::string Member(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key)) return "";
  const auto& m = v[key];
  if (m.IsString()) return std::string(m.GetString(), m.GetStringLength());
  if (m.IsUint64()) return std::to_string(m.GetUint64());  // ids as numbers: still strings to us
  return "";
}

Verdict Dead(std::string why) { return {Verdict::Kind::kDead, std::nullopt, std::nullopt, std::move(why)}; }

// The platform may have posted it: a person looks before anything is sent again.
Verdict Uncertain(const std::string& platform, const std::string& what) {
  return Dead("Tidak pasti apakah balasan sampai ke " + platform + " (" + what +
              "). Periksa di platform; bila balasan belum tampil, kirim ulang.");
}

// 503 says the service did not take the request; 500, 502, 504 and 408 come after the body
// was sent and may hide a reply that was posted.
bool RefusedBeforeProcessing(int status) { return status == 503; }
Verdict Retry(std::string why, std::optional<int64_t> after_ms = std::nullopt) {
  return {Verdict::Kind::kRetry, std::nullopt, after_ms, std::move(why)};
}

// No answer: try again only when the request surely never arrived. Platforms have no
// idempotency key, so a timeout after sending could mean the reply is already public.
Verdict NoAnswer(const Status& s, const std::string& platform) {
  if (s.code() == StatusCode::kIoError) return Retry(platform + " tidak bisa dihubungi: " + s.message());
  return Uncertain(platform, s.message());
}

std::string Join(const std::string& base, const std::string& path) {
  return base + (base.ends_with("/") ? path.substr(1) : path);
}

std::string XBody(const std::string& text, const std::string& tweet_id) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartObject();
  w.Key("text");
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  w.Key("reply");
  w.StartObject();
  w.Key("in_reply_to_tweet_id");
  w.String(tweet_id.data(), static_cast<rapidjson::SizeType>(tweet_id.size()));
  w.EndObject();
  w.EndObject();
  return b.GetString();
}

}  // namespace

Verdict JudgeXReply(const Result<connectors::HttpResponse>& response, int64_t now_ms) {
  if (!response.ok()) return NoAnswer(response.status(), "X");
  const auto& r = *response;
  rapidjson::Document d;
  d.Parse(r.body.c_str(), r.body.size());
  const bool json = !d.HasParseError() && d.IsObject();
  if (r.status == 200 || r.status == 201) {
    const std::string id = json && d.HasMember("data") ? Member(d["data"], "id") : "";
    if (id.empty()) return Uncertain("X", "HTTP " + std::to_string(r.status) + " tanpa id balasan");
    return {Verdict::Kind::kDelivered, id, std::nullopt, ""};
  }
  const std::string detail = json ? (Member(d, "detail").empty() ? Member(d, "title") : Member(d, "detail")) : "";
  if (r.status == 429) {
    // The monthly usage cap does not reset with the window: the connectors' reading says so.
    if (auto cap = connectors::XFailure(r, now_ms); cap.kind == connectors::PollOutcome::Kind::kPaused) {
      return Dead(cap.operator_message);
    }
    // X sends no Retry-After: x-rate-limit-reset is the Unix second the window reopens.
    std::optional<int64_t> after;
    if (auto reset = r.Header("x-rate-limit-reset")) {
      char* end = nullptr;
      const long long s = std::strtoll(reset->c_str(), &end, 10);
      if (end && *end == '\0' && s > 0) after = std::max<int64_t>(s * 1000 - now_ms, 1000);
    }
    return Retry("Batas kirim X tercapai; dicoba lagi setelah batas direset", after);
  }
  if (RefusedBeforeProcessing(r.status)) return Retry("X sedang bermasalah (HTTP " + std::to_string(r.status) + ")");
  if (r.status >= 500 || r.status == 408) return Uncertain("X", "HTTP " + std::to_string(r.status));
  if (r.status == 401 || r.status == 403) {
    return Dead("X menolak token balasan (HTTP " + std::to_string(r.status) +
                "): periksa sources.x.reply_token_file (token pengguna dengan izin tweet.write)" +
                (detail.empty() ? "" : ". Pesan X: " + detail));
  }
  return Dead("X menolak balasan (HTTP " + std::to_string(r.status) + ")" + (detail.empty() ? "" : ": " + detail));
}

Verdict JudgeGraphReply(const Result<connectors::HttpResponse>& response, const std::string& platform,
                        int64_t now_ms) {
  if (!response.ok()) return NoAnswer(response.status(), platform);
  const auto& r = *response;
  if (r.status >= 200 && r.status < 300) {
    rapidjson::Document d;
    d.Parse(r.body.c_str(), r.body.size());
    const std::string id = !d.HasParseError() ? Member(d, "id") : "";
    if (id.empty()) return Uncertain(platform, "HTTP " + std::to_string(r.status) + " tanpa id balasan");
    return {Verdict::Kind::kDelivered, id, std::nullopt, ""};
  }
  if ((r.status >= 500 && !RefusedBeforeProcessing(r.status)) || r.status == 408) {
    return Uncertain(platform, "HTTP " + std::to_string(r.status));
  }
  // The same classification the connectors use for reads: backoff or a person's attention.
  auto out = connectors::GraphFailure(r.status, r.body, platform, now_ms, r.Header("x-app-usage"),
                                      r.Header("x-business-use-case-usage"));
  if (out.kind == connectors::PollOutcome::Kind::kBackoff) {
    std::optional<int64_t> after;
    if (out.retry_at) after = std::max<int64_t>(*out.retry_at - now_ms, 1000);
    return Retry(out.operator_message, after);  // GraphFailure always words it for operators
  }
  // The token is read again at every send: once it is fixed, "Kirim ulang" sends this one.
  return Dead(out.operator_message + " Setelah itu balasan ini dapat dikirim ulang (Kirim ulang).");
}

Verdict PlatformReplier::Deliver(const db::OutboxItem& item, int64_t now_ms) {
  rapidjson::Document d;
  d.Parse(item.payload_json.c_str(), item.payload_json.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("target") || !d["target"].IsObject()) {
    return Dead("Isi balasan di outbox rusak (bukan JSON yang dikenal); buat ulang balasannya.");
  }
  const std::string platform = Member(d, "platform"), text = Member(d, "text");
  const auto& t = d["target"];
  const std::string kind = Member(t, "kind"), id = Member(t, "id");
  if (text.empty()) return Dead("Teks balasan kosong.");
  connectors::HttpRequest req;
  req.method = "POST";
  // The token for `key`, or why there is none (in words for Admin Utama).
  auto token_of = [](const PlatformAccount& acc, const std::string& key) -> Result<Secret> {
    if (acc.token_file.empty()) return Status::NotFound("Token belum diatur (" + key + ").");
    auto t = ReadSecretFile(acc.token_file, nullptr);
    if (!t.ok()) return Status::NotFound("Token tidak dapat dibaca (" + key + "): " + t.status().message());
    return t;
  };
  if (kind == "x_reply") {
    auto token = token_of(a_.x, "sources.x.reply_token_file");
    if (!token.ok()) return Dead(token.status().message());
    req.url = Join(a_.x.base_url, "/2/tweets");
    req.headers = {{"Authorization", "Bearer " + token->Reveal()}, {"Content-Type", "application/json"}};
    req.body = XBody(text, id);
    return JudgeXReply(http_->Send(req), now_ms);
  }
  const bool ig = platform == "instagram";
  const PlatformAccount& acc = ig ? a_.instagram : a_.facebook;
  const std::string name = ig ? "Instagram" : "Facebook";
  auto token = token_of(acc, "sources." + platform + ".access_token_file");
  if (!token.ok()) return Dead(token.status().message());
  req.headers = {{"Authorization", "Bearer " + token->Reveal()},
                 {"Content-Type", "application/x-www-form-urlencoded"}};
  req.body = "message=" + connectors::PercentEncode(text);
  if (kind == "fb_comment") {
    req.url = Join(acc.base_url, "/" + connectors::PercentEncode(id) + "/comments");
  } else if (kind == "ig_comment_reply") {
    req.url = Join(acc.base_url, "/" + connectors::PercentEncode(id) + "/replies");
  } else if (kind == "ig_mention") {
    req.url = Join(acc.base_url, "/" + connectors::PercentEncode(acc.account_id) + "/mentions");
    req.body += "&media_id=" + connectors::PercentEncode(Member(t, "media_id"));
    if (!Member(t, "comment_id").empty()) req.body += "&comment_id=" + connectors::PercentEncode(Member(t, "comment_id"));
  } else {
    return Dead("Tujuan balasan tidak dikenal (" + kind + ").");
  }
  return JudgeGraphReply(http_->Send(req), name, now_ms);
}

}  // namespace sambat::replies
