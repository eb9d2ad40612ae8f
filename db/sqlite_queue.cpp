// SqliteStore's QueueStore part: the queue's reads and Admin Utama's decisions.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>

#include "db/draft_fields.h"
#include "db/draft_row.h"
#include "db/outbox_row.h"
#include "db/sqlite_store.h"

namespace sambat::db {

// The editable fields of one draft, as stored, with what decides whether it may change.
struct EditableDraft {
  std::optional<std::string> nama, alamat, pesan, opd, kategori, kecamatan, desa;
  std::string status;
  int64_t version = 0;
  std::optional<std::string> decided_by;
};

namespace {

using Field = std::pair<const char*, std::optional<std::string>>;

// {"key":"value"|null, ...} for the audit log's before/after.
std::string FieldsJson(const std::vector<Field>& fields) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartObject();
  for (const auto& [key, value] : fields) {
    w.Key(key);
    if (value)
      w.String(value->data(), static_cast<rapidjson::SizeType>(value->size()));
    else
      w.Null();
  }
  w.EndObject();
  return b.GetString();
}


// Applies `edit` to `e`; the fields that really changed go to before/after.
void Apply(const DraftEdit& edit, EditableDraft* e, std::vector<Field>* before, std::vector<Field>* after) {
  auto set = [&](const char* key, std::optional<std::string>* field, const std::optional<std::string>& value) {
    if (*field == value) return;
    before->emplace_back(key, *field);
    after->emplace_back(key, value);
    *field = value;
  };
  if (edit.nama) set("nama", &e->nama, *edit.nama);
  if (edit.alamat) set("alamat", &e->alamat, *edit.alamat);
  if (edit.pesan) set("pesan", &e->pesan, *edit.pesan);
  if (edit.opd) set("opd", &e->opd, *edit.opd);
  if (edit.kategori) set("kategori", &e->kategori, *edit.kategori);
  if (edit.kecamatan) set("kecamatan", &e->kecamatan, *edit.kecamatan);
  if (edit.desa) set("desa", &e->desa, *edit.desa);
}

const char* StatusWord(const std::string& status) {
  if (status == "confirmed") return "dikonfirmasi";
  if (status == "returned") return "dikembalikan ke pemohon";
  if (status == "rejected") return "ditolak";
  if (status == "duplicate") return "ditandai duplikat";
  return "menunggu";
}

// What a decision is called in the audit log, and the status it leaves the draft in.
struct DecisionNames {
  const char* action;
  const char* status;
};

DecisionNames NamesOf(Decision d) {
  switch (d) {
    case Decision::kConfirm: return {"confirm", "confirmed"};
    case Decision::kReturn: return {"return", "returned"};
    case Decision::kReject: return {"reject", "rejected"};
    case Decision::kDuplicate: return {"duplicate", "duplicate"};
  }
  return {"?", "?"};
}

// An FTS5 query that matches every word as a prefix, whatever the operator typed: each word
// is quoted, so FTS syntax in the search box is just text.
std::string FtsQuery(const std::string& text) {
  std::string out;
  size_t i = 0;
  int words = 0;
  while (i < text.size() && words < 12) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    if (j > i) {
      std::string word;
      for (size_t k = i; k < j; ++k) {
        if (text[k] == '"') word += '"';
        word += text[k];
      }
      if (!out.empty()) out += ' ';
      out += '"' + word + "\"*";
      ++words;
    }
    i = j;
  }
  return out;
}

}  // namespace

Result<std::vector<DraftView>> SqliteStore::QueryDrafts(const DraftQuery& q) {
  // Only the filters given are in the SQL, so the planner can use the matching index;
  // each shape is prepared once and cached by the connection.
  std::string sql =
      std::string("SELECT ") + kDraftViewColumns + " FROM drafts d JOIN posts p ON p.id = d.post_id WHERE 1";
  std::vector<std::string> text_args;
  auto filter = [&](const std::string& value, const char* column) {
    if (value.empty()) return;
    text_args.push_back(value);
    sql += std::string(" AND ") + column + " = ?" + std::to_string(text_args.size());
  };
  filter(q.status, "d.status");
  filter(q.kanal, "d.kanal");
  filter(q.opd, "d.opd");
  filter(q.kecamatan, "d.kecamatan");
  const std::string fts = FtsQuery(q.text);
  if (!fts.empty()) {
    text_args.push_back(fts);
    sql +=
        " AND d.id IN (SELECT rowid FROM drafts_fts WHERE drafts_fts MATCH ?" + std::to_string(text_args.size()) + ")";
  }
  const int n = static_cast<int>(text_args.size());
  if (q.after_created_at && q.after_id) {
    sql += " AND (d.created_at, d.id) > (?" + std::to_string(n + 1) + ", ?" + std::to_string(n + 2) + ")";
  }
  sql += " ORDER BY d.created_at, d.id LIMIT ?" + std::to_string(n + 3);

  return Read([&](Connection& conn) -> Result<std::vector<DraftView>> {
    auto st = conn.Prepare(sql);
    if (!st.ok()) return st.status();
    Statement& s = **st;
    for (int i = 0; i < n; ++i) s.Bind(i + 1, text_args[i]);
    if (q.after_created_at && q.after_id) s.Bind(n + 1, *q.after_created_at).Bind(n + 2, *q.after_id);
    s.Bind(n + 3, static_cast<int64_t>(q.limit));
    std::vector<DraftView> out;
    SAMBAT_RETURN_IF_ERROR(s.ForEachRow([&](const Statement& row) { out.push_back(ReadDraftView(row)); }));
    return out;
  });
}

