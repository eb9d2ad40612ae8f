#include "web/queue_api.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "web/draft_json.h"

namespace sambat::web {
namespace {

constexpr int64_t kWib = 7 * 3600'000;  // Cilacap's day starts at midnight WIB
constexpr const char* kKanal[] = {"x", "facebook", "instagram", "manual"};
constexpr const char* kStatuses[] = {"pending", "confirmed", "returned", "rejected", "duplicate"};

// Field limits, in bytes: generous for real entries, small enough to keep the queue readable.
constexpr size_t kMaxNama = 200, kMaxAlamat = 500, kMaxPesan = 10'000, kMaxShort = 100, kMaxReason = 500,
                 kMaxUrl = 2'000;

const char* const kReturnReasons[] = {
    "Data belum lengkap: nama pelapor",
    "Data belum lengkap: alamat pelapor",
    "Data belum lengkap: nama dan alamat pelapor",
    "Lokasi kejadian belum jelas",
    "Foto/bukti pendukung belum ada",
};
const char* const kRejectReasons[] = {
    "Bukan aduan (promosi/iklan)",
    "Bukan aduan (ucapan/salam)",
    "Bukan aduan (berita/informasi)",
    "Bukan aduan (pertanyaan informasi)",
    "Di luar kewenangan Pemerintah Kabupaten Cilacap",
    "Konten tidak pantas",
};





template <size_t N>
bool OneOf(const std::string& v, const char* const (&list)[N]) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* x) { return v == x; });
}

bool KnownOpd(const QueueCatalog& c, const std::string& code) {
  return std::any_of(c.opd.begin(), c.opd.end(), [&](const auto& o) { return o.first == code; });
}

bool KnownKecamatan(const QueueCatalog& c, const std::string& name) {
  return std::find(c.kecamatan.begin(), c.kecamatan.end(), name) != c.kecamatan.end();
}

// Reads the editable fields of a PATCH or confirm body and checks them against the catalog.
std::optional<ApiError> ReadEdit(const JsonIn& in, const QueueCatalog& catalog, db::DraftEdit* edit) {
  std::optional<std::optional<std::string>> pesan;
  const std::pair<const char*, std::pair<size_t, std::optional<std::optional<std::string>>*>> fields[] = {
      {"nama", {kMaxNama, &edit->nama}},         {"alamat", {kMaxAlamat, &edit->alamat}},
      {"opd", {kMaxShort, &edit->opd}},          {"kategori", {kMaxShort, &edit->kategori}},
      {"kecamatan", {kMaxShort, &edit->kecamatan}}, {"desa", {kMaxShort, &edit->desa}},
      {"pesan", {kMaxPesan, &pesan}}};
  for (const auto& [key, spec] : fields) {
    if (auto e = in.Text(key, spec.first, std::string_view(key) != "pesan", spec.second)) return e;
  }
  if (pesan) edit->pesan = pesan->value_or("");
  if (edit->opd && *edit->opd && !KnownOpd(catalog, **edit->opd)) {
    return ApiError{http::status::unprocessable_entity, "invalid",
                    "Kode OPD \"" + **edit->opd + "\" tidak dikenal. Pilih dari daftar OPD."};
  }
  if (edit->kecamatan && *edit->kecamatan && !KnownKecamatan(catalog, **edit->kecamatan)) {
    return ApiError{http::status::unprocessable_entity, "invalid",
                    "Kecamatan \"" + **edit->kecamatan + "\" tidak ada di Kabupaten Cilacap."};
  }
  return std::nullopt;
}



}  // namespace

ApiError FromStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kNotFound: return {http::status::not_found, "not_found", s.message()};
    case StatusCode::kAborted: return {http::status::conflict, "stale_version", s.message()};
    case StatusCode::kFailedPrecondition: return {http::status::conflict, "already_decided", s.message()};
    case StatusCode::kAlreadyExists: return {http::status::conflict, "already_exists", s.message()};
    case StatusCode::kInvalidArgument: return {http::status::unprocessable_entity, "invalid", s.message()};
    default:
      spdlog::error("queue api: {}", s.ToString());
      return {http::status::service_unavailable, "unavailable",
              "Basis data sedang tidak dapat dipakai. Coba lagi sebentar lagi; bila berlanjut, periksa log sambatd."};
  }
}

