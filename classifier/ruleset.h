// A compiled ruleset: every word and phrase of every rule in one RE2::Set, scanned once per
// post; `all`/`near` are then decided from token positions, and only the rules whose terms
// were seen are looked at again for their spans. Immutable and thread-safe once built.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "classifier/normalizer.h"
#include "classifier/rule_spec.h"
#include "classifier/word_index.h"

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
  static constexpr int64_t kSetMaxMem = int64_t{16} << 20;

  // `extra_phrases`: more normalised phrases (place names) found by the same scan, so
  // nothing else has to look at every token; Match reports them by index.
  Ruleset(std::vector<CompiledTerm> terms, std::vector<CompiledRule> rules,
          std::vector<std::unique_ptr<RE2>> regexes, const std::vector<std::string>& extra_phrases = {});

  // False when RE2 could not build the Set; error() says why.
  bool ok() const { return set_ok_; }
  const std::string& error() const { return error_; }

  // Rules that fire on `text`, in rule order; `extra_found` (optional) gets the indices of
  // the extra phrases present.
  std::vector<RuleHit> Match(const NormalizedText& text, std::vector<int>* extra_found = nullptr) const;
  // The Set scan alone: ids of the terms present in `text` (normalised), ascending, and the
  // indices of the extra phrases present.
  std::vector<int> ScanTerms(const NormalizedText& text, std::vector<int>* extra_found = nullptr) const;
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
  struct TermOccurrence {
    int term;
    Occurrence occ;
  };

  // `present`: term ids seen (ascending); `regex_rules`: regex rules whose pattern matched.
  std::vector<RuleHit> Evaluate(const NormalizedText& text, const std::vector<int>& present,
                                const std::vector<int>& regex_rules) const;
  // Every occurrence of the given terms (ascending ids), sorted by term, into `out`.
  void FindPresent(const NormalizedText& text, const std::vector<int>& present_ids,
                   std::vector<TermOccurrence>* out) const;

  std::vector<CompiledTerm> terms_;
  std::vector<CompiledRule> rules_;
  std::vector<std::unique_ptr<RE2>> regexes_;
  struct TermUse {
    int rule, group;  // group kNotGroup: the rule's `not` list
  };
  static constexpr int kNotGroup = -1;
  // What Evaluate reads for every post, packed for the cache: CompiledRule also carries
  // descriptions and examples, and a vector per term scatters the uses over the heap.
  struct RuleShape {
    MatcherKind matcher = MatcherKind::kAny;
    uint16_t ngroups = 0;
    int32_t within = 0;
    int32_t regex = -1;
  };
  std::vector<RuleShape> shapes_;
  std::vector<uint32_t> use_begin_;  // term t is used at uses_[use_begin_[t], use_begin_[t + 1])
  std::vector<TermUse> uses_;
  // Terms as word ids, so finding a term's occurrences compares integers, not strings.
  WordIndex vocab_;                   // every word of every term
  std::vector<uint32_t> word_begin_;  // term t is term_words_[word_begin_[t], word_begin_[t + 1])
  std::vector<int32_t> term_words_;
  std::vector<uint8_t> term_prefix_;  // 1: the term's last word matches any word it starts
  // Terms as literals over " text ": a set of literals keeps the Set's DFA small and fast.
  std::unique_ptr<RE2::Set> term_set_;
  std::unique_ptr<RE2::Set> regex_set_;          // gap-free regex rules, over the plain text
  std::vector<int> regex_set_rules_;             // regex_set_ index → rule
  std::vector<int> unset_regex_rules_;           // regex rules with gaps, tried one by one
  std::vector<std::unique_ptr<RE2>> naive_groups_;  // per rule and group, for MatchNaive
  mutable std::once_flag naive_once_;
  mutable std::vector<std::unique_ptr<RE2>> naive_terms_;  // per term, built on first MatchNaive
  std::vector<std::vector<int>> naive_rule_groups_;
  size_t set_patterns_ = 0;
  size_t extra_count_ = 0;
  bool set_ok_ = false;
  std::string error_;
};

// `(?:^| )word one(?: |$)`-style pattern for a term over normalised text.
std::string TermPattern(const CompiledTerm& term);
// The same as a literal over the text padded with one space on each side: " word one ".
std::string TermLiteral(const CompiledTerm& term);

// True for regexes with unbounded or long gaps (.*, .+, .{n,m}) that make a Set slow.
bool HasGap(const std::string& pattern);

}  // namespace sambat::classifier
