// The JSON API under /api/v1 that the queue page and other tools use: sessions, drafts
// (list, detail, edit, decisions, manual entry), counters, rule quality, reference lists.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/sop_clock.h"
#include "db/outbox_store.h"
#include "db/queue_store.h"
#include "db/reply_store.h"
#include "db/recap_store.h"
#include "db/store.h"
#include "web/auth.h"

namespace sambat::web {

// What the rules know, for pick lists and validation: OPD codes, kecamatan, kategori.
struct QueueCatalog {
  std::vector<std::pair<std::string, std::string>> opd;  // code, name
  std::vector<std::string> kecamatan, kategori;
};

// A post Admin Utama saw somewhere and typed in.
struct ManualPost {
  std::string text, kanal;
  std::optional<std::string> url = {}, nama = {}, alamat = {};
  std::string actor = {};
};

struct QueueApiDeps {
  db::QueueStore* queue = nullptr;
  db::Store* store = nullptr;  // sources' health
  Authenticator* auth = nullptr;
  const Clock* clock = nullptr;
  std::function<std::shared_ptr<const QueueCatalog>()> catalog;
  // Classifies and stores a manual post; returns the new draft's id. The daemon provides it.
  std::function<Result<int64_t>(const ManualPost&)> manual_entry;
  db::OutboxStore* outbox = nullptr;      // hand-off deliveries and the pipeline's reports
  std::function<void()> on_confirmed = {};  // wakes the hand-off dispatcher
  SopLimits sop_limits = {};                // sla.* from the configuration
  // Replies to citizens: replies.mode, the store, and the check of a text Admin Utama edited
  // (an Indonesian message when it may not be sent: personal data, too long for the platform).
  std::string replies_mode = "off";
  db::ReplyStore* replies = nullptr;
  std::function<std::optional<std::string>(const db::OutboxItem&, const std::string&)> reply_text_problem = {};
  std::function<void()> on_reply_approved = {};  // wakes the reply dispatcher
  db::RecapStore* recap = nullptr;          // the monthly recap; null: 404
};

class QueueApi {
 public:
  explicit QueueApi(QueueApiDeps deps) : d_(std::move(deps)) {}

  // REQUIRES: path starts with /api/v1/.
  Response Handle(const Request& req, std::string_view path, const std::string& remote_addr);

 private:
  Response Session(const Request& req, const std::string& remote_addr);
  Response Drafts(const Request& req, const Principal& who);
  Response ListDrafts(const Request& req);
  Response CreateDraft(const Request& req, const Principal& who);
  Response Draft(const Request& req, const Principal& who, int64_t id, std::string_view action);
  Response DraftDetailResponse(const Request& req, int64_t id, http::status status = http::status::ok);
  Response Stats(const Request& req);
  Response Meta(const Request& req);
  Response RuleQuality(const Request& req);
  Response DispositionStatus(const Request& req, const Principal& who, std::string_view rest);
  Response Outbox(const Request& req, const Principal& who, std::string_view rest);
  Response Replies(const Request& req, const Principal& who, std::string_view rest);  // replies_api.cpp
  // recap_api.cpp; `format` is json, csv or xlsx.
  Response Recap(const Request& req, std::string_view format);

  QueueApiDeps d_;
};

// ApiError for a store failure: NotFound 404, Aborted/FailedPrecondition 409, InvalidArgument
// 422, AlreadyExists 409, anything else 503 (logged).
ApiError FromStatus(const Status& s);

}  // namespace sambat::web
