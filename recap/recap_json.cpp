#include "recap/recap_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base/utf8.h"
#include "recap/recap_labels.h"

namespace sambat::recap {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Values typed by people may be anything: the JSON stays valid UTF-8.
void Str(Writer& w, std::string_view s) {
  const std::string safe = RepairUtf8(s);
  w.String(safe.data(), static_cast<rapidjson::SizeType>(safe.size()));
}

void OptStr(Writer& w, const std::optional<std::string>& s) {
  if (s) Str(w, *s);
  else w.Null();
}

void OptInt(Writer& w, const std::optional<int64_t>& v) {
  if (v) w.Int64(*v);
  else w.Null();
}

void Counts(Writer& w, const db::RecapCounts& c) {
  const std::pair<const char*, int64_t> fields[] = {{"total", c.total},         {"pending", c.pending},
                                                    {"confirmed", c.confirmed}, {"returned", c.returned},
                                                    {"rejected", c.rejected},   {"duplicate", c.duplicate}};
  for (const auto& [k, v] : fields) {
    w.Key(k);
    w.Int64(v);
  }
}

void Breakdown(Writer& w, const char* key, const std::vector<db::RecapRow>& rows) {
  w.Key(key);
  w.StartArray();
  for (const auto& r : rows) {
    w.StartObject();
    w.Key("key");
    OptStr(w, r.key);
    Counts(w, r.counts);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string RecapToJson(const db::Recap& r) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("month");
  Str(w, r.period.month);
  w.Key("period");
  w.StartObject();
  w.Key("start");
  Str(w, IsoUtc(r.period.start_ms));
  w.Key("end");
  Str(w, IsoUtc(r.period.end_ms));
  w.Key("days");
  w.Int(r.period.days);
  w.Key("timezone");
  w.String("WIB (UTC+7)");
  w.EndObject();
  w.Key("generated_at");
  Str(w, IsoUtc(r.generated_at));
  w.Key("totals");
  w.StartObject();
  Counts(w, r.totals);
  w.EndObject();
  w.Key("returned_by_opd");
  w.Int64(r.returned_by_opd);
  w.Key("capture_to_confirm");
  w.StartObject();
  w.Key("count");
  w.Int64(r.capture_to_confirm.count);
  w.Key("median_ms");
  OptInt(w, r.capture_to_confirm.median_ms);
  w.Key("p90_ms");
  OptInt(w, r.capture_to_confirm.p90_ms);
  w.EndObject();
  Breakdown(w, "by_opd", r.by_opd);
  Breakdown(w, "by_kanal", r.by_kanal);
  Breakdown(w, "by_kategori", r.by_kategori);
  Breakdown(w, "by_kecamatan", r.by_kecamatan);
  w.Key("by_status");
  w.StartArray();
  const std::pair<const char*, int64_t> statuses[] = {{"confirmed", r.totals.confirmed}, {"rejected", r.totals.rejected},
                                                      {"returned", r.totals.returned},   {"duplicate", r.totals.duplicate},
                                                      {"pending", r.totals.pending}};
  for (const auto& [status, n] : statuses) {
    w.StartObject();
    w.Key("status");
    w.String(status);
    w.Key("count");
    w.Int64(n);
    w.EndObject();
  }
  w.EndArray();
  w.Key("sla");
  w.StartArray();
  for (const auto& s : r.sla) {
    w.StartObject();
    w.Key("stage");
    Str(w, s.stage);
    w.Key("limit_ms");
    w.Int64(s.limit_ms);
    w.Key("met");
    w.Int64(s.met);
    w.Key("late");
    w.Int64(s.late);
    w.Key("open");
    w.Int64(s.open);
    w.EndObject();
  }
  w.EndArray();
  w.Key("top_locations");
  w.StartArray();
  for (const auto& l : r.top_locations) {
    w.StartObject();
    w.Key("kecamatan");
    Str(w, l.kecamatan);
    w.Key("desa");
    OptStr(w, l.desa);
    w.Key("count");
    w.Int64(l.count);
    w.EndObject();
  }
  w.EndArray();
  w.Key("daily");
  w.StartArray();
  for (const auto& d : r.daily) {
    w.StartObject();
    w.Key("date");
    Str(w, d.date);
    w.Key("captured");
    w.Int64(d.captured);
    w.Key("confirmed");
    w.Int64(d.confirmed);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return b.GetString();
}

}  // namespace sambat::recap
