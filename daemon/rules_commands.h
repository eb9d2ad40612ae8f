// Offline commands on rule files: rules check, rules test, classify, evaluate.
#pragma once

#include <string>

namespace sambat::daemon {

int RulesCheck(const std::string& path);
int RulesTest(const std::string& path);
// TEXT given: explains it in Bahasa Indonesia; otherwise reads stdin (whole text, or JSON
// lines with `jsonl`).
int Classify(const std::string& rules_path, const std::string& text, bool have_text, bool jsonl, bool json);
int EvaluateFile(const std::string& rules_path, const std::string& file, bool verbose);

}  // namespace sambat::daemon
