#include "replies/planner.h"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include "replies/composer.h"

namespace sambat::replies {

Result<int> ReplyPlanner::PlanOnce(int64_t now_ms) {
  auto events = store_->UnansweredReplyEvents(now_ms - config_.max_age.count(), 200);
  if (!events.ok()) return events.status();
  int added = 0;
  for (const auto& e : *events) {
    const db::NewReply reply = ComposeReply(e, config_, opd_name_);
    SAMBAT_RETURN_IF_ERROR(store_->AddReply(reply, now_ms));
    ++added;
    if (reply.status == "dead") {
      spdlog::warn("reply: draft {} ({}) cannot be answered on {}: {}", e.draft_id, e.template_name, e.platform,
                   reply.error.value_or(""));
    } else {
      spdlog::info("reply: draft {} {} reply on {} {}", e.draft_id, e.template_name, e.platform,
                   reply.status == "review" ? "waits for Admin Utama" : "queued");
    }
  }
  return added;
}

std::optional<int64_t> ReplyPlanner::Hold(const db::OutboxItem& item, int64_t now_ms) {
  rapidjson::Document d;
  d.Parse(item.payload_json.c_str(), item.payload_json.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("platform") || !d["platform"].IsString()) return std::nullopt;
  constexpr int64_t kHour = 3600'000;
  auto sent = store_->RepliesDeliveredSince(d["platform"].GetString(), now_ms - kHour);
  if (!sent.ok() || *sent < config_.per_hour) return std::nullopt;
  spdlog::info("reply: {} had {} replies in the last hour (limit {}); draft {} waits", d["platform"].GetString(),
               *sent, config_.per_hour, item.draft_id);
  return now_ms + 5 * 60'000;
}

}  // namespace sambat::replies
