#include "config/config.h"

#include <arpa/inet.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <tuple>

#include "base/duration.h"
#include "base/log.h"
#include "base/secret.h"
#include "base/text_template.h"

namespace sambat::config {
namespace {

namespace fs = std::filesystem;

// Walks the YAML tree, collecting every problem instead of stopping at the first.
class Reader {
 public:
  Reader(std::string file, std::vector<Diagnostic>* out) : file_(std::move(file)), out_(out) {}

  void Error(const YAML::Mark& mark, std::string msg) { Add(Diagnostic::Severity::kError, mark, std::move(msg)); }
  void Warn(const YAML::Mark& mark, std::string msg) { Add(Diagnostic::Severity::kWarning, mark, std::move(msg)); }

  // Checks `node` is a mapping whose keys are all in `allowed`; reports unknown and
  // duplicate keys. Returns false when `node` is not a mapping.
  bool Mapping(const YAML::Node& node, const std::string& where, const std::set<std::string>& allowed) {
    if (node.IsNull() && !where.empty()) return false;  // an empty section: every default applies
    if (!node.IsMap()) {
      Error(node.Mark(), where + " must be a mapping of keys to values");
      return false;
    }
    std::set<std::string> seen;
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) {
        Error(kv.first.Mark(), "keys in " + where + " must be plain words");
        continue;
      }
      const std::string key = kv.first.Scalar();
      if (!seen.insert(key).second) {
        Error(kv.first.Mark(), "duplicate key '" + Join(where, key) + "'");
      } else if (allowed.count(key) == 0) {
        Error(kv.first.Mark(), "unknown key '" + Join(where, key) + "'" + Suggest(key, allowed));
      }
    }
    return true;
  }

  // Scalar accessors: leave `*out` untouched (the default) when the key is absent.
  void String(const YAML::Node& parent, const std::string& where, const std::string& key,
              std::string* out, bool required = false) {
    YAML::Node n = parent[key];
    if (!n) {
      if (required) Error(parent.Mark(), "missing required key '" + Join(where, key) + "'");
      return;
    }
    if (!n.IsScalar() || n.Scalar().empty()) {
      Error(n.Mark(), "'" + Join(where, key) + "' must be a non-empty string");
      return;
    }
    *out = n.Scalar();
  }

  void Bool(const YAML::Node& parent, const std::string& where, const std::string& key, bool* out) {
    YAML::Node n = parent[key];
    if (!n) return;
    bool v;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
      Error(n.Mark(), "'" + Join(where, key) + "' must be true or false");
      return;
    }
    *out = v;
  }

  void Duration(const YAML::Node& parent, const std::string& where, const std::string& key,
                milliseconds* out) {
    YAML::Node n = parent[key];
    if (!n) return;
    if (!n.IsScalar()) {
      Error(n.Mark(), "'" + Join(where, key) + "' must be a duration such as 30s, 5m or 2h");
      return;
    }
    auto d = ParseDuration(n.Scalar());
    if (!d.ok()) {
      Error(n.Mark(), "'" + Join(where, key) + "': " + d.status().message());
      return;
    }
    *out = *d;
  }

  // Remembers where a key was, for checks made after reading.
  YAML::Mark MarkOf(const YAML::Node& parent, const std::string& key) {
    YAML::Node n = parent[key];
    return n ? n.Mark() : parent.Mark();
  }

  static std::string Join(const std::string& where, const std::string& key) {
    return where.empty() ? key : where + "." + key;
  }

 private:
  void Add(Diagnostic::Severity sev, const YAML::Mark& mark, std::string msg) {
    Diagnostic d;
    d.severity = sev;
    d.file = file_;
    d.line = mark.line >= 0 ? mark.line + 1 : 0;
    d.column = mark.column >= 0 ? mark.column + 1 : 0;
    d.message = std::move(msg);
    out_->push_back(std::move(d));
  }

  // "did you mean" for keys one or two edits away from a known key.
  static std::string Suggest(const std::string& key, const std::set<std::string>& allowed) {
    for (const auto& a : allowed) {
      if (EditDistance(key, a) <= 2) return "; did you mean '" + a + "'?";
    }
    if (allowed.empty()) return "";
    std::string known;
    for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
    return " (known keys: " + known + ")";
  }

  static size_t EditDistance(const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      }
      std::swap(prev, cur);
    }
    return prev[b.size()];
  }

  std::string file_;
  std::vector<Diagnostic>* out_;
};

