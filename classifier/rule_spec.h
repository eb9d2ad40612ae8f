// Rule files as read from YAML, before lists are expanded or anything is compiled.
#pragma once

#include <string>
#include <vector>

#include "classifier/diagnostic.h"

namespace sambat::classifier {

enum class RuleKind { kSignal, kTopic, kSuppressor };
enum class MatcherKind { kAny, kAll, kNear, kRegex };

const char* RuleKindName(RuleKind k);

// One item of a term list: a word, a phrase, "$list" or "prefix*".
struct TermSpec {
  std::string text;
  SourcePos pos;
};
using TermGroupSpec = std::vector<TermSpec>;

struct ExampleSpec {
  std::string text;
  SourcePos pos;
};

struct RuleSpec {
  std::string id;
  std::string description;
  RuleKind kind = RuleKind::kSignal;
  std::string opd, kategori;  // topics only
  double weight = 1;
  MatcherKind matcher = MatcherKind::kAny;
  std::vector<TermGroupSpec> groups;  // any: one group; all/near: one per group
  int within = 5;
  TermGroupSpec not_terms;
  std::string regex;
  SourcePos regex_pos, opd_pos;
  std::vector<ExampleSpec> match_examples, no_match_examples;
  SourcePos pos;
};

struct ListSpec {
  std::string name;
  TermGroupSpec terms;
  SourcePos pos;
};

struct RuleFileSpec {
  std::string path;
  std::vector<ListSpec> lists;
  std::vector<RuleSpec> rules;
};

}  // namespace sambat::classifier
