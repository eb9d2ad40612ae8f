#include "classifier/explain.h"

#include <cstdio>

namespace sambat::classifier {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

const char* KindName(RuleKind k) {
  switch (k) {
    case RuleKind::kSignal: return "sinyal aduan";
    case RuleKind::kTopic: return "topik";
    case RuleKind::kSuppressor: return "penekan";
  }
  return "";
}

}  // namespace

std::string ExplainIndonesian(const Classifier& c, const Classification& r, std::string_view original) {
  std::string s;
  s += r.complaint ? "Aduan: YA" : "Aduan: TIDAK";
  s += " (skor " + Num(r.score) + ", ambang " + Num(r.threshold) + ")\n";
  if (!r.complaint) {
    bool topic = false;
    for (const auto& m : r.rules) topic |= m.kind == RuleKind::kTopic;
    s += topic ? "  Skor di bawah ambang.\n" : "  Tidak ada aturan topik layanan publik yang cocok.\n";
  }
  if (!r.opd.empty()) {
    s += "OPD usulan:\n";
    for (size_t i = 0; i < r.opd.size(); ++i) {
      const Opd* o = c.FindOpd(r.opd[i].code);
      s += "  " + std::to_string(i + 1) + ". " + r.opd[i].code + (o ? " — " + o->name : "") + " (skor " +
           Num(r.opd[i].score) + ")\n";
    }
    s += "Kategori: " + r.kategori + "\n";
  }
  s += "Lokasi: ";
  if (r.location.kecamatan || r.location.desa) {
    if (r.location.desa) s += "Desa/Kel. " + *r.location.desa + ", ";
    if (r.location.kecamatan) s += "Kec. " + *r.location.kecamatan;
    s += " (dari \"" + r.location.matched + "\")\n";
  } else if (!r.location.candidates.empty()) {
    s += "belum pasti, \"" + r.location.matched + "\" bisa berarti:";
    for (const auto& cand : r.location.candidates) s += " " + cand + ";";
    s += "\n";
  } else {
    s += "tidak disebutkan\n";
  }
  if (!r.rules.empty()) {
    s += "Aturan yang cocok:\n";
    for (const auto& m : r.rules) {
      s += m.kind == RuleKind::kSuppressor ? "  - " : "  + ";
      s += m.id + " (" + KindName(m.kind) + (m.opd.empty() ? "" : ", " + m.opd) + ", bobot " + Num(m.weight) + "):";
      for (const auto& t : m.texts) s += " \"" + RepairUtf8(t) + "\"";
      s += "\n";
    }
  }
  if (!r.note.empty()) s += "Catatan: " + r.note + "\n";
  s += "Teks setelah normalisasi: " + c.normalizer().Normalize(original).text + "\n";
  return s;
}

}  // namespace sambat::classifier
