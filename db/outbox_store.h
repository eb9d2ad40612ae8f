// OutboxStore: deliveries to the disposition pipeline (written with the confirmation, see
// QueueStore::Decide) and the pipeline's progress reports on each complaint.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace sambat::db {

struct OutboxItem {
  int64_t id = 0, draft_id = 0;
  std::string kind, idempotency_key, payload_json, status;
  int attempts = 0;
  int64_t next_attempt_at = 0, created_at = 0;
  std::optional<std::string> last_error, external_ref;
  std::optional<int64_t> delivered_at;
};

struct OutboxCounts {
  int64_t backlog = 0;  // pending, being sent, or waiting for review
  int64_t dead = 0;
  int64_t delivered = 0;
  int64_t review = 0;     // replies waiting for Admin Utama's approval
  int64_t discarded = 0;  // replies Admin Utama chose not to send
};

// One step of the SOP after confirmation, as the pipeline reports it.
struct DispositionStep {
  int64_t draft_id = 0;
  std::string step;  // diterima_opd | dikembalikan_opd | koordinasi | ditindaklanjuti | selesai
  int64_t at = 0;
  std::optional<std::string> note = {};
  std::string actor = {};
  int64_t requeue_sla_due_at = 0;  // dikembalikan_opd: Admin Utama's new deadline
};

// A confirmed complaint the pipeline has not finished, for the SOP counters.
struct OpenDisposition {
  int64_t draft_id = 0, created_at = 0, confirmed_at = 0;
  std::vector<std::pair<std::string, int64_t>> reports;
  std::optional<std::string> ticket = {};  // the pipeline's id for it (Open311: service_request_id)
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // Rows of `kind` due at `now`: pending with next_attempt_at ≤ now and, for hand-offs, rows
  // left "sending" by a failed mark or a dead process (sent again with the same idempotency
  // key). A reply left "sending" is never picked up again: it has no idempotency key (see
  // ReplyStore::AbandonInterruptedReplies). Oldest first.
  virtual Result<std::vector<OutboxItem>> DueOutbox(const std::string& kind, int64_t now_ms, int limit) = 0;
  // Before the network call: status sending, attempts + 1.
  virtual Status MarkSending(int64_t id, int64_t now_ms) = 0;
  virtual Status MarkDelivered(int64_t id, const std::optional<std::string>& external_ref, int64_t now_ms) = 0;
  virtual Status MarkRetry(int64_t id, int64_t next_attempt_at, const std::string& error) = 0;
  // Audited: a dead letter needs a person.
  virtual Status MarkDead(int64_t id, const std::string& error) = 0;
  // A dead letter of `kind` back to pending, due now (Admin Utama's "Kirim ulang"). NotFound
  // when `id` is not a dead letter of that kind.
  virtual Status Resend(int64_t id, const std::string& kind, const std::string& actor, int64_t now_ms) = 0;
  virtual Result<OutboxCounts> CountOutbox(const std::string& kind) = 0;
  virtual Result<std::vector<OutboxItem>> ListOutbox(const std::string& kind, const std::string& status, int limit) = 0;
  virtual Result<std::optional<OutboxItem>> GetOutbox(int64_t id) = 0;

  // Records a step for a confirmed draft. "dikembalikan_opd" puts the draft back in Admin
  // Utama's queue (pending, marked returned_by_opd). Audited. NotFound for an unknown draft,
  // FailedPrecondition when the draft is not confirmed.
  virtual Status RecordDispositionStep(const DispositionStep& step) = 0;
  // Confirmed drafts without a "selesai" report, with their reports.
  virtual Result<std::vector<OpenDisposition>> OpenDispositions() = 0;
};

}  // namespace sambat::db
