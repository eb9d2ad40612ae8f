#include "daemon/poll_command.h"

#include <sodium.h>

#include <iostream>

#include "base/clock.h"
#include "base/log.h"
#include "config/config.h"
#include "connectors/http/curl_transport.h"
#include "daemon/queue_json.h"
#include "daemon/setup.h"
#include "daemon/source_runner.h"
#include "daemon/sources.h"
#include "db/sqlite_store.h"

namespace sambat::daemon {
namespace {

std::string Snippet(const std::string& text, size_t n) {
  std::string s = text.substr(0, n);
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  // Do not cut a UTF-8 sequence in half.
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
  if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
  return text.size() > n ? s + "…" : s;
}

}  // namespace

int PollOnce(const std::string& config_path, bool dry_run) {
  auto cfg = LoadConfigOrPrint(config_path);
  if (!cfg) return 1;
  SetupLogging("warn");
  auto classifier = LoadClassifier(cfg->rules);
  if (!classifier) return 1;
  SystemClock clock;
  auto store = db::SqliteStore::Open(cfg->database, &clock);
  if (!store.ok()) {
    std::cerr << store.status().message() << "\n";
    return 1;
  }
  connectors::CurlGlobal curl;
  connectors::CurlTransport http{connectors::CurlOptions{.proxy = cfg->network.proxy}};
  std::vector<std::string> errors;
  Sources sources = BuildSources(*cfg, &http, &clock, &errors);
  for (const auto& e : errors) std::cerr << e << "\n";
  if (!errors.empty()) return 1;
  if (sources.connectors.empty()) {
    std::cout << "Tidak ada sumber yang aktif (sources.*.enabled).\n";
    return 0;
  }
  ClassifierHolder holder(classifier);
  IngestOptions ingest{.sla_ms = cfg->sla.admin_utama.count()};
  int failures = 0;
  for (const auto& c : sources.connectors) {
    SourceRunner runner(c.get(), store->get(), &holder, &clock, ingest);
    for (const auto& endpoint : c->endpoints()) {
      PollReport r = runner.Poll(endpoint, dry_run);
      // A backlog larger than one poll: keep reading (each part is stored as it comes).
      for (int part = 0; r.more && !dry_run && r.kind == connectors::PollOutcome::Kind::kOk && part < 100000; ++part) {
        PollReport next = runner.Poll(endpoint, false);
        next.fetched += r.fetched;
        next.new_posts += r.new_posts;
        next.drafts += r.drafts;
        next.requests += r.requests;
        next.skipped += r.skipped;
        r = std::move(next);
      }
      std::cout << r.source << "/" << r.endpoint << ": ";
      if (r.kind != connectors::PollOutcome::Kind::kOk) {
        ++failures;
        std::cout << r.operator_message << " (" << r.message << ")\n";
        continue;
      }
      std::cout << r.fetched << " diambil";
      if (!dry_run) std::cout << ", " << r.new_posts << " baru, " << r.drafts << " draf aduan";
      std::cout << ", " << r.requests << " permintaan";
      if (r.skipped) std::cout << ", " << r.skipped << " item tidak terbaca dilewati";
      std::cout << "\n";
      for (const auto& p : r.posts) {  // dry runs: what would be stored
        auto res = classifier->Classify(p.text);
        std::cout << "  " << (res.complaint ? "ADUAN " : "bukan ") << p.id << " "
                  << (res.opd.empty() ? "-" : res.opd[0].code) << " "
                  << res.location.kecamatan.value_or("-") << " | " << Snippet(p.text, 80) << "\n";
      }
    }
  }
  if (dry_run) std::cout << "(dry run: tidak ada yang disimpan)\n";
  return failures == 0 ? 0 : 1;
}

int QueueList(const std::string& config_path, const std::string& status, bool json) {
  auto cfg = LoadConfigOrPrint(config_path);
  if (!cfg) return 1;
  SystemClock clock;
  auto store = db::SqliteStore::Open(cfg->database, &clock);
  if (!store.ok()) {
    std::cerr << store.status().message() << "\n";
    return 1;
  }
  auto drafts = (*store)->ListDrafts({.status = status, .limit = 100000});
  if (!drafts.ok()) {
    std::cerr << drafts.status().message() << "\n";
    return 1;
  }
  if (json) {
    std::cout << DraftsToJson(*drafts) << "\n";
    return 0;
  }
  for (const auto& d : *drafts) {
    std::cout << "#" << d.id << " [" << d.status << "] " << d.kanal << " " << d.opd.value_or("-") << " "
              << d.kecamatan.value_or("-") << " | " << Snippet(d.pesan, 70) << "\n";
  }
  std::cout << drafts->size() << " draf\n";
  return 0;
}

}  // namespace sambat::daemon
