#include "classifier/gazetteer.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "classifier/csv.h"

namespace sambat::classifier {
namespace {

constexpr size_t kMaxNameWords = 3;

enum class Marker { kNone, kKecamatan, kDesa, kPlace };

Marker MarkerOf(std::string_view w) {
  if (w == "kec" || w == "kecamatan" || w == "kc" || w == "kcm") return Marker::kKecamatan;
  if (w == "desa" || w == "ds" || w == "kel" || w == "kelurahan" || w == "dusun" || w == "dsn" ||
      w == "grumbul" || w == "kampung" || w == "kp")
    return Marker::kDesa;
  if (w == "daerah" || w == "wilayah" || w == "di" || w == "pasar" || w == "alun" || w == "sekitar" ||
      w == "dekat" || w == "depan" || w == "arah" || w == "jalan" || w == "perempatan" || w == "pertigaan")
    return Marker::kPlace;
  return Marker::kNone;
}

std::string_view Tok(const NormalizedText& t, size_t i) {
  return std::string_view(t.text).substr(t.tokens[i].begin, t.tokens[i].end - t.tokens[i].begin);
}

}  // namespace

std::string NormalizePlaceName(const std::string& name) {
  std::string out;
  bool space = false;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(std::tolower(u));
    } else {
      space = true;
    }
  }
  return out;
}

void Gazetteer::Index(const std::string& key, bool is_kecamatan, int idx) {
  first_words_.insert(key.substr(0, key.find(' ')));
  auto [slot, fresh] = names_.try_emplace(key);
  Entry& e = slot->second;
  if (fresh) {
    e.id = static_cast<int>(name_list_.size());
    name_list_.push_back(key);
    std::vector<std::string> words;
    for (std::string_view w : SplitWords(key)) words.emplace_back(w);
    name_words_.push_back(std::move(words));
  }
  auto& v = is_kecamatan ? e.kecamatan : e.desa;
  if (std::find(v.begin(), v.end(), idx) == v.end()) v.push_back(idx);
  if (key.find(' ') == std::string::npos && key.size() >= 5) {
    name_starts_.insert(key.substr(0, 3));
    name_starts4_.insert(key.substr(0, 4));
    for (size_t i = 0; i < key.size(); ++i) {
      std::string d = key.substr(0, i) + key.substr(i + 1);
      auto& names = deletions_[d];
      if (std::find(names.begin(), names.end(), key) == names.end()) names.push_back(key);
    }
  }
}

bool Gazetteer::Load(const std::string& wilayah_csv, const std::string& aliases_csv,
                     const std::unordered_set<std::string>& needs_marker, std::string* error) {
  needs_marker_ = needs_marker;
  std::unordered_map<std::string, int> kec_by_code;
  auto rows = ParseCsv(wilayah_csv);
  for (const auto& row : rows) {
    if (row.size() < 4 || row[1] != "kecamatan") continue;
    kec_by_code[row[0]] = static_cast<int>(kecamatan_.size());
    kecamatan_.push_back(row[2]);
    Index(NormalizePlaceName(row[2]), true, kec_by_code[row[0]]);
  }
  for (const auto& row : rows) {
    if (row.size() < 4 || (row[1] != "desa" && row[1] != "kelurahan")) continue;
    auto parent = kec_by_code.find(row[3]);
    if (parent == kec_by_code.end()) continue;
    int idx = static_cast<int>(desa_.size());
    desa_.push_back({row[2], parent->second, row[1] == "kelurahan"});
    Index(NormalizePlaceName(row[2]), false, idx);
  }
  if (kecamatan_.empty() || desa_.empty()) {
    *error = "no kecamatan/desa rows found (columns: code,level,name,parent_code)";
    return false;
  }
  // "Pantai Widarapayung": the first word of names that all lie in one kecamatan names that
  // kecamatan (Widarapayung Kulon and Wetan are both in Binangun).
  {
    std::unordered_map<std::string, std::set<int>> by_first;
    for (const auto& d : desa_) {
      const std::string key = NormalizePlaceName(d.name);
      const auto sp = key.find(' ');
      if (sp != std::string::npos) by_first[key.substr(0, sp)].insert(d.kecamatan);
    }
    for (const auto& [first, kecs] : by_first) {
      if (kecs.size() == 1 && names_.find(first) == names_.end() && first.size() >= 5) Index(first, true, *kecs.begin());
    }
  }
  for (const auto& row : ParseCsv(aliases_csv)) {
    if (row.size() < 2 || row[0] == "alias") continue;
    auto it = names_.find(NormalizePlaceName(row[1]));
    if (it == names_.end()) continue;  // alias of an unknown name: ignored
    Entry copy = it->second;
    const std::string alias = NormalizePlaceName(row[0]);
    for (int k : copy.kecamatan) Index(alias, true, k);
    for (int d : copy.desa) Index(alias, false, d);
  }
  return true;
}

