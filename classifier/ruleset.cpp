#include "classifier/ruleset.h"

#include <algorithm>

namespace sambat::classifier {
namespace {

RE2::Options PatternOptions() {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(8 << 20);
  return o;
}

std::string_view TokenText(const NormalizedText& t, size_t i) {
  return std::string_view(t.text).substr(t.tokens[i].begin, t.tokens[i].end - t.tokens[i].begin);
}

constexpr size_t kMaxOccurrencesPerTerm = 256;
constexpr size_t kMaxSpansPerRule = 16;
constexpr size_t kKeptScanBuffer = 64 << 10;

}  // namespace

// The smallest window of tokens holding one occurrence of every group; false when it is
// wider than `within`. Spans of the occurrences in it go to `spans`.
template <typename Occ, typename SpanOf>
bool NearestWindow(const std::vector<std::vector<Occ>>& groups, size_t ngroups, int within,
                   std::vector<Span>* spans, SpanOf span_of) {
  struct Item {
    uint32_t token;
    size_t group;
    Occ occ;
  };
  std::vector<Item> items;
  for (size_t g = 0; g < ngroups; ++g) {
    for (const auto& o : groups[g]) items.push_back({o.token, g, o});
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.token < b.token; });
  std::vector<int> count(ngroups, 0);
  size_t covered = 0, lo = 0, best_lo = 0, best_hi = 0;
  long best_len = -1;
  for (size_t hi = 0; hi < items.size(); ++hi) {
    if (count[items[hi].group]++ == 0) ++covered;
    while (covered == ngroups) {
      const long len = static_cast<long>(items[hi].token) - static_cast<long>(items[lo].token);
      if (best_len < 0 || len < best_len) {
        best_len = len;
        best_lo = lo;
        best_hi = hi;
      }
      if (--count[items[lo].group] == 0) --covered;
      ++lo;
    }
  }
  if (best_len < 0 || best_len > within) return false;
  for (size_t i = best_lo; i <= best_hi; ++i) spans->push_back(span_of(items[i].occ));
  return true;
}

std::string CompiledTerm::Display() const {
  std::string s;
  for (size_t i = 0; i < words.size(); ++i) s += (i ? " " : "") + words[i];
  return prefix ? s + "*" : s;
}

std::string TermPattern(const CompiledTerm& term) {
  std::string p = "(?:^| )";
  for (size_t i = 0; i < term.words.size(); ++i) {
    if (i) p += " ";
    p += RE2::QuoteMeta(term.words[i]);
  }
  p += term.prefix ? "[^ ]*" : "(?: |$)";
  return p;
}

bool HasGap(const std::string& p) {
  return p.find(".*") != std::string::npos || p.find(".+") != std::string::npos ||
         p.find(".{") != std::string::npos;
}

std::string TermLiteral(const CompiledTerm& term) {
  std::string s = " ";
  for (size_t i = 0; i < term.words.size(); ++i) s += (i ? " " : "") + term.words[i];
  if (!term.prefix) s += " ";
  return RE2::QuoteMeta(s);
}