Response QueueApi::Handle(const Request& req, std::string_view path, const std::string& remote_addr) {
  path.remove_prefix(std::string_view("/api/v1").size());
  if (path == "/session") return Session(req, remote_addr);

  auto who_or = d_.auth->Authenticate(req);
  if (auto* e = std::get_if<ApiError>(&who_or)) return ErrorResponse(req, *e);
  const Principal& who = std::get<Principal>(who_or);
  if (!IsGet(req)) {
    if (auto e = d_.auth->CheckCsrf(req, who)) return ErrorResponse(req, *e);
  }

  if (path == "/drafts") return Drafts(req, who);
  if (path.substr(0, 8) == "/drafts/") {
    std::string_view rest = path.substr(8);
    auto slash = rest.find('/');
    auto id = ParseInt(rest.substr(0, slash));
    if (!id || *id <= 0) return ErrorResponse(req, {http::status::not_found, "not_found", "Draf tidak ditemukan."});
    return Draft(req, who, *id, slash == std::string_view::npos ? "" : rest.substr(slash + 1));
  }
  if (path.substr(0, 11) == "/disposisi/") return DispositionStatus(req, who, path.substr(11));
  if (path == "/outbox" || path.substr(0, 8) == "/outbox/") return Outbox(req, who, path.substr(7));
  if (path == "/replies" || path.substr(0, 9) == "/replies/") return Replies(req, who, path.substr(8));
  if (path == "/stats") return IsGet(req) ? Stats(req) : ErrorResponse(req, MethodNotAllowed());
  if (path == "/meta") return IsGet(req) ? Meta(req) : ErrorResponse(req, MethodNotAllowed());
  if (path == "/rules/quality") return IsGet(req) ? RuleQuality(req) : ErrorResponse(req, MethodNotAllowed());
  if (path == "/rekap") return Recap(req, "json");
  if (path == "/rekap.csv") return Recap(req, "csv");
  if (path == "/rekap.xlsx") return Recap(req, "xlsx");
  return ErrorResponse(req, {http::status::not_found, "not_found", "Alamat API tidak dikenal."});
}

Response QueueApi::Session(const Request& req, const std::string& remote_addr) {
  auto answer = [&](const Principal& p, http::status status) {
    JsonOut j;
    j.BeginObject().Key("user").BeginObject().Key("username").Str(p.name).Key("role").Str(p.role).EndObject();
    j.Key("csrf_token").Str(p.csrf_token).EndObject();
    return JsonResponse(req, status, j.Take());
  };
  if (IsGet(req)) {
    auto who = d_.auth->Authenticate(req);
    if (auto* e = std::get_if<ApiError>(&who)) return ErrorResponse(req, *e);
    return answer(std::get<Principal>(who), http::status::ok);
  }
  if (req.method() == http::verb::post) {
    if (auto e = CheckBody(req)) return ErrorResponse(req, *e);
    JsonIn in;
    if (auto e = JsonIn::Parse(req.body(), {"username", "password"}, &in)) return ErrorResponse(req, *e);
    std::optional<std::optional<std::string>> user, pass;
    if (auto e = in.Text("username", kMaxShort, false, &user)) return ErrorResponse(req, *e);
    if (auto e = in.Text("password", 1024, false, &pass)) return ErrorResponse(req, *e);
    if (!user || !*user || !pass || !*pass) {
      return ErrorResponse(req, {http::status::bad_request, "missing_field", "Isi nama pengguna dan kata sandi."});
    }
    std::string cookie;
    auto who = d_.auth->Login(**user, **pass, remote_addr, &cookie);
    if (auto* e = std::get_if<ApiError>(&who)) {
      auto res = ErrorResponse(req, *e);
      if (e->status == http::status::too_many_requests) res.set(http::field::retry_after, "900");
      return res;
    }
    auto res = answer(std::get<Principal>(who), http::status::ok);
    res.set(http::field::set_cookie, cookie);
    return res;
  }
  if (req.method() == http::verb::delete_) {
    auto who_or = d_.auth->Authenticate(req);
    if (auto* e = std::get_if<ApiError>(&who_or)) return ErrorResponse(req, *e);
    const Principal& who = std::get<Principal>(who_or);
    if (auto e = d_.auth->CheckCsrf(req, who)) return ErrorResponse(req, *e);
    auto res = MakeResponse(req, http::status::no_content, "", "application/json");
    res.set(http::field::set_cookie, d_.auth->Logout(who));
    return res;
  }
  return ErrorResponse(req, MethodNotAllowed());
}