Result<DraftDetail> SqliteStore::GetDraft(int64_t id) {
  return Read([&](Connection& conn) -> Result<DraftDetail> {
    DraftDetail out;
    {
      auto st = conn.Prepare(
          std::string("SELECT ") + kDraftViewColumns +
          ", d.nama_from_profile, d.lampiran_json, d.decided_by, d.decision_reason, d.decided_at,"
          " d.duplicate_of, p.kind, p.author_id, p.author_handle, p.author_name, p.url, p.text, p.created_at,"
          " c.post_id, c.rules_version, c.is_complaint, c.score, c.threshold, c.kategori, c.opd_json, c.rules_json,"
          " c.location_json"
          " FROM drafts d JOIN posts p ON p.id = d.post_id LEFT JOIN classifications c ON c.post_id = d.post_id"
          " WHERE d.id = ?1");
      if (!st.ok()) return st.status();
      (*st)->Bind(1, id);
      auto found = (*st)->FirstRow([&](const Statement& s) {
        out.draft = ReadDraftView(s);
        int c = kDraftViewColumnCount;
        out.nama_from_profile = s.Int(c) != 0;
        out.lampiran_json = s.Text(c + 1);
        out.decided_by = s.OptText(c + 2);
        out.decision_reason = s.OptText(c + 3);
        if (!s.IsNull(c + 4)) out.decided_at = s.Int(c + 4);
        if (!s.IsNull(c + 5)) out.duplicate_of = s.Int(c + 5);
        out.post.platform = out.draft.platform;
        out.post.platform_id = out.draft.platform_id;
        out.post.kind = s.Text(c + 6);
        out.post.author_id = s.OptText(c + 7);
        out.post.author_handle = s.OptText(c + 8);
        out.post.author_name = s.OptText(c + 9);
        out.post.url = s.OptText(c + 10);
        out.post.text = s.Text(c + 11);
        if (!s.IsNull(c + 12)) out.post.created_at = s.Int(c + 12);
        if (!s.IsNull(c + 13)) {
          ClassificationRecord r;
          r.rules_version = s.Text(c + 14);
          r.is_complaint = s.Int(c + 15) != 0;
          r.score = s.Double(c + 16);
          r.threshold = s.Double(c + 17);
          r.kategori = s.OptText(c + 18);
          r.opd_json = s.Text(c + 19);
          r.rules_json = s.Text(c + 20);
          r.location_json = s.OptText(c + 21);
          out.classification = std::move(r);
        }
      });
      if (!found.ok()) return found.status();
      if (!*found) return Status::NotFound("Draf #" + std::to_string(id) + " tidak ditemukan.");
    }
    if (out.draft.duplicate_group) {
      auto st = conn.Prepare(std::string("SELECT ") + kDraftViewColumns +
                             " FROM drafts d JOIN posts p ON p.id = d.post_id"
                             " WHERE d.duplicate_group = ?1 AND d.id != ?2 ORDER BY d.created_at, d.id LIMIT 50");
      if (!st.ok()) return st.status();
      (*st)->Bind(1, *out.draft.duplicate_group).Bind(2, id);
      SAMBAT_RETURN_IF_ERROR((*st)->ForEachRow([&](const Statement& s) { out.group.push_back(ReadDraftView(s)); }));
    }
    {
      auto st = conn.Prepare(
          "SELECT at, actor, action, before_json, after_json, reason FROM audit_log"
          " WHERE entity = 'draft' AND entity_id = ?1 ORDER BY id");
      if (!st.ok()) return st.status();
      (*st)->Bind(1, std::to_string(id));
      SAMBAT_RETURN_IF_ERROR((*st)->ForEachRow([&](const Statement& s) {
        out.audit.push_back({s.Int(0), s.Text(1), s.Text(2), s.OptText(3), s.OptText(4), s.OptText(5)});
      }));
    }
    {
      auto st = conn.Prepare(std::string("SELECT ") + kOutboxColumns +
                             " FROM outbox WHERE draft_id = ?1 AND kind = 'handoff' ORDER BY id DESC LIMIT 1");
      if (!st.ok()) return st.status();
      (*st)->Bind(1, id);
      auto found = (*st)->FirstRow([&](const Statement& s) { out.handoff = ReadOutbox(s); });
      if (!found.ok()) return found.status();
    }
    {
      auto st = conn.Prepare(std::string("SELECT ") + kOutboxColumns +
                             " FROM outbox WHERE draft_id = ?1 AND kind = 'reply' ORDER BY id");
      if (!st.ok()) return st.status();
      (*st)->Bind(1, id);
      SAMBAT_RETURN_IF_ERROR((*st)->ForEachRow([&](const Statement& s) { out.replies.push_back(ReadOutbox(s)); }));
    }
    {
      auto st = conn.Prepare("SELECT step, at, note FROM disposition_steps WHERE draft_id = ?1 ORDER BY at, id");
      if (!st.ok()) return st.status();
      (*st)->Bind(1, id);
      SAMBAT_RETURN_IF_ERROR((*st)->ForEachRow([&](const Statement& s) {
        out.steps.push_back({.draft_id = id, .step = s.Text(0), .at = s.Int(1), .note = s.OptText(2)});
      }));
    }
    return out;
  });
}

