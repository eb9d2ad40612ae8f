// The daemon's configuration: one YAML file, every key documented in systemd/sambatd.yaml.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace sambat::config {

using std::chrono::milliseconds;

struct ListenAddress {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 = any free port (tests)
  std::string ToString() const;
};

struct HttpConfig {
  ListenAddress listen;                 // default 127.0.0.1:8080
  bool secure_cookies = false;          // set behind TLS (nginx)
};

struct LogConfig {
  std::string level = "info";
};

struct DaemonConfig {
  milliseconds shutdown_timeout{10'000};  // SIGTERM → exit within this
};

// Shared by the three sources; platform-specific fields are empty where they do not apply.
struct SourceConfig {
  bool enabled = false;
  std::string base_url;
  std::string account_id;          // x.user_id, facebook.page_id, instagram.user_id
  std::string token_file;          // x.bearer_token_file, *.access_token_file
  std::string search_query;        // x only
  milliseconds poll_interval{300'000};
  std::string webhook_verify_token_file;  // instagram only
  std::string webhook_app_secret_file;    // instagram only
  std::string reply_token_file;           // x only: a user-context token (tweet.write) for replies
};

inline SourceConfig SourceWithBaseUrl(std::string url) {
  SourceConfig s;
  s.base_url = std::move(url);
  return s;
}

struct SourcesConfig {
  SourceConfig x = SourceWithBaseUrl("https://api.x.com");
  SourceConfig facebook = SourceWithBaseUrl("https://graph.facebook.com/v25.0");
  SourceConfig instagram = SourceWithBaseUrl("https://graph.facebook.com/v25.0");
};

struct NetworkConfig {
  std::string proxy;  // e.g. http://proxy.example:3128 for the platforms' APIs; empty = none
};

// The SOP's time limits, per step and in all (from the moment the complaint is captured).
struct SlaConfig {
  milliseconds admin_utama{15 * 60'000};           // step 2: Admin Utama checks and disposes
  milliseconds admin_opd{15 * 60'000};             // step 3: Admin OPD accepts or sends back
  milliseconds pejabat_penghubung{15 * 60'000};    // step 4: coordination with the head of the OPD
  milliseconds kepala_opd{60 * 60'000};            // step 5: the head of the OPD's follow-up
  milliseconds penghubung_teruskan{15 * 60'000};   // step 6: forwarded back to Admin OPD
  milliseconds admin_opd_input{15 * 60'000};       // step 7: the result entered in the app
  milliseconds total{135 * 60'000};                // 2 hours 15 minutes in all
};

// Where confirmed complaints go (the disposition pipeline).
struct HandoffConfig {
  std::string sink;        // "" (none: the outbox keeps them) | http-json | open311
  std::string url;         // http-json: the endpoint; open311: the GeoReport v2 base URL
  std::string token_file;  // http-json: bearer token; open311: api_key
  // open311: service_code per "OPD" or "OPD/kategori" (the more specific wins).
  std::vector<std::pair<std::string, std::string>> open311_service_map;
  milliseconds timeout{30'000};  // one delivery attempt, connect to last byte
  milliseconds status_poll_interval{5 * 60'000};  // open311: how often progress is read back
};

// Answers to the citizen on the channel they used (tanda terima, permintaan kelengkapan
// data, jawaban akhir). Placeholders each template may use are listed in systemd/sambatd.yaml.
struct ReplyTemplates {
  std::string tanda_terima =
      "Terima kasih, aduan Anda sudah kami terima dengan nomor tiket {tiket} dan diteruskan ke {opd} untuk "
      "ditindaklanjuti. Perkembangannya akan kami sampaikan di sini. - Diskominfo Kab. Cilacap";
  std::string kelengkapan =
      "Terima kasih atas laporannya. Agar aduan dapat kami proses, mohon lengkapi: {kolom}. Kirim melalui "
      "WhatsApp {whatsapp} atau aplikasi Lapor dan SambatMasBup di {situs}, jangan di kolom komentar. "
      "- Diskominfo Kab. Cilacap";
  std::string jawaban_akhir = "Tindak lanjut aduan Anda (tiket {tiket}) dari {opd}: {jawaban}";
  bool operator==(const ReplyTemplates&) const = default;
};

struct RepliesConfig {
  std::string mode = "off";  // off | review (Admin Utama approves each) | auto
  std::string whatsapp = "085290082800";         // the SOP's WhatsApp number
  std::string situs = "laporbup.cilacapkab.go.id";  // Lapor dan SambatMasBup
  // Events older than this get no reply: turning replies on does not answer last year's posts.
  milliseconds max_age{3 * 24 * 3600'000LL};
  int per_hour = 30;  // replies per platform per hour, below every platform's write limit
  ReplyTemplates templates;
  bool operator==(const RepliesConfig&) const = default;
};

// The placeholders each template may use.
const std::vector<std::string>& ReplyPlaceholders(const std::string& template_name);

// How long citizens' data is kept (UU 27/2022: no longer than needed). The daemon purges once
// a day; `sambatd purge --dry-run` shows what would go.
struct RetentionConfig {
  milliseconds non_complaint_posts{90LL * 86'400'000};  // posts that are not complaints
  milliseconds rejected_drafts{90LL * 86'400'000};      // rejected and duplicate drafts, from the decision
  milliseconds webhook_events{30LL * 86'400'000};       // processed webhook bodies (their posts are stored)
  int purge_minute = 2 * 60 + 30;                       // the daily purge, minutes after midnight WIB
};

struct Config {
  std::string path;       // the file this came from
  std::string database;   // absolute, or relative to the config file's folder
  std::string rules;      // a rules file or folder, resolved the same way
  HttpConfig http;
  LogConfig log;
  DaemonConfig daemon;
  SourcesConfig sources;
  NetworkConfig network;
  SlaConfig sla;
  HandoffConfig handoff;
  RepliesConfig replies;
  RetentionConfig retention;
};

// One problem found in a file, with its 1-based position.
struct Diagnostic {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  // "file:line:col: message" (warnings say "warning: ").
  std::string ToString() const;
};

struct LoadResult {
  Config config;
  std::vector<Diagnostic> diagnostics;  // every problem of the file, in file order
  bool ok() const;                      // no errors (warnings allowed)
};

// Parses and validates `path`. Never throws. Relative `database` and `rules` are resolved
// against the folder of `path`. Secret files named by `*_file` keys are checked for presence
// and permissions (a warning when readable by group or others) but not kept.
LoadResult LoadConfigFile(const std::string& path);

// The same, from text (tests); `name` is used in diagnostics and for relative paths.
LoadResult LoadConfigText(const std::string& text, const std::string& name);

}  // namespace sambat::config
