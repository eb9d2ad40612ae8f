// Scores the classifier on a labelled JSONL: the classify input plus "complaint" (bool),
// "opd" (acceptable codes, best first) and "kecamatan" (name or null).
#pragma once

#include <istream>
#include <string>

#include "classifier/classifier.h"

namespace sambat::classifier {

struct EvaluationReport {
  int lines = 0, bad_lines = 0;
  int tp = 0, fp = 0, fn = 0, tn = 0;
  int opd_total = 0, opd_top1 = 0, opd_top3 = 0;  // over labelled complaints with codes
  int kec_total = 0, kec_correct = 0;             // over labelled complaints; null must match null
  double precision() const { return tp + fp ? double(tp) / (tp + fp) : 0; }
  double recall() const { return tp + fn ? double(tp) / (tp + fn) : 0; }
  double f1() const { return precision() + recall() ? 2 * precision() * recall() / (precision() + recall()) : 0; }
  double top1() const { return opd_total ? double(opd_top1) / opd_total : 0; }
  double top3() const { return opd_total ? double(opd_top3) / opd_total : 0; }
  double kecamatan() const { return kec_total ? double(kec_correct) / kec_total : 0; }
  std::string errors;  // one line per mistake (for --verbose)
};

EvaluationReport Evaluate(const Classifier& c, std::istream& jsonl);

// "precision 0.95 recall 0.93 F1 0.94 ..." one metric per line.
std::string FormatReport(const EvaluationReport& r);

}  // namespace sambat::classifier