Response QueueApi::Drafts(const Request& req, const Principal& who) {
  if (IsGet(req)) return ListDrafts(req);
  if (req.method() == http::verb::post) return CreateDraft(req, who);
  return ErrorResponse(req, MethodNotAllowed());
}

Response QueueApi::ListDrafts(const Request& req) {
  auto q = ParseQuery(std::string_view(req.target().data(), req.target().size()));
  static const char* const kParams[] = {"status", "kanal", "opd", "kecamatan", "q", "limit", "cursor"};
  for (const auto& [k, v] : q) {
    if (!OneOf(k, kParams)) {
      return ErrorResponse(req, {http::status::bad_request, "unknown_parameter",
                                 "Parameter \"" + k.substr(0, 32) + "\" tidak dikenal."});
    }
    if (v.size() > 200) return ErrorResponse(req, {http::status::bad_request, "bad_parameter", QueryError(k) + " Terlalu panjang."});
  }
  db::DraftQuery query;
  query.status = q.count("status") ? q["status"] : "pending";
  if (query.status == "all") query.status.clear();
  else if (!OneOf(query.status, kStatuses)) return ErrorResponse(req, {http::status::bad_request, "bad_parameter", QueryError("status")});
  query.kanal = q["kanal"];
  if (!query.kanal.empty() && !OneOf(query.kanal, kKanal)) {
    return ErrorResponse(req, {http::status::bad_request, "bad_parameter", QueryError("kanal")});
  }
  query.opd = q["opd"];
  query.kecamatan = q["kecamatan"];
  query.text = q["q"];
  if (q.count("limit")) {
    auto n = ParseInt(q["limit"]);
    if (!n || *n < 1 || *n > 200) {
      return ErrorResponse(req, {http::status::bad_request, "bad_parameter", QueryError("limit") + " Gunakan 1 sampai 200."});
    }
    query.limit = static_cast<int>(*n);
  }
  if (!q["cursor"].empty()) {
    const std::string& c = q["cursor"];
    auto dot = c.find('.');
    auto created = dot == std::string::npos ? std::nullopt : ParseInt(std::string_view(c).substr(0, dot));
    auto id = dot == std::string::npos ? std::nullopt : ParseInt(std::string_view(c).substr(dot + 1));
    if (!created || !id) return ErrorResponse(req, {http::status::bad_request, "bad_parameter", QueryError("cursor")});
    query.after_created_at = created;
    query.after_id = id;
  }
  // One more than asked tells whether there is a next page.
  const int wanted = query.limit;
  query.limit = wanted + 1;
  auto drafts = d_.queue->QueryDrafts(query);
  if (!drafts.ok()) return ErrorResponse(req, FromStatus(drafts.status()));
  const bool more = static_cast<int>(drafts->size()) > wanted;
  if (more) drafts->resize(static_cast<size_t>(wanted));
  JsonOut j;
  j.BeginObject().Key("drafts").BeginArray();
  for (const auto& d : *drafts) {
    WriteDraftItem(j, d);
    j.EndObject();
  }
  j.EndArray().Key("next_cursor");
  if (more) j.Str(std::to_string(drafts->back().created_at) + "." + std::to_string(drafts->back().id));
  else j.Null();
  j.EndObject();
  return JsonResponse(req, http::status::ok, j.Take());
}