bool ParseListen(const std::string& text, ListenAddress* out, std::string* why) {
  std::string host, port;
  if (!text.empty() && text[0] == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      *why = "write an IPv6 address as [::1]:8080";
      return false;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) {
      *why = "write address:port, e.g. 127.0.0.1:8080";
      return false;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned char buf[16];
  bool v4 = inet_pton(AF_INET, host.c_str(), buf) == 1;
  bool v6 = inet_pton(AF_INET6, host.c_str(), buf) == 1;
  if (!v4 && !v6) {
    *why = "'" + host + "' is not an IP address (use 127.0.0.1, 0.0.0.0 or [::1])";
    return false;
  }
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
      std::stoi(port) > 65535) {
    *why = "port must be a number from 0 to 65535";
    return false;
  }
  out->host = host;
  out->port = static_cast<uint16_t>(std::stoi(port));
  return true;
}

std::string ResolveRelative(const std::string& base_dir, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute() || p == ":memory:") return p;
  return (fs::path(base_dir) / p).lexically_normal().string();
}

// A secret named in the configuration. Inside the unit a bare name is a systemd credential
// ($CREDENTIALS_DIRECTORY; ReadSecretFile resolves it). Outside it — one-shot commands run
// from a shell — "token_NAME" is the file credentials/NAME beside this configuration, the
// folder the unit loads credentials from; anything else is a path relative to this file.
std::string ResolveSecretName(const std::string& base_dir, const std::string& name) {
  const bool bare = name.find('/') == std::string::npos;
  const char* creds = std::getenv("CREDENTIALS_DIRECTORY");
  if (bare && creds != nullptr && *creds != '\0') return name;
  if (bare && name.rfind("token_", 0) == 0) {
    const fs::path file = fs::path(base_dir) / "credentials" / name.substr(6);
    std::error_code ec;
    if (fs::exists(file, ec)) return file.lexically_normal().string();
  }
  return ResolveRelative(base_dir, name);
}

void ReadSource(Reader& r, const YAML::Node& node, const std::string& name, SourceConfig* s,
                const std::string& base_dir) {
  const std::string where = "sources." + name;
  std::set<std::string> keys = {"enabled", "base_url", "poll_interval"};
  std::string id_key, token_key;
  if (name == "x") {
    id_key = "user_id";
    token_key = "bearer_token_file";
    keys.insert("search_query");
    keys.insert("reply_token_file");
  } else if (name == "facebook") {
    id_key = "page_id";
    token_key = "access_token_file";
  } else {
    id_key = "user_id";
    token_key = "access_token_file";
    keys.insert("webhook");
  }
  keys.insert(id_key);
  keys.insert(token_key);
  if (!r.Mapping(node, where, keys)) return;

  r.Bool(node, where, "enabled", &s->enabled);
  r.String(node, where, "base_url", &s->base_url);
  // Ids are strings: platform ids overflow 53-bit numbers, so YAML ints are kept verbatim.
  r.String(node, where, id_key, &s->account_id, s->enabled);
  r.String(node, where, token_key, &s->token_file, s->enabled);
  if (name == "x") {
    r.String(node, where, "search_query", &s->search_query);
    r.String(node, where, "reply_token_file", &s->reply_token_file);
  }
  r.Duration(node, where, "poll_interval", &s->poll_interval);

  if (s->base_url.rfind("http://", 0) != 0 && s->base_url.rfind("https://", 0) != 0) {
    r.Error(r.MarkOf(node, "base_url"), "'" + where + ".base_url' must start with https:// (or http:// for a local test server)");
  }
  if (s->poll_interval.count() <= 0) {
    r.Error(r.MarkOf(node, "poll_interval"), "'" + where + ".poll_interval' must be more than 0");
  } else if (s->poll_interval < std::chrono::seconds(30)) {
    r.Warn(r.MarkOf(node, "poll_interval"), "'" + where + ".poll_interval' is under 30s: this spends the platform's quota fast");
  }
  if (name == "instagram" && node["webhook"]) {
    YAML::Node wh = node["webhook"];
    const std::string wwhere = where + ".webhook";
    if (r.Mapping(wh, wwhere, {"verify_token_file", "app_secret_file"})) {
      r.String(wh, wwhere, "verify_token_file", &s->webhook_verify_token_file, true);
      r.String(wh, wwhere, "app_secret_file", &s->webhook_app_secret_file, true);
    }
  }

  // Secret files: checked now so check-config catches them, read later by the daemon.
  auto check_secret = [&](const std::string& key, std::string* file, const YAML::Node& parent) {
    if (file->empty()) return;
    *file = ResolveSecretName(base_dir, *file);
    if (!s->enabled) return;
    std::vector<std::string> warnings;
    auto secret = ReadSecretFile(*file, &warnings);
    if (!secret.ok()) r.Error(r.MarkOf(parent, key), secret.status().message());
    for (auto& w : warnings) r.Warn(r.MarkOf(parent, key), w);
  };
  check_secret(token_key, &s->token_file, node);
  check_secret("reply_token_file", &s->reply_token_file, node);
  if (node["webhook"] && node["webhook"].IsMap()) {
    check_secret("verify_token_file", &s->webhook_verify_token_file, node["webhook"]);
    check_secret("app_secret_file", &s->webhook_app_secret_file, node["webhook"]);
  }
}

