// Where a complaint happened: kecamatan and desa of Kabupaten Cilacap found in the post,
// from the Kemendagri gazetteer (rules/wilayah.csv) plus spelling variants.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "classifier/normalizer.h"

namespace sambat::classifier {

struct Location {
  std::optional<std::string> kecamatan, desa;  // spelled as in the gazetteer
  // When a desa name exists in several kecamatan and the post does not say which:
  // "Sidamulya (Kec. Sidareja)", ... and no desa/kecamatan is chosen.
  std::vector<std::string> candidates;
  std::optional<std::pair<uint32_t, uint32_t>> span;  // original bytes of the place name
  std::string matched;                                // the normalised words that matched
};

class Gazetteer {
 public:
  // `wilayah_csv`: code,level,name,parent_code. `aliases_csv`: alias,name (another spelling
  // of a gazetteer name). `needs_marker`: names that are also ordinary words ("buntu",
  // "jati") and count only after desa/kec/kel/dusun/daerah.
  // Returns false with `error` when the gazetteer text is unusable.
  bool Load(const std::string& wilayah_csv, const std::string& aliases_csv,
            const std::unordered_set<std::string>& needs_marker, std::string* error);

  // `original`: the text `text` was normalised from (place names the slang map changed are
  // looked up there).
  Location Find(const NormalizedText& text, std::string_view original) const;
  // The same, given which names (indices into Names()) occur in the text, e.g. from the
  // classifier's RE2::Set scan: no per-token lookups.
  Location Find(const NormalizedText& text, std::string_view original, const std::vector<int>& name_ids) const;
  // Every normalised name and alias, in a stable order.
  const std::vector<std::string>& Names() const { return name_list_; }

  // Every word of every name, for hashtag splitting (#banjirkroya).
  std::unordered_set<std::string> Words() const;
  size_t kecamatan_count() const { return kecamatan_.size(); }
  // The kecamatan's names as the gazetteer spells them, in file order.
  const std::vector<std::string>& kecamatan_names() const { return kecamatan_; }
  size_t desa_count() const { return desa_.size(); }

 private:
  struct Desa {
    std::string name;
    int kecamatan;  // index into kecamatan_
    bool kelurahan;
  };
  enum class Level { kAny, kDesa, kKelurahan };
  struct Entry {
    std::vector<int> kecamatan;  // indices
    std::vector<int> desa;
    int id = 0;                  // index into name_list_
  };
  struct NameAt {
    size_t token, ntokens;
    int id;
  };
  std::vector<NameAt> NamesByHashing(const NormalizedText& text) const;
  std::vector<NameAt> NamesFromIds(const NormalizedText& text, const std::vector<int>& ids) const;
  Location Resolve(const NormalizedText& text, const std::vector<NameAt>& names, const std::string_view* original) const;
  void Index(const std::string& key, bool is_kecamatan, int idx);

  std::vector<std::string> kecamatan_;
  std::vector<Desa> desa_;
  std::unordered_map<std::string, Entry> names_;  // normalised name → places
  std::vector<std::string> name_list_;                // by Entry::id
  std::vector<std::vector<std::string>> name_words_;  // by Entry::id
  std::unordered_map<std::string, std::vector<std::string>> deletions_;  // 1-deletion → names
  std::unordered_set<std::string> needs_marker_;
  WordSet name_starts_, name_starts4_;  // first 3 and 4 letters of one-word names: cheap filters
  WordSet first_words_;  // first word of every name: most tokens stop here  // first 3 letters of one-word names: a cheap filter
};

// Lowercase, words separated by single spaces: how names are compared with posts.
std::string NormalizePlaceName(const std::string& name);

}  // namespace sambat::classifier
