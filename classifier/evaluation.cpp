#include "classifier/evaluation.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>

namespace sambat::classifier {

EvaluationReport Evaluate(const Classifier& c, std::istream& in) {
  EvaluationReport rep;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++rep.lines;
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("text") || !doc["text"].IsString() ||
        !doc.HasMember("complaint") || !doc["complaint"].IsBool()) {
      ++rep.bad_lines;
      continue;
    }
    const std::string text = doc["text"].GetString();
    const bool truth = doc["complaint"].GetBool();
    std::vector<std::string> opds;
    if (doc.HasMember("opd") && doc["opd"].IsArray()) {
      for (const auto& v : doc["opd"].GetArray()) {
        if (v.IsString()) opds.emplace_back(v.GetString());
      }
    }
    std::optional<std::string> kec;
    if (doc.HasMember("kecamatan") && doc["kecamatan"].IsString()) kec = doc["kecamatan"].GetString();
    std::string id = doc.HasMember("id") && doc["id"].IsString() ? doc["id"].GetString() : std::to_string(rep.lines);

    Classification r = c.Classify(text);
    if (truth && r.complaint) ++rep.tp;
    if (!truth && r.complaint) ++rep.fp;
    if (truth && !r.complaint) ++rep.fn;
    if (!truth && !r.complaint) ++rep.tn;
    if (truth != r.complaint) {
      rep.errors += id + (truth ? " missed: " : " false alarm: ") + text.substr(0, 140) + "\n";
    }
    if (truth && !opds.empty()) {
      ++rep.opd_total;
      auto ok = [&](size_t i) { return i < r.opd.size() && std::count(opds.begin(), opds.end(), r.opd[i].code); };
      if (ok(0)) ++rep.opd_top1;
      else rep.errors += id + " opd " + (r.opd.empty() ? "-" : r.opd[0].code) + " want " + opds[0] + ": " + text.substr(0, 140) + "\n";
      if (ok(0) || ok(1) || ok(2)) ++rep.opd_top3;
    }
    if (truth) {
      ++rep.kec_total;
      if (r.location.kecamatan == kec) ++rep.kec_correct;
      else rep.errors += id + " kecamatan " + r.location.kecamatan.value_or("null") + " want " + kec.value_or("null") + ": " + text.substr(0, 140) + "\n";
    }
  }
  return rep;
}

std::string FormatReport(const EvaluationReport& r) {
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "posts            %d (%d unreadable)\n"
                "complaints       tp %d  fp %d  fn %d  tn %d\n"
                "precision        %.3f\n"
                "recall           %.3f\n"
                "F1               %.3f\n"
                "OPD top-1        %.3f  (%d/%d)\n"
                "OPD top-3        %.3f  (%d/%d)\n"
                "kecamatan        %.3f  (%d/%d)\n",
                r.lines, r.bad_lines, r.tp, r.fp, r.fn, r.tn, r.precision(), r.recall(), r.f1(), r.top1(),
                r.opd_top1, r.opd_total, r.top3(), r.opd_top3, r.opd_total, r.kecamatan(), r.kec_correct,
                r.kec_total);
  return buf;
}

}  // namespace sambat::classifier
