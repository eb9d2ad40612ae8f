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

}  // namespace

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

Ruleset::Ruleset(std::vector<CompiledTerm> terms, std::vector<CompiledRule> rules,
                 std::vector<std::unique_ptr<RE2>> regexes)
    : terms_(std::move(terms)), rules_(std::move(rules)), regexes_(std::move(regexes)) {
  term_rules_.resize(terms_.size());
  for (size_t r = 0; r < rules_.size(); ++r) {
    std::vector<int> used;
    for (const auto& g : rules_[r].groups) used.insert(used.end(), g.begin(), g.end());
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    for (int t : used) term_rules_[t].push_back(static_cast<int>(r));
  }

  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(kSetMaxMem);
  set_ = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
  std::string err;
  for (size_t t = 0; t < terms_.size(); ++t) {
    if (set_->Add(TermPattern(terms_[t]), &err) < 0) {
      error_ = "term '" + terms_[t].Display() + "': " + err;
      return;
    }
    set_to_term_.push_back(static_cast<int>(t));
  }
  for (size_t r = 0; r < rules_.size(); ++r) {
    CompiledRule& rule = rules_[r];
    if (rule.matcher != MatcherKind::kRegex || rule.regex < 0) continue;
    const std::string& pat = regexes_[rule.regex]->pattern();
    if (HasGap(pat)) {
      unset_regex_rules_.push_back(static_cast<int>(r));
      continue;
    }
    if (set_->Add(pat, &err) < 0) {
      error_ = "rule " + rule.id + ": " + err;
      return;
    }
    rule.regex_in_set = true;
    set_to_term_.push_back(-static_cast<int>(r) - 1);
  }
  set_patterns_ = set_to_term_.size();
  if (!set_->Compile()) {
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

std::vector<Ruleset::Occurrence> Ruleset::FindTerm(const NormalizedText& text, int term) const {
  std::vector<Occurrence> out;
  const CompiledTerm& t = terms_[term];
  const size_t k = t.words.size();
  for (size_t i = 0; i + k <= text.tokens.size(); ++i) {
    bool ok = true;
    for (size_t w = 0; w < k && ok; ++w) {
      std::string_view tok = TokenText(text, i + w);
      const bool last = w + 1 == k;
      ok = (last && t.prefix) ? tok.substr(0, t.words[w].size()) == t.words[w] : tok == t.words[w];
    }
    if (ok) out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(k)});
  }
  return out;
}

std::vector<RuleHit> Ruleset::Match(const NormalizedText& text) const {
  std::vector<RuleHit> hits;
  if (!set_ok_ || text.text.empty()) return hits;
  std::vector<int> ids;
  set_->Match(text.text, &ids);
  std::vector<char> present(terms_.size(), 0);
  std::vector<int> candidates;
  for (int id : ids) {
    int v = set_to_term_[id];
    if (v >= 0) {
      present[v] = 1;
      candidates.insert(candidates.end(), term_rules_[v].begin(), term_rules_[v].end());
    } else {
      candidates.push_back(-v - 1);
    }
  }
  for (int r : unset_regex_rules_) {
    if (RE2::PartialMatch(text.text, *regexes_[rules_[r].regex])) candidates.push_back(r);
  }
  return Evaluate(text, present, candidates);
}

std::vector<RuleHit> Ruleset::MatchNaive(const NormalizedText& text) const {
  std::vector<char> present(terms_.size(), 0);
  std::vector<int> candidates;
  for (size_t r = 0; r < rules_.size(); ++r) {
    const CompiledRule& rule = rules_[r];
    if (rule.matcher == MatcherKind::kRegex) {
      if (rule.regex >= 0 && RE2::PartialMatch(text.text, *regexes_[rule.regex])) candidates.push_back(static_cast<int>(r));
      continue;
    }
    bool all_groups = true;
    for (size_t g = 0; g < rule.groups.size(); ++g) {
      if (!RE2::PartialMatch(text.text, *naive_groups_[naive_rule_groups_[r][g]])) {
        all_groups = false;
        if (rule.matcher != MatcherKind::kAny) break;
      }
    }
    if (!all_groups) continue;
    candidates.push_back(static_cast<int>(r));
    for (const auto& g : rule.groups) {
      for (int t : g) present[t] = !FindTerm(text, t).empty();
    }
  }
  // `not` terms are looked up one by one too.
  for (int r : candidates) {
    for (int t : rules_[r].not_terms) present[t] = !FindTerm(text, t).empty();
  }
  return Evaluate(text, present, candidates);
}