Response QueueApi::CreateDraft(const Request& req, const Principal& who) {
  if (!who.CanDecide()) return ErrorResponse(req, Forbidden(who));
  if (auto e = CheckBody(req)) return ErrorResponse(req, *e);
  JsonIn in;
  if (auto e = JsonIn::Parse(req.body(), {"text", "url", "kanal", "nama", "alamat"}, &in)) return ErrorResponse(req, *e);
  std::optional<std::optional<std::string>> text, url, kanal, nama, alamat;
  if (auto e = in.Text("text", kMaxPesan, false, &text)) return ErrorResponse(req, *e);
  if (auto e = in.Text("url", kMaxUrl, true, &url)) return ErrorResponse(req, *e);
  if (auto e = in.Text("kanal", kMaxShort, true, &kanal)) return ErrorResponse(req, *e);
  if (auto e = in.Text("nama", kMaxNama, true, &nama)) return ErrorResponse(req, *e);
  if (auto e = in.Text("alamat", kMaxAlamat, true, &alamat)) return ErrorResponse(req, *e);
  if (!text || !*text) {
    return ErrorResponse(req, {http::status::unprocessable_entity, "invalid", "Tempelkan isi unggahan warga di kolom teks."});
  }
  ManualPost post{.text = **text, .kanal = kanal && *kanal ? **kanal : "manual", .actor = who.name};
  if (!OneOf(post.kanal, kKanal)) {
    return ErrorResponse(req, {http::status::unprocessable_entity, "invalid", "Kanal harus salah satu dari x, facebook, instagram, manual."});
  }
  if (url && *url) {
    if ((*url)->rfind("https://", 0) != 0 && (*url)->rfind("http://", 0) != 0) {
      return ErrorResponse(req, {http::status::unprocessable_entity, "invalid", "Tautan harus diawali https:// atau http://."});
    }
    post.url = **url;
  }
  if (nama) post.nama = *nama;
  if (alamat) post.alamat = *alamat;
  auto id = d_.manual_entry(post);
  if (!id.ok()) return ErrorResponse(req, FromStatus(id.status()));
  return DraftDetailResponse(req, *id, http::status::created);
}

Response QueueApi::DraftDetailResponse(const Request& req, int64_t id, http::status status) {
  auto detail = d_.queue->GetDraft(id);
  if (!detail.ok()) return ErrorResponse(req, FromStatus(detail.status()));
  return JsonResponse(req, status, DraftDetailJson(*detail, d_.sop_limits, ToUnixMillis(d_.clock->Now())));
}