std::unordered_set<std::string> Gazetteer::Words() const {
  std::unordered_set<std::string> out;
  for (const auto& [name, _] : names_) {
    for (std::string_view w : SplitWords(name)) out.emplace(w);
  }
  return out;
}

std::vector<Gazetteer::NameAt> Gazetteer::NamesByHashing(const NormalizedText& text) const {
  std::vector<NameAt> out;
  std::string key;
  const size_t n = text.tokens.size();
  for (size_t i = 0; i < n; ++i) {
    if (first_words_.find(Tok(text, i)) == first_words_.end()) continue;
    for (size_t len = std::min(kMaxNameWords, n - i); len >= 1; --len) {
      key.clear();
      for (size_t w = 0; w < len; ++w) {
        if (w) key += ' ';
        key += Tok(text, i + w);
      }
      auto it = names_.find(key);
      if (it == names_.end()) continue;
      out.push_back({i, len, it->second.id});
      break;
    }
  }
  return out;
}

std::vector<Gazetteer::NameAt> Gazetteer::NamesFromIds(const NormalizedText& text, const std::vector<int>& ids) const {
  std::vector<NameAt> out;
  const size_t n = text.tokens.size();
  for (int id : ids) {
    const auto& words = name_words_[id];
    for (size_t i = 0; i + words.size() <= n; ++i) {
      bool ok = true;
      for (size_t w = 0; w < words.size() && ok; ++w) ok = Tok(text, i + w) == words[w];
      if (ok) out.push_back({i, words.size(), id});
    }
  }
  // Longest name first at each token ("cilacap selatan" over "cilacap").
  std::sort(out.begin(), out.end(), [](const NameAt& a, const NameAt& b) {
    return a.token != b.token ? a.token < b.token : a.ntokens > b.ntokens;
  });
  return out;
}

Location Gazetteer::Find(const NormalizedText& text, std::string_view original) const {
  return Resolve(text, NamesByHashing(text), &original);
}

Location Gazetteer::Find(const NormalizedText& text, std::string_view original, const std::vector<int>& name_ids) const {
  return Resolve(text, NamesFromIds(text, name_ids), &original);
}

