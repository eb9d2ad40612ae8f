// Replies to citizens inside the daemon: the planner, the platform replier and their
// dispatcher thread, built from the configuration.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "config/config.h"
#include "connectors/http/curl_transport.h"
#include "db/queue_store.h"
#include "db/sqlite_store.h"
#include "handoff/dispatcher.h"
#include "replies/planner.h"
#include "replies/platform_replier.h"

namespace sambat::daemon {

class ReplyService {
 public:
  // Abandons replies a killed process left half-sent, then prepares the dispatcher; call
  // Start() to run it. `opd_name` gives an OPD's name for its code.
  static std::unique_ptr<ReplyService> Make(const config::Config& cfg, db::SqliteStore* store, const Clock* clock,
                                            std::function<std::string(const std::string&)> opd_name);
  void Start() { dispatcher_->Start(); }
  void Wake() { dispatcher_->Wake(); }
  void Stop() { dispatcher_->Stop(); }

  ReplyService() = default;  // use Make()

 private:
  std::unique_ptr<connectors::CurlTransport> http_;
  std::unique_ptr<replies::PlatformReplier> replier_;
  std::unique_ptr<replies::ReplyPlanner> planner_;
  std::unique_ptr<handoff::Dispatcher> dispatcher_;
};

// Why a reply text Admin Utama edited may not be sent (personal data, too long for the
// platform), in Indonesian; nullopt when it may.
std::optional<std::string> ReplyTextProblem(db::QueueStore* queue, const config::RepliesConfig& cfg,
                                            const db::OutboxItem& item, const std::string& text);

}  // namespace sambat::daemon