Response QueueApi::Draft(const Request& req, const Principal& who, int64_t id, std::string_view action) {
  if (action.empty() && IsGet(req)) return DraftDetailResponse(req, id);
  const bool patch = action.empty() && req.method() == http::verb::patch;
  if (!patch && (req.method() != http::verb::post ||
                 (action != "confirm" && action != "return" && action != "reject" && action != "duplicate"))) {
    if (!action.empty() && action != "confirm" && action != "return" && action != "reject" && action != "duplicate") {
      return ErrorResponse(req, {http::status::not_found, "not_found", "Alamat API tidak dikenal."});
    }
    return ErrorResponse(req, MethodNotAllowed());
  }
  if (!who.CanDecide()) return ErrorResponse(req, Forbidden(who));
  if (auto e = CheckBody(req)) return ErrorResponse(req, *e);
  JsonIn in;
  std::optional<int64_t> version;
  if (patch || action == "confirm") {
    auto catalog = d_.catalog();
    if (auto e = JsonIn::Parse(req.body(), {"version", "nama", "alamat", "pesan", "opd", "kategori", "kecamatan", "desa"}, &in)) {
      return ErrorResponse(req, *e);
    }
    if (auto e = in.Int("version", true, &version)) return ErrorResponse(req, *e);
    db::DraftEdit edit;
    if (auto e = ReadEdit(in, *catalog, &edit)) return ErrorResponse(req, *e);
    Status s = patch ? d_.queue->EditDraft(id, *version, edit, who.name)
                     : d_.queue->Decide({.draft_id = id, .version = *version, .decision = db::Decision::kConfirm,
                                         .edit = edit, .actor = who.name});
    if (!s.ok()) return ErrorResponse(req, FromStatus(s));
    if (!patch && d_.on_confirmed) d_.on_confirmed();
    return DraftDetailResponse(req, id);
  }
  db::DecisionRequest r{.draft_id = id, .actor = who.name};
  if (action == "duplicate") {
    if (auto e = JsonIn::Parse(req.body(), {"version", "of"}, &in)) return ErrorResponse(req, *e);
    if (auto e = in.Int("of", true, &r.duplicate_of)) return ErrorResponse(req, *e);
    r.decision = db::Decision::kDuplicate;
  } else {
    if (auto e = JsonIn::Parse(req.body(), {"version", "reason"}, &in)) return ErrorResponse(req, *e);
    std::optional<std::optional<std::string>> reason;
    if (auto e = in.Text("reason", kMaxReason, false, &reason)) return ErrorResponse(req, *e);
    if (!reason || !*reason) return ErrorResponse(req, {http::status::unprocessable_entity, "invalid", "Alasan wajib diisi."});
    r.reason = **reason;
    r.decision = action == "return" ? db::Decision::kReturn : db::Decision::kReject;
  }
  if (auto e = in.Int("version", true, &version)) return ErrorResponse(req, *e);
  r.version = *version;
  if (Status s = d_.queue->Decide(r); !s.ok()) return ErrorResponse(req, FromStatus(s));
  return DraftDetailResponse(req, id);
}

// The pipeline reports a complaint's progress through the SOP's steps.
Response QueueApi::DispositionStatus(const Request& req, const Principal& who, std::string_view rest) {
  auto slash = rest.find('/');
  auto id = ParseInt(rest.substr(0, slash));
  if (!id || slash == std::string_view::npos || rest.substr(slash) != "/status") {
    return ErrorResponse(req, {http::status::not_found, "not_found", "Alamat API tidak dikenal."});
  }
  if (req.method() != http::verb::post) return ErrorResponse(req, MethodNotAllowed());
  if (who.role != "pipeline" && !who.CanDecide()) return ErrorResponse(req, Forbidden(who));
  if (!d_.outbox) return ErrorResponse(req, {http::status::not_found, "not_found", "Hand-off tidak diaktifkan."});
  if (auto e = CheckBody(req)) return ErrorResponse(req, *e);
  JsonIn in;
  if (auto e = JsonIn::Parse(req.body(), {"status", "note"}, &in)) return ErrorResponse(req, *e);
  std::optional<std::optional<std::string>> status, note;
  if (auto e = in.Text("status", kMaxShort, false, &status)) return ErrorResponse(req, *e);
  if (auto e = in.Text("note", kMaxPesan, true, &note)) return ErrorResponse(req, *e);
  if (!status || !*status) return ErrorResponse(req, {http::status::bad_request, "missing_field", "Kolom \"status\" wajib diisi."});
  if ((**status == "dikembalikan_opd" || **status == "selesai") && !(note && *note)) {
    return ErrorResponse(req, {http::status::unprocessable_entity, "invalid",
                               **status == "selesai" ? "Status selesai memerlukan teks tanggapan (note)."
                                                     : "Pengembalian oleh OPD memerlukan alasan (note)."});
  }
  const int64_t now = ToUnixMillis(d_.clock->Now());
  db::DispositionStep step{.draft_id = *id, .step = **status, .at = now, .note = note ? *note : std::nullopt,
                           .actor = who.name, .requeue_sla_due_at = now + d_.sop_limits.admin_utama};
  if (Status s = d_.outbox->RecordDispositionStep(step); !s.ok()) return ErrorResponse(req, FromStatus(s));
  return DraftDetailResponse(req, *id);
}

