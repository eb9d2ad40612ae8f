// Fills a sambatd database with N pending drafts for the queue's load test: realistic sizes
// (a tweet-length pesan, OPD candidates, a place, a matched-rules record), spread over kanal,
// OPD and kecamatan, one second apart. Usage: seed_drafts DB N
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/clock.h"
#include "db/sqlite_store.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DB N\n", argv[0]);
    return 2;
  }
  const int n = std::atoi(argv[2]);
  sambat::FakeClock clock(sambat::FromUnixMillis(1'764'000'000'000));
  auto store = sambat::db::SqliteStore::Open(argv[1], &clock);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  const char* kanal[] = {"x", "facebook", "instagram"};
  const char* opd[] = {"DPUPR", "DISHUB", "DLH", "DINKES", "DISDUKCAPIL", "DINDIKBUD"};
  const char* kec[] = {"Kroya", "Kesugihan", "Sidareja", "Majenang", "Cilacap Tengah", "Kawunganten", "Cipari"};
  const char* what[] = {"jalan rusak parah banyak lubang", "lampu PJU mati sudah seminggu", "sampah menumpuk belum diangkut",
                        "antrean puskesmas lama sekali", "KTP elektronik belum jadi", "atap sekolah bocor"};
  for (int done = 0; done < n;) {
    sambat::db::IngestBatch batch;
    for (int k = 0; k < 1000 && done < n; ++k, ++done) {
      sambat::db::IngestItem item;
      auto& p = item.post;
      p.platform = kanal[done % 3];
      p.platform_id = "seed-" + std::to_string(done);
      p.endpoint = "seed";
      p.author_handle = "warga" + std::to_string(done % 977);
      p.text = std::string("Mohon pak, ") + what[done % 6] + " di dekat pasar " + kec[done % 7] +
               ", sudah lapor berkali-kali belum ada tindakan. Tolong segera ditangani, nomor " + std::to_string(done);
      p.url = "https://example.invalid/post/" + std::to_string(done);
      p.created_at = sambat::ToUnixMillis(clock.Now());
      sambat::db::ClassificationRecord c;
      c.rules_version = "seed";
      c.is_complaint = true;
      c.score = 6;
      c.threshold = 3;
      c.rules_json = R"([{"id":"sig-tolong","kind":"signal","weight":1.0,"spans":[[0,5]]}])";
      item.classification = c;
      sambat::db::DraftRecord d;
      d.nama = "@" + *p.author_handle;
      d.nama_from_profile = true;
      d.pesan = p.text;
      d.kanal = p.platform;
      d.url = p.url;
      d.opd = opd[done % 6];
      d.opd_candidates_json = std::string(R"([{"code":")") + opd[done % 6] + R"(","score":5.0}])";
      d.kecamatan = kec[done % 7];
      d.alamat = std::string("Kec. ") + kec[done % 7] + ", Kabupaten Cilacap";
      d.sla_due_at = sambat::ToUnixMillis(clock.Now()) + 15 * 60'000;
      item.draft = d;
      batch.items.push_back(std::move(item));
      clock.Advance(std::chrono::seconds(1));
    }
    auto s = (*store)->Ingest(batch);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.status().message().c_str());
      return 1;
    }
  }
  std::printf("%d drafts\n", n);
  return 0;
}
