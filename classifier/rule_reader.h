// Stage 1 of loading rules: YAML text → RuleFileSpec. Reports every problem of the file,
// never stops at the first, never throws.
#pragma once

#include <string>
#include <vector>

#include "classifier/normalizer.h"
#include "classifier/rule_spec.h"

namespace sambat::classifier {

// The engine version rule files may ask for (`version:`).
inline constexpr int kRulesEngineVersion = 1;

RuleFileSpec ReadRuleFile(const std::string& text, const std::string& path,
                          std::vector<RuleDiagnostic>* diags);

// rules/slang.yaml → map (keys: one lowercase token).
SlangMap ReadSlangFile(const std::string& text, const std::string& path,
                       std::vector<RuleDiagnostic>* diags);

}  // namespace sambat::classifier