// Deliveries that need a person: the dead letters, and sending one again.
Response QueueApi::Outbox(const Request& req, const Principal& who, std::string_view rest) {
  if (!d_.outbox) return ErrorResponse(req, {http::status::not_found, "not_found", "Hand-off tidak diaktifkan."});
  if (rest.empty()) {
    if (!IsGet(req)) return ErrorResponse(req, MethodNotAllowed());
    auto q = ParseQuery(std::string_view(req.target().data(), req.target().size()));
    const std::string status = q.count("status") ? q["status"] : "dead";
    if (status != "dead" && status != "pending" && status != "sending" && status != "delivered") {
      return ErrorResponse(req, {http::status::bad_request, "bad_parameter", QueryError("status")});
    }
    auto items = d_.outbox->ListOutbox("handoff", status, 200);
    if (!items.ok()) return ErrorResponse(req, FromStatus(items.status()));
    auto counts = d_.outbox->CountOutbox("handoff");
    if (!counts.ok()) return ErrorResponse(req, FromStatus(counts.status()));
    JsonOut j;
    j.BeginObject().Key("backlog").Int(counts->backlog).Key("dead").Int(counts->dead);
    j.Key("delivered").Int(counts->delivered).Key("items").BeginArray();
    for (const auto& o : *items) {
      j.BeginObject().Key("id").Int(o.id).Key("draft_id").Int(o.draft_id).Key("status").Str(o.status);
      j.Key("attempts").Int(o.attempts).Key("last_error").Opt(o.last_error).Key("ticket").Opt(o.external_ref);
      j.Key("created").Time(o.created_at).Key("next_attempt").Time(o.next_attempt_at);
      j.Key("delivered_at").OptTime(o.delivered_at).EndObject();
    }
    j.EndArray().EndObject();
    return JsonResponse(req, http::status::ok, j.Take());
  }
  auto slash = rest.find('/', 1);
  auto id = ParseInt(rest.substr(1, slash == std::string_view::npos ? std::string_view::npos : slash - 1));
  if (!id || slash == std::string_view::npos || rest.substr(slash) != "/resend") {
    return ErrorResponse(req, {http::status::not_found, "not_found", "Alamat API tidak dikenal."});
  }
  if (req.method() != http::verb::post) return ErrorResponse(req, MethodNotAllowed());
  if (!who.CanDecide()) return ErrorResponse(req, Forbidden(who));
  if (Status s = d_.outbox->Resend(*id, "handoff", who.name, ToUnixMillis(d_.clock->Now())); !s.ok()) {
    return ErrorResponse(req, FromStatus(s));
  }
  if (d_.on_confirmed) d_.on_confirmed();
  return JsonResponse(req, http::status::ok, R"({"resent":true})");
}