Result<EditableDraft> SqliteStore::LoadForChange(int64_t id, int64_t version) {
  auto st = conn_.Prepare(
      "SELECT nama, alamat, pesan, opd, kategori, kecamatan, desa, status, version, decided_by FROM drafts"
      " WHERE id = ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, id);
  EditableDraft e;
  auto found = (*st)->FirstRow([&](const Statement& s) {
    e.nama = s.OptText(0);
    e.alamat = s.OptText(1);
    e.pesan = s.OptText(2);
    e.opd = s.OptText(3);
    e.kategori = s.OptText(4);
    e.kecamatan = s.OptText(5);
    e.desa = s.OptText(6);
    e.status = s.Text(7);
    e.version = s.Int(8);
    e.decided_by = s.OptText(9);
  });
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("Draf #" + std::to_string(id) + " tidak ditemukan.");
  if (e.status != "pending") {
    return Status::FailedPrecondition("Draf #" + std::to_string(id) + " sudah " + StatusWord(e.status) +
                                      (e.decided_by ? " oleh " + *e.decided_by : std::string()) +
                                      "; tidak ada yang diubah.");
  }
  if (e.version != version) {
    return Status::Aborted("Draf #" + std::to_string(id) +
                           " baru saja diubah oleh pengguna lain. Muat ulang untuk melihat perubahan terbaru;"
                           " isian Anda tidak disimpan.");
  }
  return e;
}

Status SqliteStore::WriteDraftFields(int64_t id, const EditableDraft& e, int64_t now) {
  auto st = conn_.Prepare(
      "UPDATE drafts SET nama = ?2, alamat = ?3, pesan = ?4, opd = ?5, kategori = ?6, kecamatan = ?7, desa = ?8,"
      " missing_fields_json = ?9, updated_at = ?10, version = version + 1 WHERE id = ?1");
  if (!st.ok()) return st.status();
  (*st)
      ->Bind(1, id)
      .Bind(2, e.nama)
      .Bind(3, e.alamat)
      .Bind(4, e.pesan.value_or(""))
      .Bind(5, e.opd)
      .Bind(6, e.kategori)
      .Bind(7, e.kecamatan)
      .Bind(8, e.desa)
      .Bind(9, MissingFieldsJson(e.nama, e.alamat, e.pesan))
      .Bind(10, now);
  return (*st)->Run();
}

Status SqliteStore::EditDraft(int64_t id, int64_t version, const DraftEdit& edit, const std::string& actor) {
  if (edit.pesan && IsBlank(*edit.pesan)) return Status::InvalidArgument("Pesan tidak boleh kosong.");
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto locked = LoadForChange(id, version);
  if (!locked.ok()) return locked.status();
  EditableDraft e = std::move(*locked);
  std::vector<Field> before, after;
  Apply(edit, &e, &before, &after);
  if (before.empty()) return Status::Ok();  // nothing changed: no new version, no audit line
  SAMBAT_RETURN_IF_ERROR(WriteDraftFields(id, e, now));
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked({.actor = actor,
                                            .action = "edit",
                                            .entity = "draft",
                                            .entity_id = std::to_string(id),
                                            .before_json = FieldsJson(before),
                                            .after_json = FieldsJson(after)},
                                           now));
  return tx.Commit();
}