void ReadReplies(Reader& r, const YAML::Node& node, RepliesConfig* c) {
  if (!r.Mapping(node, "replies", {"mode", "whatsapp", "situs", "max_age", "per_hour", "templates"})) return;
  r.String(node, "replies", "mode", &c->mode);
  if (c->mode != "off" && c->mode != "review" && c->mode != "auto") {
    r.Error(r.MarkOf(node, "mode"), "'replies.mode' must be off, review or auto");
  }
  r.String(node, "replies", "whatsapp", &c->whatsapp);
  r.String(node, "replies", "situs", &c->situs);
  r.Duration(node, "replies", "max_age", &c->max_age);
  if (YAML::Node n = node["per_hour"]) {
    int v = 0;
    if (!n.IsScalar() || !YAML::convert<int>::decode(n, v) || v < 1 || v > 10000) {
      r.Error(n.Mark(), "'replies.per_hour' must be a whole number from 1 to 10000");
    } else {
      c->per_hour = v;
    }
  }
  YAML::Node t = node["templates"];
  if (!t || !r.Mapping(t, "replies.templates", {"tanda_terima", "kelengkapan", "jawaban_akhir"})) return;
  const std::pair<const char*, std::string*> templates[] = {{"tanda_terima", &c->templates.tanda_terima},
                                                           {"kelengkapan", &c->templates.kelengkapan},
                                                           {"jawaban_akhir", &c->templates.jawaban_akhir}};
  for (const auto& [name, text] : templates) {
    r.String(t, "replies.templates", name, text);
    auto names = TemplatePlaceholders(*text);
    if (!names.ok()) {
      r.Error(r.MarkOf(t, name), "'replies.templates." + std::string(name) + "': " + names.status().message());
      continue;
    }
    const auto& allowed = ReplyPlaceholders(name);
    for (const auto& n : *names) {
      if (std::find(allowed.begin(), allowed.end(), n) != allowed.end()) continue;
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "{" : ", {") + a + "}";
      r.Error(r.MarkOf(t, name), "'replies.templates." + std::string(name) + "' uses {" + n +
                                     "}, which it cannot fill; it may use " + list);
    }
  }
}

