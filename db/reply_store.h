// ReplyStore: answers to the citizen on the channel they used. A reply is an outbox row of
// kind "reply" whose idempotency key names the event it answers, so each event gets at most
// one reply however often the planner looks and whatever restarts happen in between.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace sambat::db {

// Something the citizen should hear about and has not yet: the pipeline took the complaint
// (tanda_terima), Admin Utama returned it for missing data (kelengkapan), the OPD finished it
// (jawaban_akhir).
struct ReplyEvent {
  std::string template_name;  // tanda_terima | kelengkapan | jawaban_akhir
  std::string key;            // the reply's idempotency key
  int64_t draft_id = 0;
  int64_t at = 0;  // when it happened
  // The post to answer.
  std::string platform, post_kind, post_id;
  std::optional<std::string> parent_id, post_url;
  // What the templates may say, and what they must not (nama, alamat: checked, never sent).
  std::optional<std::string> ticket, opd, jawaban, reason, nama, alamat;
  std::string missing_fields_json = "[]";
};

struct NewReply {
  std::string key = {};
  int64_t draft_id = 0;
  std::string status = {};        // review | pending | dead (cannot be sent: says why)
  std::string payload_json = {};  // {platform, template, text, target{...}, post_url}
  std::optional<std::string> error = {};
};

class ReplyStore {
 public:
  virtual ~ReplyStore() = default;

  // Events since `since_ms` without a reply row, oldest first. Manual entries have no channel
  // to answer on and are left out.
  virtual Result<std::vector<ReplyEvent>> UnansweredReplyEvents(int64_t since_ms, int limit) = 0;
  // Adds the reply unless its key exists (then nothing happens). Audited.
  virtual Status AddReply(const NewReply& reply, int64_t now_ms) = 0;
  // Replies left "sending" by a process that died mid-call become dead letters with `why`:
  // platforms have no idempotency key, so sending again could post the same reply twice.
  virtual Result<int> AbandonInterruptedReplies(const std::string& why) = 0;
  // Replies delivered on `platform` since `since_ms`, for the write limit.
  virtual Result<int64_t> RepliesDeliveredSince(const std::string& platform, int64_t since_ms) = 0;
  // review → pending, with the text Admin Utama may have edited. Audited with the text before
  // and after. NotFound when `id` is not a reply waiting for review.
  virtual Status ApproveReply(int64_t id, const std::optional<std::string>& text, const std::string& actor,
                              int64_t now_ms) = 0;
  // review or dead → discarded: never sent. Audited with the reason.
  virtual Status DiscardReply(int64_t id, const std::string& reason, const std::string& actor, int64_t now_ms) = 0;
};

}  // namespace sambat::db