Ruleset::Ruleset(std::vector<CompiledTerm> terms, std::vector<CompiledRule> rules,
                 std::vector<std::unique_ptr<RE2>> regexes, const std::vector<std::string>& extra_phrases)
    : terms_(std::move(terms)), rules_(std::move(rules)), regexes_(std::move(regexes)) {
  std::vector<std::vector<TermUse>> term_uses(terms_.size());
  for (size_t r = 0; r < rules_.size(); ++r) {
    const CompiledRule& rule = rules_[r];
    shapes_.push_back({rule.matcher, static_cast<uint16_t>(rule.groups.size()), rule.within, rule.regex});
    for (size_t g = 0; g < rule.groups.size(); ++g) {
      for (int t : rule.groups[g]) term_uses[t].push_back({static_cast<int>(r), static_cast<int>(g)});
    }
    for (int t : rule.not_terms) term_uses[t].push_back({static_cast<int>(r), kNotGroup});
  }
  for (size_t t = 0; t < terms_.size(); ++t) {
    use_begin_.push_back(static_cast<uint32_t>(uses_.size()));
    uses_.insert(uses_.end(), term_uses[t].begin(), term_uses[t].end());
    word_begin_.push_back(static_cast<uint32_t>(term_words_.size()));
    for (const auto& w : terms_[t].words) term_words_.push_back(vocab_.Add(w));
    term_prefix_.push_back(terms_[t].prefix ? 1 : 0);
  }
  use_begin_.push_back(static_cast<uint32_t>(uses_.size()));
  word_begin_.push_back(static_cast<uint32_t>(term_words_.size()));
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(kSetMaxMem);
  term_set_ = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
  std::string err;
  for (size_t t = 0; t < terms_.size(); ++t) {
    if (term_set_->Add(TermLiteral(terms_[t]), &err) < 0) {
      error_ = "term '" + terms_[t].Display() + "': " + err;
      return;
    }
  }
  for (const auto& phrase : extra_phrases) {
    if (term_set_->Add(RE2::QuoteMeta(" " + phrase + " "), &err) < 0) {
      error_ = "phrase '" + phrase + "': " + err;
      return;
    }
  }
  extra_count_ = extra_phrases.size();
  regex_set_ = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
  for (size_t r = 0; r < rules_.size(); ++r) {
    CompiledRule& rule = rules_[r];
    if (rule.matcher != MatcherKind::kRegex || rule.regex < 0) continue;
    const std::string& pat = regexes_[rule.regex]->pattern();
    if (HasGap(pat)) {
      unset_regex_rules_.push_back(static_cast<int>(r));
      continue;
    }
    if (regex_set_->Add(pat, &err) < 0) {
      error_ = "rule " + rule.id + ": " + err;
      return;
    }
    rule.regex_in_set = true;
    regex_set_rules_.push_back(static_cast<int>(r));
  }
  set_patterns_ = terms_.size() + regex_set_rules_.size();
  if ((terms_.size() + extra_count_ > 0 && !term_set_->Compile()) || (!regex_set_rules_.empty() && !regex_set_->Compile())) {
    error_ = "RE2 could not compile the rule set within " + std::to_string(kSetMaxMem >> 20) + " MiB";
    return;
  }

  // Baseline for the benchmark: one alternation per rule group, tried rule after rule.
  naive_rule_groups_.resize(rules_.size());
  for (size_t r = 0; r < rules_.size(); ++r) {
    for (const auto& g : rules_[r].groups) {
      std::string alt;
      for (int t : g) alt += (alt.empty() ? "" : "|") + TermPattern(terms_[t]);
      naive_rule_groups_[r].push_back(static_cast<int>(naive_groups_.size()));
      naive_groups_.push_back(std::make_unique<RE2>(alt, PatternOptions()));
    }
  }
  set_ok_ = true;
}

void Ruleset::FindPresent(const NormalizedText& text, const std::vector<int>& present_ids,
                          std::vector<TermOccurrence>* out) const {
  // The Set already said which terms occur; only those few are looked for. Tokens are
  // turned into word ids once, so the search compares integers.
  out->clear();
  if (present_ids.empty()) return;
  const size_t n = text.tokens.size();
  thread_local std::vector<int32_t> tls_token_words;
  auto& token_words = tls_token_words;
  token_words.resize(n);
  for (size_t i = 0; i < n; ++i) token_words[i] = vocab_.Find(TokenText(text, i));
  for (int t : present_ids) {
    const int32_t* words = term_words_.data() + word_begin_[t];
    const size_t k = word_begin_[t + 1] - word_begin_[t];
    // A prefix term's last word is compared as text: "rusak*" matches "rusaknya".
    const size_t exact = term_prefix_[t] ? k - 1 : k;
    const std::string_view prefix = term_prefix_[t] ? vocab_.word(words[k - 1]) : std::string_view();
    size_t found_for_term = 0;
    for (size_t i = 0; i + k <= n; ++i) {
      size_t w = 0;
      while (w < exact && token_words[i + w] == words[w]) ++w;
      if (w < exact) continue;
      if (!prefix.empty()) {
        std::string_view tok = TokenText(text, i + exact);
        if (tok.size() < prefix.size() || tok.compare(0, prefix.size(), prefix) != 0) continue;
      }
      out->push_back({t, {static_cast<uint32_t>(i), static_cast<uint32_t>(k)}});
      // Enough to decide `near` and to show why; keeps hostile megabyte posts linear.
      if (++found_for_term >= kMaxOccurrencesPerTerm) break;
    }
  }
}

std::vector<int> Ruleset::ScanTerms(const NormalizedText& text, std::vector<int>* extra_found) const {
  std::vector<int> ids;
  if (!set_ok_ || terms_.size() + extra_count_ == 0 || text.text.empty()) return ids;
  thread_local std::string tls_padded;  // keeps its capacity from post to post
  std::string& padded = tls_padded;
  padded.clear();
  if (padded.capacity() > kKeptScanBuffer) padded.shrink_to_fit();  // not a hostile post's megabyte
  padded += ' ';
  padded += text.text;
  padded += ' ';
  term_set_->Match(padded, &ids);
  std::sort(ids.begin(), ids.end());
  // Extra phrases come after the terms in the Set.
  auto first_extra = std::lower_bound(ids.begin(), ids.end(), static_cast<int>(terms_.size()));
  if (extra_found) {
    for (auto it = first_extra; it != ids.end(); ++it) extra_found->push_back(*it - static_cast<int>(terms_.size()));
  }
  ids.erase(first_extra, ids.end());
  return ids;
}

