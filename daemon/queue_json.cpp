#include "daemon/queue_json.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <ctime>

#include "classifier/normalizer.h"

namespace sambat::daemon {

std::string IsoTime(int64_t ms) {
  time_t s = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string DraftsToJson(const std::vector<db::DraftView>& drafts) {
  rapidjson::StringBuffer b;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(b);
  auto str = [&](const std::string& s) {
    const std::string safe = classifier::RepairUtf8(s);
    w.String(safe.data(), static_cast<rapidjson::SizeType>(safe.size()));
  };
  auto opt = [&](const char* key, const std::optional<std::string>& v) {
    w.Key(key);
    v ? str(*v) : (void)w.Null();
  };
  auto raw_array = [&](const char* key, const std::string& json) {
    w.Key(key);
    rapidjson::Document d;
    d.Parse(json.c_str());
    if (d.HasParseError() || !d.IsArray()) {
      w.StartArray();
      w.EndArray();
    } else {
      d.Accept(w);
    }
  };
  w.StartArray();
  for (const auto& d : drafts) {
    w.StartObject();
    w.Key("id");
    w.Int64(d.id);
    w.Key("status");
    str(d.status);
    w.Key("kanal");
    str(d.kanal);
    w.Key("platform_post_id");
    str(d.platform_id);
    opt("nama", d.nama);
    opt("alamat", d.alamat);
    w.Key("pesan");
    str(d.pesan);
    raw_array("opd_candidates", d.opd_candidates_json);
    opt("opd", d.opd);
    opt("kategori", d.kategori);
    opt("kecamatan", d.kecamatan);
    opt("desa", d.desa);
    opt("url", d.url);
    raw_array("missing_fields", d.missing_fields_json);
    w.Key("created");
    str(IsoTime(d.created_at));
    w.Key("sla_due");
    str(IsoTime(d.sla_due_at));
    w.Key("duplicate_group");
    d.duplicate_group ? (void)w.Int64(*d.duplicate_group) : (void)w.Null();
    w.Key("version");
    w.Int64(d.version);
    w.EndObject();
  }
  w.EndArray();
  return b.GetString();
}

}  // namespace sambat::daemon
