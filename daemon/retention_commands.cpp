#include "daemon/retention_commands.h"

#include <pwd.h>
#include <sodium.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>

#include "base/clock.h"
#include "base/duration.h"
#include "daemon/setup.h"
#include "db/sqlite_store.h"
#include "db/subject_ref.h"

namespace sambat::daemon {
namespace {

struct Opened {
  SystemClock clock;
  config::Config config;
  std::unique_ptr<db::SqliteStore> store;
};

std::unique_ptr<Opened> Open(const std::string& config_path) {
  auto config = LoadConfigOrPrint(config_path);
  if (!config) return nullptr;
  auto o = std::make_unique<Opened>();
  o->config = std::move(*config);
  auto s = db::SqliteStore::Open(o->config.database, &o->clock);
  if (!s.ok()) {
    std::cerr << "Basis data tidak dapat dibuka: " << s.status().message() << "\n";
    return nullptr;
  }
  o->store = std::move(*s);
  return o;
}

// Who ran the command, for the audit log: the OS user (sudo's caller when run with sudo).
std::string CliActor() {
  if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo) return std::string("cli:") + sudo;
  if (const passwd* pw = ::getpwuid(::geteuid())) return std::string("cli:") + pw->pw_name;
  return "cli";
}

// "90 hari" for whole days, else the duration as configured ("12h").
std::string Age(int64_t ms) {
  constexpr int64_t kDay = 86'400'000;
  if (ms > 0 && ms % kDay == 0) return FormatCount(ms / kDay) + " hari";
  return FormatDuration(std::chrono::milliseconds(ms));
}

bool InitSodium() {
  if (sodium_init() < 0) {
    std::cerr << "libsodium tidak dapat diinisialisasi\n";
    return false;
  }
  return true;
}

// The opened store and how the subject is named in the audit log; null (after saying why)
// when either cannot be had.
struct SubjectSession {
  std::unique_ptr<Opened> opened;
  std::string ref;
};
std::optional<SubjectSession> OpenForSubject(const std::string& config_path, const db::Subject& subject) {
  if (!InitSodium()) return std::nullopt;
  auto o = Open(config_path);
  if (!o) return std::nullopt;
  auto salt = o->store->SubjectSalt();
  if (!salt.ok()) {
    std::cerr << salt.status().message() << "\n";
    return std::nullopt;
  }
  std::string ref = SubjectRef(*salt, subject);
  return SubjectSession{std::move(o), std::move(ref)};
}

}  // namespace

