// Plain records exchanged with the Store. No SQL here: these are what callers fill in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sambat::db {

struct PostRecord {
  std::string platform;       // x | facebook | instagram | manual
  std::string platform_id;
  std::string kind = "post";  // post | comment | reply | mention | tag
  std::string endpoint;
  std::optional<std::string> author_id, author_handle, author_name;
  std::string text;
  std::optional<std::string> url;
  std::optional<int64_t> created_at;   // Unix ms, by the platform
  std::string media_json = "[]";
  std::optional<std::string> parent_platform_id;
  std::optional<std::string> raw_json;
};

struct ClassificationRecord {
  std::string rules_version;
  bool is_complaint = false;
  double score = 0, threshold = 0;
  std::optional<std::string> kategori;
  std::string opd_json = "[]";
  std::string rules_json = "[]";
  std::optional<std::string> location_json;
};

struct DraftRecord {
  std::optional<std::string> nama;
  bool nama_from_profile = false;
  std::optional<std::string> alamat;
  std::string pesan;
  std::string kanal;
  std::optional<std::string> url;
  std::string lampiran_json = "[]";
  std::optional<std::string> kategori;
  std::string opd_candidates_json = "[]";
  std::optional<std::string> opd;
  std::optional<std::string> kecamatan, desa;
  std::string missing_fields_json = "[]";
  std::optional<int64_t> simhash;
  int64_t sla_due_at = 0;   // Unix ms; capture time + the SOP's 15 minutes
};

struct IngestItem {
  PostRecord post;
  std::optional<ClassificationRecord> classification;
  std::optional<DraftRecord> draft;  // complaints only
};

struct CursorState {
  std::string source, endpoint;
  std::optional<std::string> cursor;
  std::optional<int64_t> rate_limit_remaining, rate_limit_reset_at, paused_until;
  std::optional<std::string> pause_reason;
  std::optional<int64_t> last_success_at;
  std::optional<std::string> last_error;
};

// What one poll of one endpoint produced. Posts, their classifications and drafts and the
// advanced cursor are stored together or not at all.
struct IngestBatch {
  std::vector<IngestItem> items;
  std::optional<CursorState> cursor;
};

struct IngestStats {
  int posts_inserted = 0;
  int posts_already_known = 0;
  int posts_of_erased_authors = 0;  // refused: their author asked to be erased
  int drafts_created = 0;
};

// A draft as the queue and `queue list` show it.
struct DraftView {
  int64_t id = 0;
  std::string status, kanal, platform, platform_id;
  std::optional<std::string> nama, alamat;
  std::string pesan;
  std::string opd_candidates_json;
  std::optional<std::string> opd, kategori, kecamatan, desa, url;
  std::string missing_fields_json;
  int64_t created_at = 0, sla_due_at = 0;
  std::optional<int64_t> duplicate_group;
  int64_t version = 0;
  bool returned_by_opd = false;  // sent back by an Admin OPD: needs another look
};

struct DraftFilter {
  std::string status;  // empty = all
  int limit = 1000;
};

struct WebhookEvent {
  int64_t id = 0;
  std::string source, body;
};

struct UserRecord {
  int64_t id = 0;
  std::string username, role;
  bool disabled = false;
  int64_t created_at = 0;
};

struct AuditEntry {
  std::string actor, action, entity;
  std::optional<std::string> entity_id = {};
  std::optional<std::string> before_json = {};
  std::optional<std::string> after_json = {};
  std::optional<std::string> reason = {};
};

}  // namespace sambat::db