std::vector<RuleHit> Ruleset::Match(const NormalizedText& text, std::vector<int>* extra_found) const {
  std::vector<RuleHit> hits;
  if (!set_ok_ || text.text.empty()) return hits;
  const std::vector<int> present = ScanTerms(text, extra_found);
  std::vector<int> regex_rules;
  if (!regex_set_rules_.empty()) {
    std::vector<int> ids;
    regex_set_->Match(text.text, &ids);
    for (int i : ids) regex_rules.push_back(regex_set_rules_[i]);
  }
  for (int r : unset_regex_rules_) {
    if (RE2::PartialMatch(text.text, *regexes_[rules_[r].regex])) regex_rules.push_back(r);
  }
  return Evaluate(text, present, regex_rules);
}

std::vector<RuleHit> Ruleset::MatchNaive(const NormalizedText& text) const {
  std::call_once(naive_once_, [this] {
    for (const auto& t : terms_) naive_terms_.push_back(std::make_unique<RE2>(TermPattern(t), PatternOptions()));
  });
  std::vector<char> present(terms_.size(), 0);
  std::vector<int> candidates;
  for (size_t r = 0; r < rules_.size(); ++r) {
    const CompiledRule& rule = rules_[r];
    if (rule.matcher == MatcherKind::kRegex) {
      if (rule.regex >= 0 && RE2::PartialMatch(text.text, *regexes_[rule.regex])) candidates.push_back(static_cast<int>(r));
      continue;
    }
    bool all_groups = true;
    for (size_t g = 0; g < rule.groups.size() && all_groups; ++g) {
      all_groups = RE2::PartialMatch(text.text, *naive_groups_[naive_rule_groups_[r][g]]);
    }
    if (all_groups) candidates.push_back(static_cast<int>(r));
  }
  // Terms of the candidate rules (and their `not` words), each looked up with its own RE2.
  std::vector<int> regex_rules;
  for (int r : candidates) {
    if (rules_[r].matcher == MatcherKind::kRegex) {
      regex_rules.push_back(r);
      continue;
    }
    for (const auto& g : rules_[r].groups) {
      for (int t : g) present[t] = RE2::PartialMatch(text.text, *naive_terms_[t]);
    }
    for (int t : rules_[r].not_terms) present[t] = RE2::PartialMatch(text.text, *naive_terms_[t]);
  }
  std::vector<int> present_ids;
  for (size_t t = 0; t < present.size(); ++t) {
    if (present[t]) present_ids.push_back(static_cast<int>(t));
  }
  return Evaluate(text, present_ids, regex_rules);
}

