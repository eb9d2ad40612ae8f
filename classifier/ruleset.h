// A compiled ruleset: every word and phrase of every rule in one RE2::Set, scanned once per
// post; `all`/`near` are then decided from token positions, and only the rules whose terms
// were seen are looked at again for their spans. Immutable and thread-safe once built.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <string>
#include <vector>

#include "classifier/normalizer.h"
#include "classifier/rule_spec.h"

namespace sambat::classifier {

// A word or phrase after normalisation; `prefix` makes the last word match any word it starts.
struct CompiledTerm {
  std::vector<std::string> words;
  bool prefix = false;
  std::string Display() const;
};

struct CompiledRule {
  std::string id, description;
  RuleKind kind = RuleKind::kSignal;
  std::string opd, kategori;
  double weight = 1;
  MatcherKind matcher = MatcherKind::kAny;
  std::vector<std::vector<int>> groups;  // term ids
  int within = 5;
  std::vector<int> not_terms;
  int regex = -1;        // index into the ruleset's regexes, compiled as "(pattern)"
  bool regex_in_set = false;
  SourcePos pos;
  std::vector<ExampleSpec> match_examples, no_match_examples;
};

struct Span {
  uint32_t begin = 0, end = 0;  // bytes of NormalizedText::text
};

struct RuleHit {
  int rule = 0;
  std::vector<Span> spans;
};

class Ruleset {
 public:
  // Budget for RE2's compiled programs and DFA caches of the Set; when too small the DFA
  // cache refills silently and matching slows down (measured in bench/).
  static constexpr int64_t kSetMaxMem = 64 << 20;

  Ruleset(std::vector<CompiledTerm> terms, std::vector<CompiledRule> rules,
          std::vector<std::unique_ptr<RE2>> regexes);

  // False when RE2 could not build the Set; error() says why.
  bool ok() const { return set_ok_; }
  const std::string& error() const { return error_; }

  // Rules that fire on `text`, in rule order.
  std::vector<RuleHit> Match(const NormalizedText& text) const;
  // The same result without the Set: each rule's patterns tried one by one (benchmark baseline).
  std::vector<RuleHit> MatchNaive(const NormalizedText& text) const;

  const std::vector<CompiledRule>& rules() const { return rules_; }
  const std::vector<CompiledTerm>& terms() const { return terms_; }
  size_t set_patterns() const { return set_patterns_; }

 private:
  struct Occurrence {
    uint32_t token;   // index of the first token
    uint32_t ntokens;
  };
  std::vector<RuleHit> Evaluate(const NormalizedText& text, const std::vector<char>& present_terms,
                                const std::vector<int>& candidates) const;
  std::vector<Occurrence> FindTerm(const NormalizedText& text, int term) const;

  std::vector<CompiledTerm> terms_;
  std::vector<CompiledRule> rules_;
  std::vector<std::unique_ptr<RE2>> regexes_;
  std::vector<std::vector<int>> term_rules_;     // term → rules using it (groups or not)
  std::unique_ptr<RE2::Set> set_;
  std::vector<int> set_to_term_;                 // set index → term id, or -(rule+1) for regex rules
  std::vector<int> unset_regex_rules_;           // regex rules kept out of the Set (gaps)
  std::vector<std::unique_ptr<RE2>> naive_groups_;  // per rule and group, for MatchNaive
  std::vector<std::vector<int>> naive_rule_groups_;
  size_t set_patterns_ = 0;
  bool set_ok_ = false;
  std::string error_;
};

// `(?:^| )word one(?: |$)`-style pattern for a term over normalised text.
std::string TermPattern(const CompiledTerm& term);

// True for regexes with unbounded or long gaps (.*, .+, .{n,m}) that make a Set slow.
bool HasGap(const std::string& pattern);

}  // namespace sambat::classifier
