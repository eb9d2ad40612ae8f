#include "classifier/diagnostic.h"

#include <algorithm>

namespace sambat::classifier {

std::string RuleDiagnostic::ToString() const {
  std::string s = pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": ";
  s += severity == Severity::kError ? "error[" : "warning[";
  s += code + "] ";
  if (!rule_id.empty()) s += rule_id + ": ";
  return s + message;
}

bool HasErrors(const std::vector<RuleDiagnostic>& diags) {
  return std::any_of(diags.begin(), diags.end(),
                     [](const RuleDiagnostic& d) { return d.severity == RuleDiagnostic::Severity::kError; });
}

}  // namespace sambat::classifier