std::vector<RuleHit> Ruleset::Evaluate(const NormalizedText& text, const std::vector<int>& present,
                                       const std::vector<int>& regex_rules) const {
  // Work is proportional to the terms present, not to the size of the rules: every present
  // term says which (rule, group) it serves; sorting those uses groups them by rule.
  struct Use {
    int rule, group, term;
  };
  // Per-thread scratch space: Classify runs millions of times, its buffers keep their capacity.
  thread_local std::vector<uint64_t> tls_keys;
  thread_local std::vector<Use> tls_uses;
  thread_local std::vector<std::pair<size_t, size_t>> tls_ready;
  thread_local std::vector<int> tls_needed;
  thread_local std::vector<std::vector<Occurrence>> tls_group_occ;
  auto& keys = tls_keys;
  auto& uses = tls_uses;
  auto& ready = tls_ready;
  auto& needed = tls_needed;
  auto& group_occ = tls_group_occ;
  keys.clear();
  uses.clear();
  ready.clear();
  needed.clear();
  // First pass, without positions or sorting: which rules have every group present and no
  // `not` word. Per-rule state lives in per-thread arrays, reset for the rules touched.
  thread_local std::vector<uint64_t> tls_group_mask;  // bit g: group g has a present term
  thread_local std::vector<uint8_t> tls_state;        // 0 untouched, 1 touched, 2 blocked, 3 ready
  thread_local std::vector<int> tls_touched;
  // Plain references: thread_local lookups inside the hot loops cost more than the loops.
  auto& group_mask = tls_group_mask;
  auto& state = tls_state;
  auto& touched = tls_touched;
  if (group_mask.size() < rules_.size()) {
    group_mask.assign(rules_.size(), 0);
    state.assign(rules_.size(), 0);
  }
  touched.clear();
  auto touch = [&](int r) {
    if (state[r] == 0) {
      state[r] = 1;
      touched.push_back(r);
    }
  };
  for (int t : present) {
    for (uint32_t k = use_begin_[t]; k < use_begin_[t + 1]; ++k) {
      const TermUse& u = uses_[k];
      touch(u.rule);
      if (u.group == kNotGroup) state[u.rule] = 2;
      else group_mask[u.rule] |= uint64_t{1} << u.group;
    }
  }
  for (int r : regex_rules) touch(r);
  std::sort(touched.begin(), touched.end());  // rule order: deterministic hits
  for (int r : touched) {
    const RuleShape& rule = shapes_[r];
    const int groups = __builtin_popcountll(group_mask[r]);
    const bool complete = rule.matcher == MatcherKind::kRegex ||
                          (rule.matcher == MatcherKind::kAny ? groups >= 1 : groups == rule.ngroups);
    if (state[r] == 1 && complete) state[r] = 3;
  }
  // Second pass: the (rule, group, term) uses of the ready rules only, sorted.
  for (int t : present) {
    for (uint32_t k = use_begin_[t]; k < use_begin_[t + 1]; ++k) {
      const TermUse& u = uses_[k];
      if (state[u.rule] == 3 && u.group != kNotGroup) {
        keys.push_back((uint64_t(u.rule) << 40) | (uint64_t(u.group + 1) << 24) | uint64_t(t + 1));
        needed.push_back(t);
      }
    }
  }
  for (int r : regex_rules) {
    if (state[r] == 3) keys.push_back((uint64_t(r) << 40) | (uint64_t(1) << 24));
  }
  for (int r : touched) {  // leave the arrays clean for the next call
    state[r] = 0;
    group_mask[r] = 0;
  }
  std::sort(keys.begin(), keys.end());
  for (uint64_t k : keys) {
    uses.push_back({static_cast<int>(k >> 40), static_cast<int>((k >> 24) & 0xffff) - 1,
                    static_cast<int>(k & 0xffffff) - 1});
  }
  for (size_t i = 0; i < uses.size();) {
    size_t j = i;
    while (j < uses.size() && uses[j].rule == uses[i].rule) ++j;
    ready.emplace_back(i, j);
    i = j;
  }
  std::sort(needed.begin(), needed.end());
  needed.erase(std::unique(needed.begin(), needed.end()), needed.end());
  thread_local std::vector<TermOccurrence> tls_found;
  auto& found = tls_found;
  FindPresent(text, needed, &found);  // sorted by term
  auto append_occurrences = [&](int t, std::vector<Occurrence>* out) {
    auto it = std::lower_bound(found.begin(), found.end(), t,
                               [](const TermOccurrence& a, int term) { return a.term < term; });
    for (; it != found.end() && it->term == t; ++it) out->push_back(it->occ);
  };
  auto span_of = [&](const Occurrence& o) {
    return Span{text.tokens[o.token].begin, text.tokens[o.token + o.ntokens - 1].end};
  };

  std::vector<RuleHit> hits;
  for (const auto& [i, j] : ready) {
    const int r = uses[i].rule;
    const RuleShape& rule = shapes_[r];
    RuleHit hit{r, {}};
    if (rule.matcher == MatcherKind::kRegex) {
      // Regexes are compiled wrapped in one capturing group: its match is the span.
      re2::StringPiece input(text.text), m;
      if (RE2::PartialMatch(input, *regexes_[rule.regex], &m)) {
        if (!m.empty()) {
          const auto at = static_cast<uint32_t>(m.data() - text.text.data());
          hit.spans.push_back({at, at + static_cast<uint32_t>(m.size())});
        }
        hits.push_back(std::move(hit));
      }
      continue;
    }
    if (group_occ.size() < rule.ngroups) group_occ.resize(rule.ngroups);
    for (size_t g = 0; g < rule.ngroups; ++g) group_occ[g].clear();
    for (size_t k = i; k < j; ++k) append_occurrences(uses[k].term, &group_occ[uses[k].group]);
    bool all_present = true;
    const size_t ng = rule.ngroups;
    for (size_t g = 0; g < ng; ++g) {
      auto& v = group_occ[g];
      // Where a phrase and a word start at one token ("jalan raya", "jalan"), keep the longer.
      std::sort(v.begin(), v.end(), [](const Occurrence& a, const Occurrence& b) {
        return a.token != b.token ? a.token < b.token : a.ntokens > b.ntokens;
      });
      v.erase(std::unique(v.begin(), v.end(), [](const Occurrence& a, const Occurrence& b) { return a.token == b.token; }),
              v.end());
      if (v.empty()) all_present = false;
    }
    if (rule.matcher == MatcherKind::kAny) {
      if (group_occ[0].empty()) continue;
      for (const auto& o : group_occ[0]) {
        if (hit.spans.size() >= kMaxSpansPerRule) break;
        hit.spans.push_back(span_of(o));
      }
    } else if (!all_present) {
      continue;
    } else if (rule.matcher == MatcherKind::kAll) {
      for (size_t g = 0; g < ng; ++g) hit.spans.push_back(span_of(group_occ[g].front()));
    } else if (!NearestWindow(group_occ, ng, rule.within, &hit.spans, span_of)) {
      continue;
    }
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace sambat::classifier
