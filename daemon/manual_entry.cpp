#include "daemon/manual_entry.h"

#include <algorithm>
#include <set>

#include "db/draft_fields.h"
#include "web/credentials.h"

namespace sambat::daemon {

db::ManualEntry MakeManualEntry(const web::ManualPost& in, const classifier::Classifier& classifier, int64_t now,
                                const IngestOptions& options) {
  connectors::Post p;
  p.platform = "manual";
  p.id = in.url ? *in.url : "teks-" + web::Sha256Hex(in.text).substr(0, 24);
  p.endpoint = "manual";
  p.text = in.text;
  p.url = in.url;
  p.created_at = now;
  p.author_name = in.nama;
  const classifier::Classification c = classifier.Classify(p.text);
  db::ManualEntry entry;
  entry.actor = in.actor;
  entry.item.classification = MakeClassificationRecord(c, classifier.version());
  db::DraftRecord d = MakeDraft(p, c, now, options);
  d.kanal = in.kanal;
  d.nama = in.nama;  // typed by Admin Utama, not taken from a profile
  d.nama_from_profile = false;
  if (in.alamat) d.alamat = in.alamat;
  d.missing_fields_json = db::MissingFieldsJson(d.nama, d.alamat, d.pesan);
  entry.item.draft = std::move(d);
  entry.item.post = MakePostRecord(std::move(p));
  return entry;
}

std::shared_ptr<const web::QueueCatalog> BuildCatalog(const classifier::Classifier& classifier) {
  auto c = std::make_shared<web::QueueCatalog>();
  for (const auto& o : classifier.opds()) c->opd.emplace_back(o.code, o.name);
  c->kecamatan = classifier.gazetteer().kecamatan_names();
  std::sort(c->kecamatan.begin(), c->kecamatan.end());
  std::set<std::string> kategori;
  for (const auto& r : classifier.ruleset().rules()) {
    if (!r.kategori.empty()) kategori.insert(r.kategori);
  }
  c->kategori.assign(kategori.begin(), kategori.end());
  return c;
}

}  // namespace sambat::daemon