std::string FormatCount(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string PurgeSummary(const db::PurgeCounts& c, const db::RetentionPolicy& p, bool dry_run) {
  std::string s = dry_run ? "Akan dihapus (uji coba: belum ada yang diubah):\n" : "Dihapus:\n";
  s += "  " + FormatCount(c.non_complaint_posts) + " postingan bukan aduan (lebih tua dari " +
       Age(p.non_complaint_posts_ms) + ")\n";
  s += "  " + FormatCount(c.rejected_drafts) + " draf ditolak dan " + FormatCount(c.duplicate_drafts) +
       " draf duplikat (diputuskan lebih dari " + Age(p.rejected_drafts_ms) + " lalu), beserta " +
       FormatCount(c.draft_posts) + " postingannya, " + FormatCount(c.outbox_rows) + " catatan kiriman dan " +
       FormatCount(c.disposition_steps) + " laporan disposisi\n";
  s += "  " + FormatCount(c.classifications) + " hasil klasifikasi dari postingan itu\n";
  s += "  " + FormatCount(c.webhook_events) + " event webhook yang sudah diproses (lebih tua dari " +
       Age(p.webhook_events_ms) + ")\n";
  s += "  " + FormatCount(c.audit_rows_redacted) + " baris log audit tentang draf itu " +
       (dry_run ? "akan dikosongkan" : "dikosongkan") + " isinya (siapa, kapan dan apa tetap tercatat)\n";
  return s;
}

std::string SubjectRef(const std::string& salt, const db::Subject& subject) {
  return db::SubjectRef(salt, subject.platform, subject.author_id);
}

int Purge(const std::string& config_path, bool dry_run) {
  auto o = Open(config_path);
  if (!o) return 1;
  const db::RetentionPolicy policy = RetentionPolicyFrom(o->config.retention);
  auto counts = o->store->Purge(
      {.policy = policy, .now_ms = ToUnixMillis(o->clock.Now()), .dry_run = dry_run, .actor = CliActor()});
  if (!counts.ok()) {
    std::cerr << "Pembersihan gagal: " << counts.status().message() << "\n";
    return 1;
  }
  std::cout << PurgeSummary(*counts, policy, dry_run);
  if (dry_run) std::cout << "Jalankan tanpa --dry-run untuk menghapusnya.\n";
  return 0;
}

int SubjectExport(const std::string& config_path, const db::Subject& subject) {
  auto session = OpenForSubject(config_path, subject);
  if (!session) return 1;
  auto json = session->opened->store->ExportSubject(subject, CliActor(), session->ref);
  if (!json.ok()) {
    std::cerr << "Ekspor gagal: " << json.status().message() << "\n";
    return 1;
  }
  std::cout << *json << "\n";
  return 0;
}

int SubjectErase(const std::string& config_path, const db::Subject& subject, bool yes, bool vacuum) {
  if (!yes) {
    std::cerr << "Penghapusan tidak dapat dibatalkan: semua postingan, draf (juga yang sudah dikonfirmasi), "
                 "klasifikasi, catatan kiriman, laporan disposisi dan event webhook tentang penulis "
              << subject.platform << "/" << subject.author_id
              << " akan dihapus, dan isi log audit tentang draf mereka dikosongkan.\n"
                 "Bila pemohon meminta salinannya, jalankan dulu: sambatd subject export --platform "
              << subject.platform << " --author " << subject.author_id
              << "\nUntuk melanjutkan, jalankan lagi dengan --yes.\n";
    return 2;
  }
  auto session = OpenForSubject(config_path, subject);
  if (!session) return 1;
  const std::string& ref = session->ref;
  auto n = session->opened->store->EraseSubject(subject, CliActor(), ref, vacuum);
  if (!n.ok()) {
    std::cerr << "Penghapusan gagal, tidak ada yang dihapus: " << n.status().message() << "\n";
    return 1;
  }
  if (n->posts == 0) {
    std::cout << "Tidak ada data tentang penulis " << subject.platform << "/" << subject.author_id
              << "; permintaannya tetap dicatat di log audit (" << ref << ").\n";
    return 0;
  }
  std::cout << "Dihapus: " << FormatCount(n->posts) << " postingan, " << FormatCount(n->drafts) << " draf, "
            << FormatCount(n->classifications) << " hasil klasifikasi, " << FormatCount(n->outbox_rows)
            << " catatan kiriman, " << FormatCount(n->disposition_steps) << " laporan disposisi, "
            << FormatCount(n->webhook_events) << " event webhook; " << FormatCount(n->audit_rows_redacted)
            << " baris log audit dikosongkan isinya.\n"
            << "Log audit mencatat penghapusan ini sebagai " << ref << ".\n";
  if (!n->handed_off_tickets.empty()) {
    std::cout << "Aduan ini sudah diteruskan ke pipeline disposisi (tiket:";
    for (const auto& t : n->handed_off_tickets) std::cout << " " << t;
    std::cout << "). Mintalah penghapusan di sana juga; sambatd tidak dapat menghapusnya.\n";
  }
  if (!n->wal_truncated) {
    std::cout << "Catatan: berkas WAL sedang dipakai daemon dan belum dapat dikosongkan; salinan lama halaman yang "
                 "dihapus masih ada di dalamnya sampai checkpoint berikutnya. Untuk memastikan, jalankan perintah "
                 "ini lagi saat daemon berhenti.\n";
  }
  return 0;
}

}  // namespace sambat::daemon
