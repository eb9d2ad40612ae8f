// SqliteStore's OutboxStore part: delivery bookkeeping and the pipeline's progress reports.
#include "db/outbox_row.h"
#include "db/sqlite_store.h"

namespace sambat::db {
namespace {

Result<std::vector<OutboxItem>> ReadOutboxRows(Statement& st) {
  std::vector<OutboxItem> out;
  SAMBAT_RETURN_IF_ERROR(st.ForEachRow([&](const Statement& s) { out.push_back(ReadOutbox(s)); }));
  return out;
}

// The row an UPDATE … RETURNING draft_id, kind touched: its draft as an audit entity id and
// its kind ("handoff" or "reply", which prefixes the audit action); nullopt if none.
struct Touched {
  std::string draft_id, kind;
};
Result<std::optional<Touched>> ReturnedRow(Statement& st) {
  std::optional<Touched> row;
  auto found = st.FirstRow([&](const Statement& s) { row = Touched{std::to_string(s.Int(0)), s.Text(1)}; });
  if (!found.ok()) return found.status();
  return row;
}

bool KnownStep(const std::string& step) {
  for (const char* s : {"diterima_opd", "dikembalikan_opd", "koordinasi", "ditindaklanjuti", "selesai"}) {
    if (step == s) return true;
  }
  return false;
}

}  // namespace

Result<std::vector<OutboxItem>> SqliteStore::DueOutbox(const std::string& kind, int64_t now_ms, int limit) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare(std::string("SELECT ") + kOutboxColumns +
                          " FROM outbox WHERE kind = ?1 AND ((status = 'pending' AND next_attempt_at <= ?2)"
                          " OR (status = 'sending' AND kind = 'handoff')) ORDER BY next_attempt_at, id LIMIT ?3");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, kind).Bind(2, now_ms).Bind(3, static_cast<int64_t>(limit));
  return ReadOutboxRows(**st);
}

Status SqliteStore::MarkSending(int64_t id, int64_t now_ms) {
  return RunLocked("UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ?2 WHERE id = ?1",
                   id, now_ms);
}

Status SqliteStore::MarkDelivered(int64_t id, const std::optional<std::string>& ref, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  // json_object quotes the sink's ticket text safely for the audit entry.
  auto st = conn_.Prepare(
      "UPDATE outbox SET status = 'delivered', external_ref = ?2, delivered_at = ?3, last_error = NULL WHERE id = ?1"
      " RETURNING draft_id, kind, json_object(CASE kind WHEN 'handoff' THEN 'tiket' ELSE 'id_balasan' END, external_ref)");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, id).Bind(2, ref).Bind(3, now_ms);
  std::optional<std::string> draft_id;
  std::string kind = "handoff", after_json = "{}";
  auto found = (*st)->FirstRow([&](const Statement& s) {
    draft_id = std::to_string(s.Int(0));
    kind = s.Text(1);
    after_json = s.Text(2);
  });
  if (!found.ok()) return found.status();
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked({.actor = "sambatd", .action = kind + "_delivered", .entity = "draft",
                                            .entity_id = draft_id, .after_json = after_json},
                                           now_ms));
  return tx.Commit();
}

Status SqliteStore::MarkRetry(int64_t id, int64_t next_attempt_at, const std::string& error) {
  return RunLocked("UPDATE outbox SET status = 'pending', next_attempt_at = ?2, last_error = ?3 WHERE id = ?1", id,
                   next_attempt_at, error);
}

Status SqliteStore::MarkDead(int64_t id, const std::string& error) {
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto st = conn_.Prepare("UPDATE outbox SET status = 'dead', last_error = ?2 WHERE id = ?1 RETURNING draft_id, kind");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, id).Bind(2, error);
  auto row = ReturnedRow(**st);
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("outbox row " + std::to_string(id) + " not found");
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked({.actor = "sambatd", .action = (*row)->kind + "_dead", .entity = "draft",
                                            .entity_id = (*row)->draft_id, .reason = error},
                                           now));
  return tx.Commit();
}

Status SqliteStore::Resend(int64_t id, const std::string& kind, const std::string& actor, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto st = conn_.Prepare(
      "UPDATE outbox SET status = 'pending', next_attempt_at = ?2 WHERE id = ?1 AND status = 'dead' AND kind = ?3"
      " RETURNING draft_id, kind");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, id).Bind(2, now_ms).Bind(3, kind);
  auto row = ReturnedRow(**st);
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("Kiriman #" + std::to_string(id) + " tidak ada di daftar gagal kirim.");
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked(
      {.actor = actor, .action = (*row)->kind + "_resend", .entity = "draft", .entity_id = (*row)->draft_id}, now_ms));
  return tx.Commit();
}

Result<OutboxCounts> SqliteStore::CountOutbox(const std::string& kind) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare(
      "SELECT sum(status IN ('pending', 'sending', 'review')), sum(status = 'dead'), sum(status = 'delivered'),"
      " sum(status = 'review'), sum(status = 'discarded') FROM outbox WHERE kind = ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, kind);
  OutboxCounts c;
  auto found = (*st)->FirstRow([&](const Statement& s) { c = {s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Int(4)}; });
  if (!found.ok()) return found.status();
  return c;
}

