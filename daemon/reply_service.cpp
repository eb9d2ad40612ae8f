#include "daemon/reply_service.h"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include "replies/composer.h"
#include "replies/privacy.h"

namespace sambat::daemon {
namespace {

constexpr const char* kInterrupted =
    "Pengiriman balasan terputus karena sambatd berhenti di tengah pengiriman. Periksa di platform apakah balasan "
    "sudah tampil; bila belum, kirim ulang.";

}  // namespace

std::unique_ptr<ReplyService> ReplyService::Make(const config::Config& cfg, db::SqliteStore* store, const Clock* clock,
                                                 std::function<std::string(const std::string&)> opd_name) {
  auto abandoned = store->AbandonInterruptedReplies(kInterrupted);
  if (!abandoned.ok()) {
    spdlog::error("replies: {}", abandoned.status().message());
    return nullptr;
  }
  if (*abandoned > 0) {
    spdlog::warn("replies: {} reply(ies) were being sent when sambatd stopped; kept as dead letters, not resent",
                 *abandoned);
  }
  const auto& s = cfg.sources;
  replies::PlatformAccounts accounts{.x = {s.x.base_url, s.x.reply_token_file, s.x.account_id},
                                     .facebook = {s.facebook.base_url, s.facebook.token_file, s.facebook.account_id},
                                     .instagram = {s.instagram.base_url, s.instagram.token_file, s.instagram.account_id}};
  auto service = std::make_unique<ReplyService>();
  // No cancel flag: a reply in flight at shutdown finishes (10 s at most) instead of being cut
  // off with its fate unknown.
  service->http_ = std::make_unique<connectors::CurlTransport>(connectors::CurlOptions{
      .total_timeout = std::chrono::seconds(10), .proxy = cfg.network.proxy, .user_agent = "sambatd-replies"});
  service->replier_ = std::make_unique<replies::PlatformReplier>(std::move(accounts), service->http_.get());
  service->planner_ = std::make_unique<replies::ReplyPlanner>(store, cfg.replies, std::move(opd_name));
  auto* planner = service->planner_.get();
  service->dispatcher_ = std::make_unique<handoff::Dispatcher>(
      store, service->replier_.get(), clock, handoff::RetryPolicy{},
      handoff::RandomUnit(), handoff::DispatchOptions{.kind = "reply",
                               .idle_poll = std::chrono::seconds(5),
                               .before_pass =
                                   [planner](int64_t now) {
                                     if (auto added = planner->PlanOnce(now); !added.ok()) {
                                       spdlog::error("reply planner: {}", added.status().message());
                                     }
                                   },
                               .hold = [planner](const db::OutboxItem& item, int64_t now) {
                                 return planner->Hold(item, now);
                               }});
  spdlog::info("replies to citizens: mode {}, at most {} per platform per hour", cfg.replies.mode, cfg.replies.per_hour);
  return service;
}

std::optional<std::string> ReplyTextProblem(db::QueueStore* queue, const config::RepliesConfig& cfg,
                                            const db::OutboxItem& item, const std::string& text) {
  rapidjson::Document d;
  d.Parse(item.payload_json.c_str(), item.payload_json.size());
  const std::string platform =
      !d.HasParseError() && d.IsObject() && d.HasMember("platform") && d["platform"].IsString() ? d["platform"].GetString() : "";
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  const size_t max = replies::MaxReplyLength(platform);
  if (chars > max) {
    return "Balasan terlalu panjang untuk " + platform + ": " + std::to_string(chars) + " karakter, paling banyak " +
           std::to_string(max) + ".";
  }
  auto draft = queue->GetDraft(item.draft_id);
  if (!draft.ok()) return "Draf aduan #" + std::to_string(item.draft_id) + " tidak dapat dibaca untuk memeriksa data pribadi; coba lagi.";
  std::vector<std::string> known;
  if (draft->draft.alamat) known.push_back(*draft->draft.alamat);
  if (draft->draft.nama) known.push_back(*draft->draft.nama);
  auto found = replies::PersonalDataFound(text, known, {cfg.whatsapp});
  if (found.empty()) return std::nullopt;
  std::string what;
  for (const auto& f : found) what += (what.empty() ? "" : ", ") + f;
  return "Balasan bersifat publik dan tidak boleh memuat data pribadi (" + what + "). Hapus bagian itu lalu setujui lagi.";
}

}  // namespace sambat::daemon
