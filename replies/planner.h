// The reply planner: finds events the citizen has not heard about (ReplyStore), composes a
// reply for each, and keeps each platform under the configured replies per hour. The reply
// dispatcher calls it at the start of every pass and before every send.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "config/config.h"
#include "db/outbox_store.h"
#include "db/reply_store.h"

namespace sambat::replies {

class ReplyPlanner {
 public:
  ReplyPlanner(db::ReplyStore* store, config::RepliesConfig config,
               std::function<std::string(const std::string&)> opd_name)
      : store_(store), config_(std::move(config)), opd_name_(std::move(opd_name)) {}

  // Adds a reply for every event since now − replies.max_age that has none; how many.
  Result<int> PlanOnce(int64_t now_ms);

  // nullopt when `item` may be sent now; otherwise when to look again (the platform has had
  // replies.per_hour replies in the last hour).
  std::optional<int64_t> Hold(const db::OutboxItem& item, int64_t now_ms);

 private:
  db::ReplyStore* store_;
  config::RepliesConfig config_;
  std::function<std::string(const std::string&)> opd_name_;
};

}  // namespace sambat::replies