Location Gazetteer::Resolve(const NormalizedText& text, const std::vector<NameAt>& names,
                            const std::string_view* original) const {
  struct Mention {
    const Entry* entry;
    Marker marker;
    size_t token, ntokens;
    std::string key;
    Level level = Level::kAny;
  };
  std::vector<Mention> mentions;
  const size_t n = text.tokens.size();
  auto level_before = [&](size_t i) {
    if (i == 0) return Level::kAny;
    std::string_view w = Tok(text, i - 1);
    if (w == "kel" || w == "kelurahan") return Level::kKelurahan;
    if (w == "desa" || w == "ds") return Level::kDesa;
    return Level::kAny;
  };
  size_t next = 0;  // into names
  for (size_t i = 0; i < n; ++i) {
    auto marker_before = [&] { return i > 0 ? MarkerOf(Tok(text, i - 1)) : Marker::kNone; };
    while (next < names.size() && names[next].token < i) ++next;
    if (next < names.size() && names[next].token == i) {
      const NameAt& at = names[next];
      const std::string& key = name_list_[at.id];
      const Marker marker = marker_before();
      if (!(at.ntokens == 1 && needs_marker_.count(key) && marker != Marker::kKecamatan && marker != Marker::kDesa)) {
        mentions.push_back({&names_.find(key)->second, marker, i, at.ntokens, key, level_before(i)});
        i += at.ntokens - 1;
        continue;
      }
    }
    // Typo tolerance (one edit) only right after a place word (kec, desa, di, daerah, ...):
    // elsewhere a near-miss is more likely another word, and checking costs time per token.
    // Typo tolerance (one edit): after a place word (kec, desa, di, daerah, ...) for words
    // of 5+ letters, elsewhere only for long words, where a near-miss is rarely another word.
    std::string_view tok = Tok(text, i);
    if (tok.size() < 5) continue;
    const Marker marker = marker_before();
    if (marker == Marker::kKecamatan || marker == Marker::kDesa) {
      // A place name the slang map turned into a word ("desa Bener" → "desa benar"): the
      // original spelling still counts after an explicit desa/kec.
      const Token& t = text.tokens[i];
      if (t.orig_end - t.orig_begin <= 40 && original != nullptr) {
        std::string orig = NormalizePlaceName(std::string(original->substr(t.orig_begin, t.orig_end - t.orig_begin)));
        if (orig != tok) {
          auto it = names_.find(orig);
          if (it != names_.end()) {
            mentions.push_back({&it->second, marker, i, 1, it->first, level_before(i)});
            continue;
          }
        }
      }
    }
    // Unmarked words need 7+ letters and the first four letters of a name: most words stop here.
    if (marker == Marker::kNone && (tok.size() < 7 || name_starts4_.find(tok.substr(0, 4)) == name_starts4_.end())) continue;
    if (name_starts_.find(tok.substr(0, 3)) == name_starts_.end()) continue;
    if (names_.find(std::string(tok)) != names_.end()) continue;  // an exact name, not taken above
    std::set<std::string> near;
    auto add = [&](const std::string& probe) {
      auto d = deletions_.find(probe);
      if (d != deletions_.end()) near.insert(d->second.begin(), d->second.end());
      if (names_.count(probe) && probe.size() + 1 == tok.size()) near.insert(probe);
    };
    const std::string t(tok);
    add(t);                                     // a letter missing from the post
    for (size_t k = 0; k < t.size(); ++k) add(t.substr(0, k) + t.substr(k + 1));  // extra or wrong letter
    if (near.size() == 1 && !needs_marker_.count(*near.begin())) {
      auto it = names_.find(*near.begin());
      mentions.push_back({&it->second, marker, i, 1, it->first, level_before(i)});
    }
  }

  Location loc;
  if (mentions.empty()) return loc;

  // A kecamatan: the first one marked as such, else the first bare kecamatan name.
  std::optional<int> kec;
  const Mention* kec_mention = nullptr;
  for (const auto& m : mentions) {
    if (m.marker == Marker::kKecamatan && !m.entry->kecamatan.empty()) {
      kec = m.entry->kecamatan[0];
      kec_mention = &m;
      break;
    }
  }
  if (!kec) {
    for (const auto& m : mentions) {
      if (m.marker != Marker::kDesa && !m.entry->kecamatan.empty()) {
        kec = m.entry->kecamatan[0];
        kec_mention = &m;
        break;
      }
    }
  }
  // A desa: marked ones first; resolved by the kecamatan when the name is shared.
  std::vector<const Mention*> order;
  for (const auto& m : mentions) if (m.marker == Marker::kDesa) order.push_back(&m);
  for (const auto& m : mentions) if (m.marker != Marker::kDesa) order.push_back(&m);
  const Mention* chosen = nullptr;
  for (const Mention* m : order) {
    const auto& options = m->entry->desa;
    if (options.empty()) continue;
    // A bare kecamatan name that is also a desa name ("Kroya") names the kecamatan first.
    if (m->marker != Marker::kDesa && !m->entry->kecamatan.empty() && m != kec_mention) continue;
    if (m->marker == Marker::kKecamatan) continue;  // "kec. Kroya" names the kecamatan only
    // "kelurahan X" / "desa X" say which kind of place is meant, when both kinds exist;
    // people write "kel." loosely, so the word only decides between places that fit.
    std::vector<int> fit, fit_level;
    for (int d : options) {
      if (kec && desa_[d].kecamatan != *kec) continue;
      fit.push_back(d);
      const bool level_ok = m->level == Level::kAny || (m->level == Level::kKelurahan) == desa_[d].kelurahan;
      if (level_ok) fit_level.push_back(d);
    }
    if (!fit_level.empty()) fit = fit_level;
    if (fit.size() == 1) {
      loc.desa = desa_[fit[0]].name;
      if (!kec) kec = desa_[fit[0]].kecamatan;
      chosen = m;
      loc.candidates.clear();
      break;
    }
    if (fit.empty() && kec && m->marker == Marker::kDesa) continue;  // a desa elsewhere: ignore
    if (loc.candidates.empty() && options.size() > 1) {
      for (int d : options) loc.candidates.push_back(desa_[d].name + " (Kec. " + kecamatan_[desa_[d].kecamatan] + ")");
      chosen = m;
    }
  }
  if (kec) loc.kecamatan = kecamatan_[*kec];
  if (!loc.candidates.empty() && loc.desa) loc.candidates.clear();
  const Mention* span_of = chosen ? chosen : kec_mention;
  if (!span_of) span_of = &mentions[0];
  loc.matched = span_of->key;
  loc.span = text.OriginalSpan(text.tokens[span_of->token].begin,
                               text.tokens[span_of->token + span_of->ntokens - 1].end);
  return loc;
}

}  // namespace sambat::classifier
