#include "daemon/ingest.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>

#include "classifier/normalizer.h"
#include "classifier/result_json.h"
#include "db/draft_fields.h"

namespace sambat::daemon {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const std::string& s) {
  const std::string safe = classifier::RepairUtf8(s);
  w.String(safe.data(), static_cast<rapidjson::SizeType>(safe.size()));
}

}  // namespace

std::string MediaJson(const connectors::Post& p) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartArray();
  for (const auto& m : p.media) {
    w.StartObject();
    w.Key("type");
    Str(w, m.type);
    w.Key("url");
    Str(w, m.url);
    w.EndObject();
  }
  w.EndArray();
  return b.GetString();
}

db::PostRecord MakePostRecord(connectors::Post p) {
  db::PostRecord r;
  r.media_json = MediaJson(p);
  r.platform = std::move(p.platform);
  r.platform_id = std::move(p.id);
  r.kind = std::move(p.kind);
  r.endpoint = std::move(p.endpoint);
  r.author_id = std::move(p.author_id);
  r.author_handle = std::move(p.author_handle);
  r.author_name = std::move(p.author_name);
  r.text = std::move(p.text);
  r.url = std::move(p.url);
  r.created_at = p.created_at;
  r.parent_platform_id = std::move(p.parent_id);
  if (!p.raw_json.empty()) r.raw_json = std::move(p.raw_json);
  return r;
}

db::ClassificationRecord MakeClassificationRecord(const classifier::Classification& c, const std::string& version) {
  db::ClassificationRecord r;
  r.rules_version = version;
  r.is_complaint = c.complaint;
  r.score = c.score;
  r.threshold = c.threshold;
  if (!c.kategori.empty()) r.kategori = c.kategori;
  r.opd_json = classifier::OpdScoresJson(c);
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartArray();
  for (const auto& m : c.rules) {
    w.StartObject();
    w.Key("id");
    Str(w, m.id);
    w.Key("kind");
    w.String(classifier::RuleKindName(m.kind));
    w.Key("weight");
    w.Double(m.weight);
    w.Key("spans");
    w.StartArray();
    for (const auto& [s, e] : m.spans) {
      w.StartArray();
      w.Uint(s);
      w.Uint(e);
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  r.rules_json = b.GetString();
  rapidjson::StringBuffer lb;
  Writer lw(lb);
  lw.StartObject();
  lw.Key("kecamatan");
  c.location.kecamatan ? Str(lw, *c.location.kecamatan) : (void)lw.Null();
  lw.Key("desa");
  c.location.desa ? Str(lw, *c.location.desa) : (void)lw.Null();
  lw.Key("candidates");
  lw.StartArray();
  for (const auto& cand : c.location.candidates) Str(lw, cand);
  lw.EndArray();
  lw.Key("matched");
  Str(lw, c.location.matched);
  lw.EndObject();
  r.location_json = lb.GetString();
  return r;
}

db::DraftRecord MakeDraft(const connectors::Post& p, const classifier::Classification& c, int64_t now,
                          const IngestOptions& o) {
  db::DraftRecord d;
  // nama: the display name, else the @handle; either way taken from the profile, which the
  // queue marks so Admin Utama checks it.
  if (p.author_name && !p.author_name->empty()) {
    d.nama = *p.author_name;
    d.nama_from_profile = true;
  } else if (p.author_handle && !p.author_handle->empty()) {
    d.nama = "@" + *p.author_handle;
    d.nama_from_profile = true;
  }
  if (c.location.desa && c.location.kecamatan) {
    d.alamat = "Desa/Kel. " + *c.location.desa + ", Kec. " + *c.location.kecamatan + ", Kabupaten Cilacap";
  } else if (c.location.kecamatan) {
    d.alamat = "Kec. " + *c.location.kecamatan + ", Kabupaten Cilacap";
  }
  d.pesan = p.text;
  d.kanal = p.platform;
  d.url = p.url;
  d.lampiran_json = MediaJson(p);
  if (!c.kategori.empty()) d.kategori = c.kategori;
  d.opd_candidates_json = classifier::OpdScoresJson(c);
  if (!c.opd.empty()) d.opd = c.opd[0].code;
  d.kecamatan = c.location.kecamatan;
  d.desa = c.location.desa;
  d.missing_fields_json = db::MissingFieldsJson(d.nama, d.alamat, d.pesan);
  if (c.simhash) d.simhash = static_cast<int64_t>(c.simhash);
  d.sla_due_at = now + o.sla_ms;
  return d;
}

db::IngestItem MakeIngestItem(connectors::Post p, const classifier::Classifier& classifier, int64_t now,
                              const IngestOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  classifier::Classification c = classifier.Classify(p.text);
  if (options.classify_seconds) {
    options.classify_seconds->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  db::IngestItem item;
  item.classification = MakeClassificationRecord(c, classifier.version());
  if (c.complaint) item.draft = MakeDraft(p, c, now, options);
  item.post = MakePostRecord(std::move(p));  // last: the post's strings move, not copy
  return item;
}

db::IngestBatch BuildBatch(std::vector<connectors::Post> posts, const classifier::Classifier& classifier,
                           int64_t now, const IngestOptions& options, std::optional<db::CursorState> cursor) {
  db::IngestBatch batch;
  batch.items.reserve(posts.size());
  for (auto& p : posts) batch.items.push_back(MakeIngestItem(std::move(p), classifier, now, options));
  batch.cursor = std::move(cursor);
  return batch;
}

}  // namespace sambat::daemon