Status SqliteStore::Decide(const DecisionRequest& r) {
  if (r.decision != Decision::kConfirm && r.decision != Decision::kDuplicate && IsBlank(r.reason)) {
    return Status::InvalidArgument("Alasan wajib diisi.");
  }
  if (r.decision == Decision::kDuplicate && (!r.duplicate_of || *r.duplicate_of == r.draft_id)) {
    return Status::InvalidArgument("Pilih draf lain sebagai aslinya (bukan draf ini sendiri).");
  }
  if (r.edit.pesan && IsBlank(*r.edit.pesan)) return Status::InvalidArgument("Pesan tidak boleh kosong.");
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto locked = LoadForChange(r.draft_id, r.version);
  if (!locked.ok()) return locked.status();
  EditableDraft e = std::move(*locked);
  std::vector<Field> before, after;
  if (r.decision == Decision::kConfirm) {
    Apply(r.edit, &e, &before, &after);
    std::string missing;
    auto need = [&](const char* name, const std::optional<std::string>& v) {
      if (!IsBlank(v)) return;
      if (!missing.empty()) missing += ", ";
      missing += name;
    };
    need("nama", e.nama);
    need("alamat", e.alamat);
    need("pesan", e.pesan);
    need("OPD", e.opd);
    if (!missing.empty()) {
      return Status::InvalidArgument("Data belum lengkap: " + missing +
                                     ". Lengkapi dulu, atau pilih Kembalikan ke Pemohon.");
    }
    if (!before.empty()) SAMBAT_RETURN_IF_ERROR(WriteDraftFields(r.draft_id, e, now));
  }
  if (r.decision == Decision::kDuplicate) {
    auto of = conn_.Prepare("SELECT 1 FROM drafts WHERE id = ?1");
    if (!of.ok()) return of.status();
    (*of)->Bind(1, *r.duplicate_of);
    const bool exists = (*of)->Step();
    Status err = (*of)->status();
    (*of)->Reset();
    SAMBAT_RETURN_IF_ERROR(err);
    if (!exists) return Status::InvalidArgument("Draf #" + std::to_string(*r.duplicate_of) + " tidak ada.");
  }
  const DecisionNames names = NamesOf(r.decision);
  const std::string status = names.status;
  const std::optional<std::string> reason = IsBlank(r.reason) ? std::nullopt : std::optional<std::string>(r.reason);
  auto st = conn_.Prepare(
      "UPDATE drafts SET status = ?2, decided_by = ?3, decided_at = ?4, decision_reason = ?5, duplicate_of = ?6,"
      " updated_at = ?4, version = version + 1 WHERE id = ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, r.draft_id).Bind(2, status).Bind(3, r.actor).Bind(4, now).Bind(5, reason);
  if (r.duplicate_of) (*st)->Bind(6, *r.duplicate_of);
  SAMBAT_RETURN_IF_ERROR((*st)->Run());
  before.emplace_back("status", e.status);
  after.emplace_back("status", status);
  if (r.duplicate_of) after.emplace_back("duplikat_dari", std::to_string(*r.duplicate_of));
  if (r.decision == Decision::kConfirm) SAMBAT_RETURN_IF_ERROR(EnqueueHandoff(r.draft_id, now));
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked({.actor = r.actor,
                                            .action = names.action,
                                            .entity = "draft",
                                            .entity_id = std::to_string(r.draft_id),
                                            .before_json = FieldsJson(before),
                                            .after_json = FieldsJson(after),
                                            .reason = reason},
                                           now));
  return tx.Commit();
}

