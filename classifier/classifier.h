// The complaint classifier: normalise → one RE2::Set pass over all rules → score. Decides
// whether a post is a complaint, ranks the OPDs that should handle it, and finds the place.
// Knows nothing of storage or HTTP. Immutable once built; Classify is thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "classifier/gazetteer.h"
#include "classifier/normalizer.h"
#include "classifier/ruleset.h"

namespace sambat::classifier {

struct Opd {
  std::string code, name, scope;
  bool outside = false;  // not the Pemkab's to handle (PLN, BPJS Kesehatan, police, BBWS)
};

struct OpdScore {
  std::string code;
  double score = 0;
};

struct MatchedRule {
  std::string id;
  RuleKind kind = RuleKind::kSignal;
  double weight = 0;
  std::string opd;
  // Byte ranges in the ORIGINAL text, and the original words they cover.
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  std::vector<std::string> texts;
};

struct Classification {
  bool complaint = false;
  double score = 0, threshold = 0;
  std::vector<OpdScore> opd;  // best first
  std::string kategori;       // of the best OPD's strongest topic rule
  Location location;
  std::vector<MatchedRule> rules;
  // For codes marked `outside`: "bukan kewenangan Pemkab — teruskan ke ...".
  std::string note;
  uint64_t simhash = 0;  // of the normalised words, for near-duplicate grouping (complaints only)
};

class Classifier {
 public:
  struct Parts {
    std::unique_ptr<Normalizer> normalizer;
    std::unique_ptr<Ruleset> ruleset;
    Gazetteer gazetteer;
    std::vector<Opd> opds;
    double threshold = 3;
    std::string version;  // identifies the rule files' content
  };
  explicit Classifier(Parts parts) : p_(std::move(parts)) {}

  Classification Classify(std::string_view text) const;
  // The same decision with the rules tried one by one (benchmark baseline).
  Classification ClassifyNaive(std::string_view text) const;

  const Normalizer& normalizer() const { return *p_.normalizer; }
  const Ruleset& ruleset() const { return *p_.ruleset; }
  const std::vector<Opd>& opds() const { return p_.opds; }
  const Gazetteer& gazetteer() const { return p_.gazetteer; }
  const Opd* FindOpd(const std::string& code) const;
  double threshold() const { return p_.threshold; }
  const std::string& version() const { return p_.version; }

 private:
  Classification Score(std::string_view original, const NormalizedText& text,
                       const std::vector<RuleHit>& hits) const;
  Parts p_;
};

}  // namespace sambat::classifier