Response QueueApi::Stats(const Request& req) {
  const int64_t now = ToUnixMillis(d_.clock->Now());
  const int64_t day = 24 * 3600'000;
  const int64_t day_start = (now + kWib) / day * day - kWib;
  auto c = d_.queue->Counters(now, day_start);
  if (!c.ok()) return ErrorResponse(req, FromStatus(c.status()));
  auto cursors = d_.store->ListCursors();
  if (!cursors.ok()) return ErrorResponse(req, FromStatus(cursors.status()));
  JsonOut j;
  j.BeginObject().Key("menunggu").Int(c->pending).Key("lewat_sla").Int(c->overdue);
  j.Key("dikonfirmasi_hari_ini").Int(c->confirmed_today).Key("now").Time(now);
  if (d_.outbox) {
    // The SOP clock of every complaint still with the OPDs: which step each late one is late at.
    auto open = d_.outbox->OpenDispositions();
    if (!open.ok()) return ErrorResponse(req, FromStatus(open.status()));
    std::map<std::string, int64_t> late;
    int64_t total_late = 0;
    for (const auto& o : *open) {
      const SopTimeline t = ComputeSopTimeline(o.created_at, o.confirmed_at, o.reports, d_.sop_limits, now);
      if (t.overdue_stage) ++late[*t.overdue_stage];
      total_late += t.total_late;
    }
    j.Key("disposisi_berjalan").Int(static_cast<int64_t>(open->size()));
    j.Key("terlambat_per_tahap").BeginObject();
    for (const auto& [stage, n] : late) j.Key(stage.c_str()).Int(n);
    j.EndObject().Key("lewat_batas_total").Int(total_late);
    auto counts = d_.outbox->CountOutbox("handoff");
    if (!counts.ok()) return ErrorResponse(req, FromStatus(counts.status()));
    j.Key("antre_kirim").Int(counts->backlog).Key("gagal_kirim").Int(counts->dead);
  }
  j.Key("sources").BeginArray();
  for (const auto& s : *cursors) {
    const bool paused = s.pause_reason && (!s.paused_until || *s.paused_until > now);
    const char* state = paused ? "paused" : s.last_error ? "error" : s.last_success_at ? "ok" : "never";
    j.BeginObject().Key("source").Str(s.source).Key("endpoint").Str(s.endpoint).Key("state").Str(state);
    // pause_reason is written for operators (Indonesian); last_error is the English log line.
    j.Key("last_success").OptTime(s.last_success_at).Key("message");
    if (s.pause_reason) j.Str(*s.pause_reason);
    else if (s.last_error) j.Str("Pengambilan terakhir gagal; rinciannya ada di log sambatd.");
    else j.Null();
    j.EndObject();
  }
  j.EndArray().EndObject();
  return JsonResponse(req, http::status::ok, j.Take());
}

Response QueueApi::Meta(const Request& req) {
  auto catalog = d_.catalog();
  JsonOut j;
  j.BeginObject().Key("opd").BeginArray();
  for (const auto& [code, name] : catalog->opd) j.BeginObject().Key("code").Str(code).Key("name").Str(name).EndObject();
  j.EndArray().Key("kecamatan").BeginArray();
  for (const auto& k : catalog->kecamatan) j.Str(k);
  j.EndArray().Key("kategori").BeginArray();
  for (const auto& k : catalog->kategori) j.Str(k);
  j.EndArray().Key("return_reasons").BeginArray();
  for (const char* r : kReturnReasons) j.Str(r);
  j.EndArray().Key("reject_reasons").BeginArray();
  for (const char* r : kRejectReasons) j.Str(r);
  j.EndArray().Key("kanal").BeginArray();
  for (const char* k : kKanal) j.Str(k);
  j.EndArray().EndObject();
  auto res = JsonResponse(req, http::status::ok, j.Take());
  return res;
}

Response QueueApi::RuleQuality(const Request& req) {
  auto rules = d_.queue->RuleQualities();
  if (!rules.ok()) return ErrorResponse(req, FromStatus(rules.status()));
  // Worst first: the rules whose drafts Admin Utama rejects most need attention.
  auto precision = [](const db::RuleQuality& r) -> std::optional<double> {
    const int64_t decided = r.confirmed + r.rejected;
    if (decided == 0) return std::nullopt;
    return static_cast<double>(r.confirmed) / static_cast<double>(decided);
  };
  std::stable_sort(rules->begin(), rules->end(), [&](const auto& a, const auto& b) {
    auto pa = precision(a), pb = precision(b);
    if (pa.has_value() != pb.has_value()) return pa.has_value();
    if (pa && *pa != *pb) return *pa < *pb;
    return a.drafts > b.drafts;
  });
  JsonOut j;
  j.BeginObject().Key("rules").BeginArray();
  for (const auto& r : *rules) {
    j.BeginObject().Key("id").Str(r.rule_id).Key("kind").Str(r.kind).Key("drafts").Int(r.drafts);
    j.Key("confirmed").Int(r.confirmed).Key("rejected").Int(r.rejected).Key("returned").Int(r.returned);
    j.Key("duplicate").Int(r.duplicate).Key("pending").Int(r.pending).Key("precision");
    if (auto p = precision(r)) j.Num(*p);
    else j.Null();
    j.EndObject();
  }
  j.EndArray().EndObject();
  return JsonResponse(req, http::status::ok, j.Take());
}

}  // namespace sambat::web