Result<std::vector<OutboxItem>> SqliteStore::ListOutbox(const std::string& kind, const std::string& status, int limit) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare(std::string("SELECT ") + kOutboxColumns +
                          " FROM outbox WHERE kind = ?1 AND status = ?2 ORDER BY id DESC LIMIT ?3");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, kind).Bind(2, status).Bind(3, static_cast<int64_t>(limit));
  return ReadOutboxRows(**st);
}

Result<std::optional<OutboxItem>> SqliteStore::GetOutbox(int64_t id) {
  std::lock_guard lock(mu_);
  auto st = conn_.Prepare(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id = ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, id);
  std::optional<OutboxItem> item;
  auto found = (*st)->FirstRow([&](const Statement& s) { item = ReadOutbox(s); });
  if (!found.ok()) return found.status();
  return item;
}

Status SqliteStore::RecordDispositionStep(const DispositionStep& step) {
  if (!KnownStep(step.step)) {
    return Status::InvalidArgument("Status \"" + step.step +
                                   "\" tidak dikenal. Gunakan diterima_opd, dikembalikan_opd, koordinasi, "
                                   "ditindaklanjuti atau selesai.");
  }
  std::lock_guard lock(mu_);
  const int64_t now = ToUnixMillis(clock_->Now());
  Transaction tx(&conn_);
  SAMBAT_RETURN_IF_ERROR(tx.Begin());
  auto status = conn_.Prepare("SELECT status FROM drafts WHERE id = ?1");
  if (!status.ok()) return status.status();
  (*status)->Bind(1, step.draft_id);
  std::string current;
  auto found = (*status)->FirstRow([&](const Statement& s) { current = s.Text(0); });
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("Draf #" + std::to_string(step.draft_id) + " tidak ditemukan.");
  if (current != "confirmed") {
    return Status::FailedPrecondition("Draf #" + std::to_string(step.draft_id) +
                                      " belum didisposisikan (status " + current + ").");
  }
  auto ins = conn_.Prepare("INSERT INTO disposition_steps (draft_id, step, at, note) VALUES (?1, ?2, ?3, ?4)");
  if (!ins.ok()) return ins.status();
  (*ins)->Bind(1, step.draft_id).Bind(2, step.step).Bind(3, step.at).Bind(4, step.note);
  SAMBAT_RETURN_IF_ERROR((*ins)->Run());
  if (step.step == "dikembalikan_opd") {
    // SOP step 3: the Admin OPD sends it back with a reason; Admin Utama looks again.
    auto back = conn_.Prepare(
        "UPDATE drafts SET status = 'pending', returned_by_opd = 1, decided_by = NULL, decided_at = NULL,"
        " decision_reason = ?2, updated_at = ?3, version = version + 1,"
        " sla_due_at = CASE WHEN ?4 > 0 THEN ?4 ELSE sla_due_at END WHERE id = ?1");
    if (!back.ok()) return back.status();
    (*back)->Bind(1, step.draft_id).Bind(2, step.note).Bind(3, now).Bind(4, step.requeue_sla_due_at);
    SAMBAT_RETURN_IF_ERROR((*back)->Run());
  }
  SAMBAT_RETURN_IF_ERROR(AppendAuditLocked({.actor = step.actor, .action = "disposisi_" + step.step, .entity = "draft",
                                            .entity_id = std::to_string(step.draft_id), .reason = step.note},
                                           now));
  return tx.Commit();
}

Result<std::vector<OpenDisposition>> SqliteStore::OpenDispositions() {
  return Read([&](Connection& conn) -> Result<std::vector<OpenDisposition>> {
    auto st = conn.Prepare(
        "SELECT d.id, d.created_at, d.decided_at, s.step, s.at,"
        " (SELECT h.external_ref FROM outbox h WHERE h.draft_id = d.id AND h.kind = 'handoff'"
        "   AND h.status = 'delivered' ORDER BY h.id DESC LIMIT 1)"
        " FROM drafts d LEFT JOIN disposition_steps s ON s.draft_id = d.id"
        " WHERE d.status = 'confirmed' AND d.decided_at IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM disposition_steps x WHERE x.draft_id = d.id AND x.step = 'selesai')"
        " ORDER BY d.id, s.at");
    if (!st.ok()) return st.status();
    std::vector<OpenDisposition> out;
    SAMBAT_RETURN_IF_ERROR((*st)->ForEachRow([&](const Statement& s) {
      if (out.empty() || out.back().draft_id != s.Int(0)) out.push_back({s.Int(0), s.Int(1), s.Int(2), {}, s.OptText(5)});
      if (!s.IsNull(3)) out.back().reports.emplace_back(s.Text(3), s.Int(4));
    }));
    return out;
  });
}

}  // namespace sambat::db
