// Open311 has no callback: the pipeline's progress on a complaint is read back with GeoReport
// v2 GET /requests/{service_request_id}.json and turned into the SOP's steps. Polled from the
// hand-off dispatcher's thread, at most once per handoff.status_poll_interval.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/secret.h"
#include "connectors/http/http_transport.h"
#include "db/outbox_store.h"

namespace sambat::handoff {

struct Open311Request {
  std::string status;  // GeoReport: open | closed; servers with extensions say more (in_progress, …)
  std::optional<std::string> status_notes, agency_responsible;
};

// The first request of a GET /requests/{id}.json answer ([{...}]); InvalidArgument otherwise.
Result<Open311Request> ParseOpen311Request(const std::string& body);

// The SOP steps `request` means that `reported` does not have yet, in order, each with its
// note: an agency_responsible (or any later status) → diterima_opd; in_progress,
// action_scheduled, investigating → ditindaklanjuti; closed, fixed, resolved → selesai (its
// status_notes is the answer to the citizen).
std::vector<std::pair<std::string, std::optional<std::string>>> StepsForOpen311(
    const Open311Request& request, const std::vector<std::string>& reported);

class Open311StatusPoller {
 public:
  Open311StatusPoller(db::OutboxStore* store, std::string base_url, Secret api_key, connectors::HttpTransport* http,
                      std::chrono::milliseconds interval)
      : store_(store), base_url_(std::move(base_url)), api_key_(std::move(api_key)), http_(http), interval_(interval) {}

  // When the interval has passed since the last round: reads every open complaint's request
  // and records the steps it shows. The number of steps recorded.
  Result<int> PollIfDue(int64_t now_ms);

 private:
  db::OutboxStore* store_;
  std::string base_url_;
  Secret api_key_;
  connectors::HttpTransport* http_;
  std::chrono::milliseconds interval_;
  int64_t last_round_ = 0;
};

}  // namespace sambat::handoff