Status SqliteStore::EnqueueHandoff(int64_t draft_id, int64_t now) {
  // The payload is what the draft says at the moment of confirmation (the key names the
  // version: a draft an Admin OPD sent back and confirmed again is a new delivery); the hand-off
  // dispatcher delivers it as it is. json_object keeps the JSON well-formed whatever the text.
  auto st = conn_.Prepare(
      "INSERT INTO outbox (draft_id, kind, idempotency_key, payload_json, next_attempt_at, created_at)"
      " SELECT d.id, 'handoff', 'handoff-draft-' || d.id || '-v' || d.version,"
      " json_object('draft_id', d.id, 'kanal', d.kanal, 'link', d.url, 'nama', d.nama, 'alamat', d.alamat,"
      "  'pesan', d.pesan, 'opd', d.opd, 'kategori', d.kategori, 'kecamatan', d.kecamatan, 'desa', d.desa,"
      "  'lampiran', json(d.lampiran_json), 'waktu_aduan', p.created_at, 'dicatat', d.created_at,"
      "  'dikonfirmasi_oleh', d.decided_by, 'dikonfirmasi_pada', d.decided_at, 'sla_due', d.sla_due_at),"
      " ?2, ?2 FROM drafts d JOIN posts p ON p.id = d.post_id WHERE d.id = ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, draft_id).Bind(2, now);
  return (*st)->Run();
}

Result<int64_t> SqliteStore::CreateManualDraft(const ManualEntry& entry) {
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  IngestStats stats;
  NewDrafts new_drafts;
  SAMBAT_RETURN_IF_ERROR(InsertItem(entry.item, now, &stats, &new_drafts));
  SAMBAT_RETURN_IF_ERROR(IndexForSearch(new_drafts));
  if (stats.posts_already_known > 0) {
    return Status::AlreadyExists("Unggahan ini sudah pernah dimasukkan; cari tautannya di antrean.");
  }
  if (stats.drafts_created == 0) return Status::Internal("manual entry without a draft");
  auto id = conn_.Prepare(
      "SELECT d.id FROM drafts d JOIN posts p ON p.id = d.post_id WHERE p.platform = ?1 AND p.platform_id = ?2");
  if (!id.ok()) return id.status();
  (*id)->Bind(1, entry.item.post.platform).Bind(2, entry.item.post.platform_id);
  if (!(*id)->Step()) return (*id)->status().ok() ? Status::Internal("manual draft vanished") : (*id)->status();
  const int64_t draft_id = (*id)->Int(0);
  (*id)->Reset();
  SAMBAT_RETURN_IF_ERROR(
      AppendAuditLocked({.actor = entry.actor,
                         .action = "manual_entry",
                         .entity = "draft",
                         .entity_id = std::to_string(draft_id),
                         .after_json = FieldsJson({{"url", entry.item.post.url}, {"kanal", entry.item.draft->kanal}})},
                        now));
  SAMBAT_RETURN_IF_ERROR(tx.Commit());
  return draft_id;
}

Result<QueueCounters> SqliteStore::Counters(int64_t now_ms, int64_t day_start_ms) {
  return Read([&](Connection& conn) -> Result<QueueCounters> {
    auto st = conn.Prepare(
        "SELECT (SELECT count(*) FROM drafts WHERE status = 'pending'),"
        " (SELECT count(*) FROM drafts WHERE status = 'pending' AND sla_due_at < ?1),"
        " (SELECT count(*) FROM drafts WHERE status = 'confirmed' AND decided_at >= ?2)");
    if (!st.ok()) return st.status();
    Statement& s = **st;
    s.Bind(1, now_ms).Bind(2, day_start_ms);
    QueueCounters c;
    auto found = s.FirstRow([&](const Statement& row) { c = {row.Int(0), row.Int(1), row.Int(2)}; });
    if (!found.ok()) return found.status();
    return c;
  });
}

Result<std::vector<RuleQuality>> SqliteStore::RuleQualities() {
  // A scan of every draft's rules: on a read connection, so capture is not held up.
  return Read([&](Connection& conn) -> Result<std::vector<RuleQuality>> {
    auto st = conn.Prepare(
        "SELECT json_extract(r.value, '$.id') AS rule, json_extract(r.value, '$.kind'), count(*),"
        " sum(d.status = 'confirmed'), sum(d.status = 'rejected'), sum(d.status = 'returned'),"
        " sum(d.status = 'duplicate'), sum(d.status = 'pending')"
        " FROM drafts d JOIN classifications c ON c.post_id = d.post_id, json_each(c.rules_json) r"
        " WHERE json_valid(c.rules_json) GROUP BY rule ORDER BY rule");
    if (!st.ok()) return st.status();
    std::vector<RuleQuality> out;
    SAMBAT_RETURN_IF_ERROR((*st)->ForEachRow([&](const Statement& s) {
      if (s.IsNull(0)) return;
      out.push_back(
          {s.Text(0), s.IsNull(1) ? "" : s.Text(1), s.Int(2), s.Int(3), s.Int(4), s.Int(5), s.Int(6), s.Int(7)});
    }));
    return out;
  });
}

}  // namespace sambat::db
