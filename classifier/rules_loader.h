// Loading rules, in stages: read (YAML → specs), collect (lists and ids across files),
// compile (expand lists, normalise words, build the RE2::Set), then check every rule's
// examples. Every problem of every file is reported; warnings do not stop a load.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "classifier/classifier.h"
#include "classifier/diagnostic.h"

namespace sambat::classifier {

struct RulesLoad {
  std::unique_ptr<Classifier> classifier;  // null when there are errors
  std::vector<RuleDiagnostic> diagnostics;
  // For `rules test`: how many examples were run and how many failed.
  int examples_run = 0, examples_failed = 0;
  bool ok() const { return classifier != nullptr; }
};

// `path` is a folder (every *.yaml rule file in it, with slang.yaml, opd_codes.csv,
// wilayah.csv and the optional wilayah_alias.csv and wilayah_ambigu.txt beside them) or one
// rule file (its companions are taken from its folder). Never throws.
RulesLoad LoadRules(const std::string& path);

// The same from texts in memory (tests, fuzzing). `files` are (name, text) rule files.
struct RulesSources {
  std::vector<std::pair<std::string, std::string>> files;
  std::string slang_yaml, slang_name = "slang.yaml";
  std::string opd_csv, wilayah_csv, wilayah_alias_csv, wilayah_ambigu_txt;
};
RulesLoad CompileRules(const RulesSources& sources);

}  // namespace sambat::classifier
