#include "classifier/result_json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace sambat::classifier {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr size_t kMaxLineBytes = 4 << 20;

void Str(Writer& w, std::string_view s) {
  const std::string safe = RepairUtf8(s);  // posts are hostile: never emit broken JSON
  w.String(safe.data(), static_cast<rapidjson::SizeType>(safe.size()));
}

std::string IdJson(const rapidjson::Value& v) {
  if (!(v.IsString() || v.IsNumber())) return "null";
  rapidjson::StringBuffer b;
  Writer w(b);
  v.Accept(w);
  return b.GetString();
}

void WriteLocation(Writer& w, const Location& l) {
  w.StartObject();
  w.Key("kecamatan");
  l.kecamatan ? Str(w, *l.kecamatan) : (void)w.Null();
  w.Key("desa");
  l.desa ? Str(w, *l.desa) : (void)w.Null();
  if (!l.candidates.empty()) {
    w.Key("candidates");
    w.StartArray();
    for (const auto& c : l.candidates) Str(w, c);
    w.EndArray();
  }
  w.EndObject();
}

void WriteOpds(Writer& w, const Classification& r) {
  w.Key("opd");
  w.StartArray();
  for (const auto& o : r.opd) {
    w.StartObject();
    w.Key("code");
    Str(w, o.code);
    w.Key("score");
    w.Double(o.score);
    w.EndObject();
  }
  w.EndArray();
}

// complaint, score, opd, kategori, location: what both JSON shapes start with.
void WriteSummary(Writer& w, const Classification& r) {
  w.Key("complaint");
  w.Bool(r.complaint);
  w.Key("score");
  w.Double(r.score);
  WriteOpds(w, r);
  w.Key("kategori");
  Str(w, r.kategori);
  w.Key("location");
  WriteLocation(w, r.location);
}

}  // namespace

std::string OpdScoresJson(const Classification& r) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  WriteOpds(w, r);  // writes "opd": [...]
  w.EndObject();
  std::string s = b.GetString();
  // {"opd":[...]} → [...]
  return s.substr(7, s.size() - 8);
}

std::optional<InputLine> ParseInputLine(std::string_view line, std::string* error, std::string* id_json) {
  *id_json = "null";
  if (line.size() > kMaxLineBytes) {
    *error = "line longer than 4 MiB";
    return std::nullopt;
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(line.data(), line.size());
  if (doc.HasParseError()) {
    *error = std::string("not valid JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
             std::to_string(doc.GetErrorOffset());
    return std::nullopt;
  }
  if (!doc.IsObject()) {
    *error = "expected an object like {\"id\": 1, \"text\": \"...\"}";
    return std::nullopt;
  }
  InputLine in;
  if (doc.HasMember("id")) in.id_json = IdJson(doc["id"]);
  *id_json = in.id_json;
  if (!doc.HasMember("text") || !doc["text"].IsString()) {
    *error = "missing \"text\" (a string)";
    return std::nullopt;
  }
  in.text.assign(doc["text"].GetString(), doc["text"].GetStringLength());
  return in;
}

std::string ClassifyJsonLine(const Classifier& c, std::string_view line) {
  std::string error, id_json;
  auto in = ParseInputLine(line, &error, &id_json);
  rapidjson::StringBuffer b;
  Writer w(b);
  if (!in) {
    w.StartObject();
    w.Key("id");
    w.RawValue(id_json.data(), id_json.size(), rapidjson::kNullType);
    w.Key("error");
    Str(w, error);
    w.EndObject();
    return b.GetString();
  }
  Classification r = c.Classify(in->text);
  w.StartObject();
  w.Key("id");
  w.RawValue(in->id_json.data(), in->id_json.size(), rapidjson::kStringType);
  WriteSummary(w, r);
  w.Key("rules");
  w.StartArray();
  for (const auto& m : r.rules) Str(w, m.id);
  w.EndArray();
  w.EndObject();
  return b.GetString();
}

std::string ClassificationToJson(const Classification& r) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  WriteSummary(w, r);
  w.Key("threshold");
  w.Double(r.threshold);
  w.Key("rules");
  w.StartArray();
  for (const auto& m : r.rules) {
    w.StartObject();
    w.Key("id");
    Str(w, m.id);
    w.Key("kind");
    w.String(RuleKindName(m.kind));
    w.Key("weight");
    w.Double(m.weight);
    if (!m.opd.empty()) {
      w.Key("opd");
      Str(w, m.opd);
    }
    w.Key("spans");
    w.StartArray();
    for (const auto& [b0, e0] : m.spans) {
      w.StartArray();
      w.Uint(b0);
      w.Uint(e0);
      w.EndArray();
    }
    w.EndArray();
    w.Key("texts");
    w.StartArray();
    for (const auto& t : m.texts) Str(w, t);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  if (!r.note.empty()) {
    w.Key("note");
    Str(w, r.note);
  }
  w.EndObject();
  return b.GetString();
}

}  // namespace sambat::classifier
