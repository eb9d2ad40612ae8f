#include "web/draft_json.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/utf8.h"

namespace sambat::web {

namespace {

// Bytes of the first `max_chars` characters of valid UTF-8 `s`.
size_t CutAt(std::string_view s, size_t max_chars) {
  size_t i = 0, chars = 0;
  while (i < s.size() && chars < max_chars) {
    i += std::max<size_t>(1, Utf8SequenceLength(s, i));
    ++chars;
  }
  return std::min(i, s.size());
}

// The first `max_chars` characters (not bytes) of `text`, with "…" when cut; no copy when the
// text is valid UTF-8 and short (the queue listing's common case).
void WriteSnippet(JsonOut& j, const std::string& text, size_t max_chars) {
  if (!IsValidUtf8(text)) return WriteSnippet(j, RepairUtf8(text), max_chars);
  const size_t cut = CutAt(text, max_chars);
  if (cut == text.size()) {
    j.Str(text);
  } else {
    j.Str(text.substr(0, cut) + "…");
  }
}

}  // namespace

void WriteDraftItem(JsonOut& j, const db::DraftView& d) {
  j.BeginObject();
  j.Key("id").Int(d.id).Key("version").Int(d.version).Key("status").Str(d.status).Key("kanal").Str(d.kanal);
  j.Key("nama").Opt(d.nama).Key("alamat").Opt(d.alamat).Key("cuplikan");
  WriteSnippet(j, d.pesan, 200);
  j.Key("opd").Opt(d.opd).Key("opd_candidates").TrustedArray(d.opd_candidates_json);
  j.Key("kategori").Opt(d.kategori).Key("kecamatan").Opt(d.kecamatan).Key("desa").Opt(d.desa).Key("url").Opt(d.url);
  j.Key("missing_fields").TrustedArray(d.missing_fields_json);
  j.Key("created").Time(d.created_at).Key("sla_due").Time(d.sla_due_at);
  j.Key("duplicate_group").OptInt(d.duplicate_group).Key("returned_by_opd").Bool(d.returned_by_opd);
}

std::vector<TextSegment> SegmentsOf(const std::string& text, const std::string& rules_json) {
  // Boundaries where the set of covering rules changes.
  std::map<size_t, std::vector<std::pair<std::string, int>>> events;  // offset -> (rule, +1/-1)
  rapidjson::Document d;
  d.Parse(rules_json.c_str(), rules_json.size());
  auto boundary = [&](size_t at) {
    at = std::min(at, text.size());
    while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    return at;
  };
  if (!d.HasParseError() && d.IsArray()) {
    for (const auto& r : d.GetArray()) {
      if (!r.IsObject() || !r.HasMember("id") || !r["id"].IsString() || !r.HasMember("spans") || !r["spans"].IsArray()) continue;
      const std::string id = r["id"].GetString();
      for (const auto& sp : r["spans"].GetArray()) {
        if (!sp.IsArray() || sp.Size() != 2 || !sp[0].IsUint64() || !sp[1].IsUint64()) continue;
        const size_t b = boundary(sp[0].GetUint64()), e = boundary(sp[1].GetUint64());
        if (b >= e) continue;
        events[b].push_back({id, +1});
        events[e].push_back({id, -1});
      }
    }
  }
  std::vector<TextSegment> out;
  std::multiset<std::string> active;
  size_t at = 0;
  auto emit = [&](size_t end) {
    if (end <= at) return;
    std::set<std::string> unique(active.begin(), active.end());
    TextSegment seg{RepairUtf8(std::string_view(text).substr(at, end - at)), {unique.begin(), unique.end()}};
    if (!out.empty() && out.back().rules == seg.rules) out.back().text += seg.text;
    else out.push_back(std::move(seg));
    at = end;
  };
  for (const auto& [offset, changes] : events) {
    emit(offset);
    for (const auto& [id, delta] : changes) {
      if (delta > 0) active.insert(id);
      else if (auto it = active.find(id); it != active.end()) active.erase(it);
    }
  }
  emit(text.size());
  return out;
}

std::string DraftDetailJson(const db::DraftDetail& dd, const SopLimits& limits, int64_t now_ms) {
  JsonOut j;
  j.BeginObject();
  j.Key("draft");
  WriteDraftItem(j, dd.draft);
  j.Key("pesan").Str(dd.draft.pesan).Key("nama_from_profile").Bool(dd.nama_from_profile);
  j.Key("lampiran").Raw(dd.lampiran_json, "[]");
  j.Key("decided_by").Opt(dd.decided_by).Key("decided_at").OptTime(dd.decided_at);
  j.Key("decision_reason").Opt(dd.decision_reason).Key("duplicate_of").OptInt(dd.duplicate_of);
  j.EndObject();

  const auto& p = dd.post;
  j.Key("post").BeginObject();
  j.Key("platform").Str(p.platform).Key("platform_id").Str(p.platform_id).Key("kind").Str(p.kind);
  j.Key("author_id").Opt(p.author_id).Key("author_handle").Opt(p.author_handle).Key("author_name").Opt(p.author_name);
  j.Key("text").Str(p.text).Key("url").Opt(p.url).Key("created").OptTime(p.created_at);
  j.EndObject();

  j.Key("match");
  if (!dd.classification) {
    j.Null();
  } else {
    const auto& c = *dd.classification;
    j.BeginObject();
    j.Key("is_complaint").Bool(c.is_complaint).Key("score").Num(c.score).Key("threshold").Num(c.threshold);
    j.Key("segments").BeginArray();
    for (const auto& s : SegmentsOf(p.text, c.rules_json)) {
      j.BeginObject().Key("text").Str(s.text).Key("rules").BeginArray();
      for (const auto& r : s.rules) j.Str(r);
      j.EndArray().EndObject();
    }
    j.EndArray();
    j.Key("rules").BeginArray();
    rapidjson::Document rules;
    rules.Parse(c.rules_json.c_str(), c.rules_json.size());
    if (!rules.HasParseError() && rules.IsArray()) {
      for (const auto& r : rules.GetArray()) {
        if (!r.IsObject()) continue;
        auto str = [&](const char* k) { return r.HasMember(k) && r[k].IsString() ? std::string(r[k].GetString()) : std::string(); };
        j.BeginObject().Key("id").Str(str("id")).Key("kind").Str(str("kind")).Key("weight");
        if (r.HasMember("weight") && r["weight"].IsNumber()) j.Num(r["weight"].GetDouble());
        else j.Null();
        j.EndObject();
      }
    }
    j.EndArray();
    j.Key("location");
    if (c.location_json) j.Raw(*c.location_json);
    else j.Null();
    j.EndObject();
  }

  j.Key("group").BeginArray();
  for (const auto& g : dd.group) {
    j.BeginObject().Key("id").Int(g.id).Key("status").Str(g.status).Key("kanal").Str(g.kanal);
    j.Key("cuplikan");
    WriteSnippet(j, g.pesan, 120);
    j.Key("created").Time(g.created_at).EndObject();
  }
  j.EndArray();

  j.Key("audit").BeginArray();
  for (const auto& a : dd.audit) {
    j.BeginObject().Key("at").Time(a.at).Key("actor").Str(a.actor).Key("action").Str(a.action);
    j.Key("before");
    if (a.before_json) j.Raw(*a.before_json);
    else j.Null();
    j.Key("after");
    if (a.after_json) j.Raw(*a.after_json);
    else j.Null();
    j.Key("reason").Opt(a.reason).EndObject();
  }
  j.EndArray();

  j.Key("handoff");
  if (dd.handoff) {
    const auto& h = *dd.handoff;
    j.BeginObject().Key("id").Int(h.id).Key("status").Str(h.status).Key("attempts").Int(h.attempts);
    j.Key("ticket").Opt(h.external_ref).Key("last_error").Opt(h.last_error);
    j.Key("delivered_at").OptTime(h.delivered_at).Key("next_attempt").Time(h.next_attempt_at).EndObject();
  } else {
    j.Null();
  }
  j.Key("replies").BeginArray();
  for (const auto& r : dd.replies) {
    rapidjson::Document p;
    p.Parse(r.payload_json.c_str(), r.payload_json.size());
    auto field = [&](const char* k) -> std::optional<std::string> {
      if (!p.IsObject() || !p.HasMember(k) || !p[k].IsString()) return std::nullopt;
      return std::string(p[k].GetString(), p[k].GetStringLength());
    };
    j.BeginObject().Key("id").Int(r.id).Key("status").Str(r.status).Key("template").Opt(field("template"));
    j.Key("text").Opt(field("text")).Key("reply_id").Opt(r.external_ref).Key("last_error").Opt(r.last_error);
    j.Key("created").Time(r.created_at).Key("delivered_at").OptTime(r.delivered_at).EndObject();
  }
  j.EndArray();
  j.Key("disposisi").BeginArray();
  std::vector<std::pair<std::string, int64_t>> reports;
  for (const auto& s : dd.steps) {
    j.BeginObject().Key("step").Str(s.step).Key("at").Time(s.at).Key("note").Opt(s.note).EndObject();
    reports.emplace_back(s.step, s.at);
  }
  j.EndArray();
  const bool confirmed = dd.draft.status == "confirmed";
  const SopTimeline t = ComputeSopTimeline(dd.draft.created_at, confirmed ? dd.decided_at : std::nullopt,
                                           std::move(reports), limits, now_ms);
  j.Key("sop").BeginObject().Key("stages").BeginArray();
  for (const auto& s : t.stages) {
    j.BeginObject().Key("stage").Str(s.stage).Key("due").Time(s.due_ms).Key("done").OptTime(s.done_ms);
    j.Key("late").Bool(s.late).EndObject();
  }
  j.EndArray().Key("total_due").Time(t.total_due_ms).Key("total_late").Bool(t.total_late);
  j.Key("overdue_stage").Opt(t.overdue_stage).EndObject();
  j.EndObject();
  return j.Take();
}

}  // namespace sambat::web