std::vector<RuleHit> Ruleset::Evaluate(const NormalizedText& text, const std::vector<char>& present,
                                       const std::vector<int>& candidates_in) const {
  std::vector<int> candidates = candidates_in;
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  // Occurrences are computed at most once per term, and only for terms the Set saw.
  std::vector<std::vector<Occurrence>> occ_cache(terms_.size());
  std::vector<char> occ_done(terms_.size(), 0);
  auto occurrences = [&](int t) -> const std::vector<Occurrence>& {
    if (!occ_done[t]) {
      occ_cache[t] = present[t] ? FindTerm(text, t) : std::vector<Occurrence>();
      occ_done[t] = 1;
    }
    return occ_cache[t];
  };
  auto span_of = [&](const Occurrence& o) {
    return Span{text.tokens[o.token].begin, text.tokens[o.token + o.ntokens - 1].end};
  };

  std::vector<RuleHit> hits;
  for (int r : candidates) {
    const CompiledRule& rule = rules_[r];
    bool blocked = false;
    for (int t : rule.not_terms) {
      if (present[t] && !occurrences(t).empty()) {
        blocked = true;
        break;
      }
    }
    if (blocked) continue;
    RuleHit hit{r, {}};
    if (rule.matcher == MatcherKind::kRegex) {
      // Regexes are compiled wrapped in one capturing group: its match is the span.
      re2::StringPiece input(text.text), m;
      if (!RE2::PartialMatch(input, *regexes_[rule.regex], &m)) continue;
      if (!m.empty()) {
        const auto at = static_cast<uint32_t>(m.data() - text.text.data());
        hit.spans.push_back({at, at + static_cast<uint32_t>(m.size())});
      }
      hits.push_back(std::move(hit));
      continue;
    }
    // Per group: all occurrences of its present terms, sorted by position.
    std::vector<std::vector<Occurrence>> group_occ(rule.groups.size());
    bool all_present = true;
    for (size_t g = 0; g < rule.groups.size(); ++g) {
      for (int t : rule.groups[g]) {
        if (!present[t]) continue;
        const auto& o = occurrences(t);
        group_occ[g].insert(group_occ[g].end(), o.begin(), o.end());
      }
      if (group_occ[g].empty()) all_present = false;
    }
    if (rule.matcher == MatcherKind::kAny) {
      if (group_occ[0].empty()) continue;
      for (const auto& o : group_occ[0]) hit.spans.push_back(span_of(o));
    } else if (!all_present) {
      continue;
    } else if (rule.matcher == MatcherKind::kAll) {
      for (const auto& g : group_occ) hit.spans.push_back(span_of(*std::min_element(
          g.begin(), g.end(), [](const Occurrence& a, const Occurrence& b) { return a.token < b.token; })));
    } else {  // near: smallest window holding one occurrence of every group
      struct Item {
        uint32_t token;
        size_t group;
        Occurrence occ;
      };
      std::vector<Item> items;
      for (size_t g = 0; g < group_occ.size(); ++g) {
        for (const auto& o : group_occ[g]) items.push_back({o.token, g, o});
      }
      std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.token < b.token; });
      std::vector<int> count(group_occ.size(), 0);
      size_t covered = 0, lo = 0;
      long best_len = -1;
      size_t best_lo = 0, best_hi = 0;
      for (size_t hi = 0; hi < items.size(); ++hi) {
        if (count[items[hi].group]++ == 0) ++covered;
        while (covered == group_occ.size()) {
          long len = static_cast<long>(items[hi].token) - static_cast<long>(items[lo].token);
          if (best_len < 0 || len < best_len) {
            best_len = len;
            best_lo = lo;
            best_hi = hi;
          }
          if (--count[items[lo].group] == 0) --covered;
          ++lo;
        }
      }
      if (best_len < 0 || best_len > rule.within) continue;
      for (size_t i = best_lo; i <= best_hi; ++i) hit.spans.push_back(span_of(items[i].occ));
    }
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace sambat::classifier