// "HH:MM" (24-hour clock) as minutes after midnight; -1 when it is not one.
int ParseTimeOfDay(const std::string& text) {
  if (text.size() != 5 || text[2] != ':' || !std::isdigit(static_cast<unsigned char>(text[0])) ||
      !std::isdigit(static_cast<unsigned char>(text[1])) || !std::isdigit(static_cast<unsigned char>(text[3])) ||
      !std::isdigit(static_cast<unsigned char>(text[4]))) {
    return -1;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

void ReadRetention(Reader& r, const YAML::Node& node, RetentionConfig* c) {
  const std::pair<const char*, milliseconds*> ages[] = {{"non_complaint_posts", &c->non_complaint_posts},
                                                        {"rejected_drafts", &c->rejected_drafts},
                                                        {"webhook_events", &c->webhook_events}};
  if (!r.Mapping(node, "retention", {"non_complaint_posts", "rejected_drafts", "webhook_events", "purge_time"})) return;
  for (const auto& [key, out] : ages) {
    r.Duration(node, "retention", key, out);
    if (out->count() <= 0) {
      r.Error(r.MarkOf(node, key), std::string("'retention.") + key + "' must be more than 0");
    } else if (*out < std::chrono::hours(24)) {
      r.Warn(r.MarkOf(node, key), std::string("'retention.") + key + "' is under 1d: data goes at the next daily purge");
    }
  }
  std::string purge_time;
  r.String(node, "retention", "purge_time", &purge_time);
  if (!purge_time.empty()) {
    const int minute = ParseTimeOfDay(purge_time);
    if (minute < 0) {
      r.Error(r.MarkOf(node, "purge_time"), "'retention.purge_time' must be a time of day HH:MM (WIB), e.g. \"02:30\"");
    } else {
      c->purge_minute = minute;
    }
  }
}

void ReadRoot(Reader& r, const YAML::Node& root, Config* c, const std::string& base_dir) {
  if (!r.Mapping(root, "", {"database", "rules", "http", "log", "daemon", "sources", "network", "sla",
                                    "handoff", "replies", "retention"})) {
    return;
  }

  r.String(root, "", "database", &c->database, true);
  r.String(root, "", "rules", &c->rules, true);
  c->database = ResolveRelative(base_dir, c->database);
  c->rules = ResolveRelative(base_dir, c->rules);
  if (!c->rules.empty() && !fs::exists(c->rules)) {
    r.Error(r.MarkOf(root, "rules"), "rules path " + c->rules + " does not exist");
  }
  if (!c->database.empty() && c->database != ":memory:") {
    fs::path parent = fs::path(c->database).parent_path();
    if (!parent.empty() && !fs::is_directory(parent)) {
      r.Error(r.MarkOf(root, "database"), "folder " + parent.string() + " for the database does not exist");
    }
  }

  if (YAML::Node http = root["http"]) {
    if (r.Mapping(http, "http", {"listen", "secure_cookies"})) {
      std::string listen;
      r.String(http, "http", "listen", &listen);
      std::string why;
      if (!listen.empty() && !ParseListen(listen, &c->http.listen, &why)) {
        r.Error(r.MarkOf(http, "listen"), "'http.listen': " + why);
      }
      r.Bool(http, "http", "secure_cookies", &c->http.secure_cookies);
    }
  }
  if (YAML::Node log = root["log"]) {
    if (r.Mapping(log, "log", {"level"})) {
      r.String(log, "log", "level", &c->log.level);
      if (!IsValidLogLevel(c->log.level)) {
        r.Error(r.MarkOf(log, "level"), "'log.level' must be one of trace, debug, info, warn, error, critical, off");
      }
    }
  }
  if (YAML::Node d = root["daemon"]) {
    if (r.Mapping(d, "daemon", {"shutdown_timeout"})) {
      r.Duration(d, "daemon", "shutdown_timeout", &c->daemon.shutdown_timeout);
    }
  }
  if (YAML::Node net = root["network"]) {
    if (r.Mapping(net, "network", {"proxy"})) {
      r.String(net, "network", "proxy", &c->network.proxy);
      const std::string& p = c->network.proxy;
      if (!p.empty() && p.rfind("http://", 0) != 0 && p.rfind("https://", 0) != 0 && p.rfind("socks5://", 0) != 0) {
        r.Error(r.MarkOf(net, "proxy"), "'network.proxy' must be a URL such as http://proxy.example:3128");
      }
    }
  }
  if (YAML::Node sla = root["sla"]) {
    const std::pair<const char*, milliseconds*> steps[] = {
        {"admin_utama", &c->sla.admin_utama},         {"admin_opd", &c->sla.admin_opd},
        {"pejabat_penghubung", &c->sla.pejabat_penghubung}, {"kepala_opd", &c->sla.kepala_opd},
        {"penghubung_teruskan", &c->sla.penghubung_teruskan}, {"admin_opd_input", &c->sla.admin_opd_input},
        {"total", &c->sla.total}};
    std::set<std::string> keys;
    for (const auto& [k, v] : steps) keys.insert(k);
    if (r.Mapping(sla, "sla", keys)) {
      for (const auto& [k, v] : steps) r.Duration(sla, "sla", k, v);
    }
  }
  if (YAML::Node h = root["handoff"]) {
    if (r.Mapping(h, "handoff", {"sink", "url", "token_file", "open311_service_map", "timeout", "status_poll_interval"})) {
      r.Duration(h, "handoff", "timeout", &c->handoff.timeout);
      r.Duration(h, "handoff", "status_poll_interval", &c->handoff.status_poll_interval);
      if (h["status_poll_interval"] && c->handoff.status_poll_interval < std::chrono::minutes(1)) {
        r.Error(r.MarkOf(h, "status_poll_interval"), "'handoff.status_poll_interval' must be at least 1m");
      }
      r.String(h, "handoff", "sink", &c->handoff.sink);
      r.String(h, "handoff", "url", &c->handoff.url);
      r.String(h, "handoff", "token_file", &c->handoff.token_file);
      const std::string& sink = c->handoff.sink;
      if (!sink.empty() && sink != "http-json" && sink != "open311") {
        r.Error(r.MarkOf(h, "sink"), "'handoff.sink' must be http-json or open311");
      }
      const std::string& url = c->handoff.url;
      if (!sink.empty() && url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
        r.Error(h["url"] ? r.MarkOf(h, "url") : h.Mark(), "'handoff.url' must be an http(s) URL when a sink is set");
      }
      if (!c->handoff.token_file.empty()) {
        c->handoff.token_file = ResolveSecretName(base_dir, c->handoff.token_file);
        if (!sink.empty()) {
          std::vector<std::string> warnings;
          auto secret = ReadSecretFile(c->handoff.token_file, &warnings);
          if (!secret.ok()) r.Error(r.MarkOf(h, "token_file"), secret.status().message());
          for (auto& w : warnings) r.Warn(r.MarkOf(h, "token_file"), w);
        }
      }
      if (YAML::Node m = h["open311_service_map"]) {
        if (!m.IsMap()) {
          r.Error(m.Mark(), "'handoff.open311_service_map' must map OPD or OPD/kategori to a service_code");
        } else {
          for (const auto& kv : m) {
            if (!kv.second.IsScalar()) {
              r.Error(kv.second.Mark(), "'handoff.open311_service_map." + kv.first.as<std::string>() + "' must be a service_code");
              continue;
            }
            c->handoff.open311_service_map.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
          }
        }
      }
      if (h["status_poll_interval"] && sink != "open311") {
        r.Warn(r.MarkOf(h, "status_poll_interval"), "'handoff.status_poll_interval' is used only with 'sink: open311'");
      }
      if (sink == "open311" && c->handoff.open311_service_map.empty()) {
        r.Error(r.MarkOf(h, "sink"), "'handoff.sink: open311' needs 'handoff.open311_service_map'");
      }
    }
  }
  if (YAML::Node replies = root["replies"]) ReadReplies(r, replies, &c->replies);
  if (YAML::Node ret = root["retention"]) ReadRetention(r, ret, &c->retention);
  if (YAML::Node sources = root["sources"]) {
    if (r.Mapping(sources, "sources", {"x", "facebook", "instagram"})) {
      if (sources["x"]) ReadSource(r, sources["x"], "x", &c->sources.x, base_dir);
      if (sources["facebook"]) ReadSource(r, sources["facebook"], "facebook", &c->sources.facebook, base_dir);
      if (sources["instagram"]) ReadSource(r, sources["instagram"], "instagram", &c->sources.instagram, base_dir);
    }
  }
}

}  // namespace

const std::vector<std::string>& ReplyPlaceholders(const std::string& template_name) {
  // No placeholder carries the complainant's name, address or phone: replies are public.
  static const std::vector<std::string> kTandaTerima = {"tiket", "opd"};
  static const std::vector<std::string> kKelengkapan = {"kolom", "whatsapp", "situs"};
  static const std::vector<std::string> kJawaban = {"tiket", "opd", "jawaban"};
  static const std::vector<std::string> kNone;
  if (template_name == "tanda_terima") return kTandaTerima;
  if (template_name == "kelengkapan") return kKelengkapan;
  if (template_name == "jawaban_akhir") return kJawaban;
  return kNone;
}

std::string ListenAddress::ToString() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::string Diagnostic::ToString() const {
  std::ostringstream o;
  o << file << ":" << line << ":" << column << ": "
    << (severity == Severity::kWarning ? "warning: " : "") << message;
  return o.str();
}

bool LoadResult::ok() const {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::kError; });
}

LoadResult LoadConfigText(const std::string& text, const std::string& name) {
  LoadResult result;
  result.config.path = name;
  Reader r(name, &result.diagnostics);
  const std::string base_dir = fs::path(name).parent_path().string();
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    r.Error(e.mark, "YAML syntax error: " + e.msg);
    return result;
  } catch (const YAML::Exception& e) {
    r.Error(e.mark, "YAML error: " + e.msg);
    return result;
  }
  if (!root || root.IsNull()) {
    r.Error(YAML::Mark(), "the file is empty; it needs at least 'database' and 'rules'");
    return result;
  }
  try {
    ReadRoot(r, root, &result.config, base_dir);
  } catch (const YAML::Exception& e) {  // defensive: yaml-cpp throws on odd trees
    r.Error(e.mark, "YAML error: " + e.msg);
  } catch (const fs::filesystem_error& e) {
    r.Error(YAML::Mark(), e.what());
  }
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  return result;
}

LoadResult LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.config.path = path;
    result.diagnostics.push_back({Diagnostic::Severity::kError, path, 0, 0,
                                  "cannot open the configuration file (does it exist, and may sambatd read it?)"});
    return result;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return LoadConfigText(buf.str(), path);
}

}  // namespace sambat::config
