#include "classifier/classifier.h"

#include <algorithm>
#include <map>

#include "classifier/simhash.h"

namespace sambat::classifier {

const Opd* Classifier::FindOpd(const std::string& code) const {
  for (const auto& o : p_.opds) {
    if (o.code == code) return &o;
  }
  return nullptr;
}

Classification Classifier::Classify(std::string_view text) const {
  NormalizedText norm = p_.normalizer->Normalize(text);
  std::vector<int> places;  // place names found by the same Set scan
  auto hits = p_.ruleset->Match(norm, &places);
  Classification c = Score(text, norm, hits);
  c.location = p_.gazetteer.Find(norm, text, places);
  if (c.complaint) c.simhash = SimHash(norm);  // only drafts are grouped
  return c;
}

Classification Classifier::ClassifyNaive(std::string_view text) const {
  NormalizedText norm = p_.normalizer->Normalize(text);
  Classification c = Score(text, norm, p_.ruleset->MatchNaive(norm));
  c.location = p_.gazetteer.Find(norm, text);
  return c;
}

Classification Classifier::Score(std::string_view original, const NormalizedText& text,
                                 const std::vector<RuleHit>& hits) const {
  Classification c;
  c.threshold = p_.threshold;
  c.rules.reserve(hits.size());
  bool any_topic = false;
  struct OpdAcc {
    double score = 0;
    double best_weight = -1;
    std::string kategori;
    size_t first_hit = 0;
  };
  // A handful of OPDs at most: a small vector beats a map's allocations.
  std::vector<std::pair<std::string, OpdAcc>> by_opd;
  auto acc_for = [&](const std::string& code) -> OpdAcc& {
    for (auto& [k, v] : by_opd) {
      if (k == code) return v;
    }
    by_opd.emplace_back(code, OpdAcc{});
    return by_opd.back().second;
  };
  const auto& rules = p_.ruleset->rules();
  for (size_t h = 0; h < hits.size(); ++h) {
    const CompiledRule& r = rules[hits[h].rule];
    MatchedRule m;
    m.id = r.id;
    m.kind = r.kind;
    m.weight = r.weight;
    m.opd = r.opd;
    for (const Span& s : hits[h].spans) {
      auto [ob, oe] = text.OriginalSpan(s.begin, s.end);
      m.spans.emplace_back(ob, oe);
      m.texts.emplace_back(original.substr(ob, oe - ob));
    }
    switch (r.kind) {
      case RuleKind::kSignal: c.score += r.weight; break;
      case RuleKind::kSuppressor: c.score -= r.weight; break;
      case RuleKind::kTopic: {
        c.score += r.weight;
        any_topic = true;
        OpdAcc& acc = acc_for(r.opd);
        if (acc.best_weight < 0) acc.first_hit = h;
        acc.score += r.weight;
        if (r.weight > acc.best_weight) {
          acc.best_weight = r.weight;
          acc.kategori = r.kategori;
        }
        break;
      }
    }
    c.rules.push_back(std::move(m));
  }
  // Topic scores above the complaint total would double count one OPD's many rules: a topic
  // adds to the complaint score only once per OPD, by its strongest rule.
  for (const auto& [code, acc] : by_opd) c.score -= acc.score - acc.best_weight;

  std::vector<std::pair<std::string, OpdAcc>>& ranked = by_opd;
  std::sort(ranked.begin(), ranked.end(), [this](const auto& a, const auto& b) {
    if (a.second.score != b.second.score) return a.second.score > b.second.score;
    // On a tie the Pemkab's own OPD comes before a body outside it, then rule order.
    const Opd* oa = FindOpd(a.first);
    const Opd* ob = FindOpd(b.first);
    const bool out_a = oa && oa->outside, out_b = ob && ob->outside;
    if (out_a != out_b) return !out_a;
    return a.second.first_hit < b.second.first_hit;
  });
  for (const auto& [code, acc] : ranked) c.opd.push_back({code, acc.score});
  if (!ranked.empty()) c.kategori = ranked[0].second.kategori;
  c.complaint = any_topic && c.score >= p_.threshold;
  if (c.complaint && !c.opd.empty()) {
    if (const Opd* o = FindOpd(c.opd[0].code); o && o->outside) {
      c.note = "bukan kewenangan Pemkab — teruskan ke " + o->name;
    }
  }
  return c;
}

}  // namespace sambat::classifier
