// QueueStore: what Admin Utama's queue reads and decides. Separate from Store (capture) so
// that the web layer sees only what it needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "db/outbox_store.h"
#include "db/records.h"

namespace sambat::db {

struct DraftQuery {
  std::string status = "pending";  // empty = every status
  std::string kanal = {}, opd = {}, kecamatan = {};
  std::string text = {};           // full-text search over pesan, nama, alamat, desa, kecamatan
  int limit = 50;
  // Keyset paging: drafts strictly after (created_at, id) in queue order.
  std::optional<int64_t> after_created_at = {}, after_id = {};
};

struct PostView {
  std::string platform, platform_id, kind;
  std::optional<std::string> author_id, author_handle, author_name, url;
  std::string text;
  std::optional<int64_t> created_at;
};

struct AuditView {
  int64_t at = 0;
  std::string actor, action;
  std::optional<std::string> before_json, after_json, reason;
};

struct DraftDetail {
  DraftView draft;
  bool nama_from_profile = false;
  std::string lampiran_json = "[]";
  std::optional<std::string> decided_by, decision_reason;
  std::optional<int64_t> decided_at, duplicate_of;
  PostView post;
  std::optional<ClassificationRecord> classification;
  std::vector<DraftView> group;  // the other drafts of its near-duplicate group
  std::vector<AuditView> audit;  // oldest first
  std::optional<OutboxItem> handoff;       // the latest delivery to the pipeline, if confirmed
  std::vector<OutboxItem> replies;         // answers to the citizen, oldest first
  std::vector<DispositionStep> steps;      // the pipeline's reports, oldest first
};

// An edit of the fields Admin Utama may change. A field left unset is not touched; set to
// nullopt inside, it is cleared (pesan cannot be cleared).
struct DraftEdit {
  std::optional<std::optional<std::string>> nama = {}, alamat = {}, opd = {}, kategori = {}, kecamatan = {}, desa = {};
  std::optional<std::string> pesan = {};
  bool empty() const { return !nama && !alamat && !opd && !kategori && !kecamatan && !desa && !pesan; }
};

enum class Decision { kConfirm, kReturn, kReject, kDuplicate };

struct DecisionRequest {
  int64_t draft_id = 0;
  int64_t version = 0;  // the version the admin saw
  Decision decision = Decision::kConfirm;
  DraftEdit edit = {};  // applied before the completeness check (confirm only)
  std::string reason = {};
  std::optional<int64_t> duplicate_of = {};
  std::string actor = {};
};

struct QueueCounters {
  int64_t pending = 0, overdue = 0, confirmed_today = 0;
};

struct RuleQuality {
  std::string rule_id, kind;
  int64_t drafts = 0, confirmed = 0, rejected = 0, returned = 0, duplicate = 0, pending = 0;
};

// A post typed in by Admin Utama (the SOP's manual input), already classified by the caller.
struct ManualEntry {
  IngestItem item;
  std::string actor;
};

class QueueStore {
 public:
  virtual ~QueueStore() = default;

  // Queue order: oldest first, ties by id.
  virtual Result<std::vector<DraftView>> QueryDrafts(const DraftQuery& query) = 0;
  // NotFound when there is no such draft.
  virtual Result<DraftDetail> GetDraft(int64_t id) = 0;

  // Errors, with messages in Bahasa Indonesia for the operator:
  //   NotFound; Aborted when `version` is not the current one (someone else acted first);
  //   FailedPrecondition when the draft was already decided; InvalidArgument for bad values
  //   (an empty pesan, a confirmation missing nama/alamat/pesan/OPD, a duplicate of itself or
  //   of an unknown draft). Every change is audited in the same transaction; a confirmation
  //   also writes the hand-off outbox row there.
  virtual Status EditDraft(int64_t id, int64_t version, const DraftEdit& edit, const std::string& actor) = 0;
  virtual Status Decide(const DecisionRequest& request) = 0;

  // Stores a manual entry's post, classification and draft; returns the draft id.
  // AlreadyExists when the same link was entered before.
  virtual Result<int64_t> CreateManualDraft(const ManualEntry& entry) = 0;

  virtual Result<QueueCounters> Counters(int64_t now_ms, int64_t day_start_ms) = 0;
  // Per rule that ever produced a draft: what Admin Utama decided about those drafts.
  virtual Result<std::vector<RuleQuality>> RuleQualities() = 0;
};

}  // namespace sambat::db
