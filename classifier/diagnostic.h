// Problems found in rule files, each with a stable code and a position (Falco-style).
#pragma once

#include <string>
#include <vector>

namespace sambat::classifier {

struct SourcePos {
  std::string file;
  int line = 0;    // 1-based; 0 = the whole file
  int column = 0;  // 1-based
};

// Stable codes, for scripts and tests; the message is for people.
namespace code {
inline constexpr const char* kYamlSyntax = "yaml-syntax";
inline constexpr const char* kUnknownKey = "unknown-key";
inline constexpr const char* kMissingKey = "missing-key";
inline constexpr const char* kBadValue = "bad-value";
inline constexpr const char* kBadVersion = "bad-version";
inline constexpr const char* kDuplicateId = "duplicate-id";
inline constexpr const char* kDuplicateList = "duplicate-list";
inline constexpr const char* kUnknownList = "unknown-list";
inline constexpr const char* kBadPattern = "bad-pattern";
inline constexpr const char* kUnknownOpd = "unknown-opd";
inline constexpr const char* kExampleFailed = "example-failed";
inline constexpr const char* kNoExamples = "no-examples";
inline constexpr const char* kSlowPattern = "slow-pattern";
inline constexpr const char* kUnusedList = "unused-list";
inline constexpr const char* kMissingFile = "missing-file";
}  // namespace code

struct RuleDiagnostic {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  std::string code;
  SourcePos pos;
  std::string rule_id;  // empty when not about one rule
  std::string message;

  // "file:line:col: error[code] rule-id: message"
  std::string ToString() const;
};

bool HasErrors(const std::vector<RuleDiagnostic>& diags);

}  // namespace sambat::classifier
