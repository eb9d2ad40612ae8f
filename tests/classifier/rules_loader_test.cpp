#include "classifier/rules_loader.h"

#include <gtest/gtest.h>

#include "tests/classifier/test_rules.h"

namespace sambat::classifier {
namespace {

using testing::SourcesWith;

struct Found {
  std::string code;
  int line, column;
  std::string rule;
  bool operator==(const Found&) const = default;
};

std::vector<Found> Errors(const RulesLoad& l) {
  std::vector<Found> out;
  for (const auto& d : l.diagnostics) {
    if (d.severity == RuleDiagnostic::Severity::kError) out.push_back({d.code, d.pos.line, d.pos.column, d.rule_id});
  }
  return out;
}

constexpr const char* kGood = R"(version: 1
lists:
  jalan: [jalan, aspal, jalan raya]
  rusak: [rusak, berlubang, "lubang*", ambles]
rules:
  - id: jalan-rusak
    description: Jalan rusak
    kind: topic
    opd: DPUPR
    kategori: Jalan rusak
    weight: 3
    near: ["$jalan", "$rusak"]
    within: 3
    not: [jalan jalan]
    examples:
      match: ["jln dpn rumah rusak", "aspal lubangnya banyak"]
      no_match: ["jalan jalan ke pantai, hati rusak"]
  - id: tolong
    kind: signal
    weight: 2
    any: [tolong, mohon, kapan diperbaiki]
    examples: {match: ["tlg pak"], no_match: ["tolak"]}
  - id: promo
    kind: suppressor
    weight: 5
    any: [promo, diskon]
    examples: {match: ["promo aspal murah"]}
  - id: sampah-dan-bau
    kind: topic
    opd: DLH
    kategori: Sampah
    weight: 3
    all: [sampah, [bau, busuk]]
    examples: {match: ["bau banget, sampah numpuk"], no_match: ["sampah doang"]}
)";

TEST(RulesLoader, GoodRulesLoadAndExamplesPass) {
  auto l = CompileRules(SourcesWith("good.yaml", kGood));
  ASSERT_TRUE(l.ok()) << (l.diagnostics.empty() ? "" : l.diagnostics[0].ToString());
  EXPECT_EQ(l.examples_failed, 0);
  EXPECT_EQ(l.examples_run, 8);
  EXPECT_EQ(l.classifier->ruleset().rules().size(), 4u);
}

TEST(RulesLoader, NearRespectsTheWindowInEitherOrder) {
  auto l = CompileRules(SourcesWith("good.yaml", kGood));
  ASSERT_TRUE(l.ok());
  const Classifier& c = *l.classifier;
  EXPECT_TRUE(c.Classify("rusak parah, jalan depan").complaint);   // rusak ... jalan: 2 apart
  EXPECT_FALSE(c.Classify("jalan ke rumah nenek sungguh sangat jauh dan rusak").complaint);  // 8 apart
  EXPECT_FALSE(c.Classify("jalan jalan ke aspal baru, rusak").complaint);    // `not` blocks it
}

TEST(RulesLoader, ScoresRankOpdsAndExplainSpans) {
  auto l = CompileRules(SourcesWith("good.yaml", kGood));
  ASSERT_TRUE(l.ok());
  const std::string post = "Tolong, JLN raya Kroya berlubang & sampah bau";
  Classification r = l.classifier->Classify(post);
  EXPECT_TRUE(r.complaint);
  EXPECT_DOUBLE_EQ(r.score, 8);  // 3 + 2 + 3
  ASSERT_EQ(r.opd.size(), 2u);
  EXPECT_EQ(r.opd[0].code, "DPUPR");  // tie: the earlier rule wins
  EXPECT_EQ(r.kategori, "Jalan rusak");
  ASSERT_FALSE(r.rules.empty());
  const auto& spans = r.rules[0].spans;
  ASSERT_FALSE(spans.empty());
  EXPECT_EQ(post.substr(spans[0].first, spans[0].second - spans[0].first), "JLN raya");
  EXPECT_EQ(r.location.kecamatan, "Kroya");
}

TEST(RulesLoader, APhraseEndingInAPrefixMatchesAnyWordItStartsAtTheEnd) {
  auto l = CompileRules(SourcesWith("prefix.yaml", R"(version: 1
rules:
  - id: lampu-mati
    kind: topic
    opd: DISHUB
    kategori: PJU
    weight: 3
    any: ["lampu jalan mati*"]
)"));
  ASSERT_TRUE(l.ok()) << (l.diagnostics.empty() ? "" : l.diagnostics[0].ToString());
  auto spans = [&](const std::string& post) {
    std::vector<std::string> out;
    for (const auto& m : l.classifier->Classify(post).rules) {
      for (const auto& [b, e] : m.spans) out.push_back(post.substr(b, e - b));
    }
    return out;
  };
  EXPECT_EQ(spans("Lampu jalan matinya sudah seminggu"), std::vector<std::string>({"Lampu jalan matinya"}));
  EXPECT_EQ(spans("lampu jalan mati, lampu jalan mati total"),
            std::vector<std::string>({"lampu jalan mati", "lampu jalan mati"}));
  EXPECT_TRUE(spans("lampu jalan hidup, mati lampu jalan").empty());  // the words, not in order
  EXPECT_TRUE(spans("lampu jalanan matinya").empty());                 // only the last word is a prefix
}

TEST(RulesLoader, SuppressorPullsBelowThreshold) {
  auto l = CompileRules(SourcesWith("good.yaml", kGood));
  ASSERT_TRUE(l.ok());
  Classification r = l.classifier->Classify("PROMO aspal jalan rusak? diskon tambal");
  EXPECT_FALSE(r.complaint);
  EXPECT_LT(r.score, r.threshold);
}

TEST(RulesLoader, EveryProblemIsReportedWithCodeAndPosition) {
  const char* bad = R"(version: 1
lists:
  jalan: [jalan]
rules:
  - id: a
    kind: topic
    opd: DPUXX
    kategori: X
    any: ["$tidak_ada"]
  - id: a
    kind: signal
    any: [x]
  - id: b
    kind: signal
    regex: "tolong("
    colour: red
  - id: c
    kind: weird
    any: [y]
)";
  auto l = CompileRules(SourcesWith("bad.yaml", bad));
  EXPECT_FALSE(l.ok());
  auto errors = Errors(l);
  auto has = [&](const Found& f) { return std::find(errors.begin(), errors.end(), f) != errors.end(); };
  EXPECT_TRUE(has({"unknown-key", 16, 5, "b"}));
  EXPECT_TRUE(has({"bad-value", 18, 11, "c"}));
  EXPECT_TRUE(has({"duplicate-id", 10, 5, "a"}));
  EXPECT_TRUE(has({"unknown-opd", 7, 10, "a"}));
  EXPECT_TRUE(has({"unknown-list", 9, 11, "a"}));
  EXPECT_TRUE(has({"bad-pattern", 15, 12, "b"}));
  for (const auto& d : l.diagnostics) EXPECT_EQ(d.pos.file, "bad.yaml");
}

TEST(RulesLoader, YamlSyntaxErrorHasPosition) {
  auto l = CompileRules(SourcesWith("broken.yaml", "version: 1\nrules:\n  - id: [x\n"));
  ASSERT_FALSE(l.ok());
  auto e = Errors(l);
  ASSERT_FALSE(e.empty());
  EXPECT_EQ(e[0].code, "yaml-syntax");
  EXPECT_GE(e[0].line, 3);
}

TEST(RulesLoader, NewerEngineVersionIsRefused) {
  auto l = CompileRules(SourcesWith("v9.yaml", "version: 9\nrules: []\n"));
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(Errors(l)[0].code, "bad-version");
}

TEST(RulesLoader, FailingExamplesAreWarningsWithPositions) {
  const char* yaml = R"(version: 1
rules:
  - id: t
    kind: signal
    any: [tolong]
    examples:
      match: ["mohon"]
      no_match: ["tolong dong"]
)";
  auto l = CompileRules(SourcesWith("ex.yaml", yaml));
  ASSERT_TRUE(l.ok());  // warnings do not stop a load
  EXPECT_EQ(l.examples_failed, 2);
  int found = 0;
  for (const auto& d : l.diagnostics) {
    if (d.code == std::string("example-failed")) {
      ++found;
      EXPECT_TRUE(d.pos.line == 7 || d.pos.line == 8) << d.ToString();
    }
  }
  EXPECT_EQ(found, 2);
}

TEST(RulesLoader, GapRegexWarnsAsSlow) {
  const char* yaml = "version: 1\nrules:\n  - id: g\n    kind: signal\n    regex: 'jalan.{0,40}rusak'\n"
                     "    examples: {match: ['jalan di sini rusak']}\n";
  auto l = CompileRules(SourcesWith("gap.yaml", yaml));
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l.examples_failed, 0);
  bool slow = false;
  for (const auto& d : l.diagnostics) slow |= d.code == std::string("slow-pattern");
  EXPECT_TRUE(slow);
}

TEST(RulesLoader, SetAndNaiveAgree) {
  auto l = CompileRules(SourcesWith("good.yaml", kGood));
  ASSERT_TRUE(l.ok());
  for (const char* post : {"Tolong, JLN raya berlubang", "promo diskon", "sampah bau busuk di aspal ambles",
                           "jalan jalan rusak", ""}) {
    auto a = l.classifier->Classify(post);
    auto b = l.classifier->ClassifyNaive(post);
    EXPECT_EQ(a.complaint, b.complaint) << post;
    EXPECT_EQ(a.score, b.score) << post;
    EXPECT_EQ(a.rules.size(), b.rules.size()) << post;
  }
}

TEST(ShippedRules, LoadWithoutErrorsAndEveryExamplePasses) {
  auto l = LoadRules(SAMBAT_SOURCE_DIR "/rules");
  for (const auto& d : l.diagnostics) {
    if (d.severity == RuleDiagnostic::Severity::kError || d.code == std::string("example-failed"))
      ADD_FAILURE() << d.ToString();
  }
  ASSERT_TRUE(l.ok());
  // Every OPD code has at least one topic rule.
  for (const auto& o : l.classifier->opds()) {
    bool covered = false;
    for (const auto& r : l.classifier->ruleset().rules()) covered |= r.kind == RuleKind::kTopic && r.opd == o.code;
    EXPECT_TRUE(covered) << o.code;
  }
}

TEST(ShippedRules, MissingFolderIsAClearError) {
  auto l = LoadRules("/nonexistent/rules");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(Errors(l)[0].code, "missing-file");
}

}  // namespace
}  // namespace sambat::classifier

namespace sambat::classifier {
namespace {

// Hostile posts: no crash and sane output; the time per byte is measured by
// BM_ClassifyHostile in bench/ (linear from 1 kB to 1 MB).
TEST(ShippedRules, HostilePostsAreClassifiedWithoutTrouble) {
  auto l = LoadRules(SAMBAT_SOURCE_DIR "/rules");
  ASSERT_TRUE(l.ok());
  std::string megabyte;
  while (megabyte.size() < (1 << 20)) megabyte += "jalan rusak parah tolong @pemkab #jalanrusak 😡 ";
  std::string emoji;
  for (int i = 0; i < 10000; ++i) emoji += "😡";
  std::string invalid;
  for (int i = 0; i < 5000; ++i) invalid += "jln \xff\xc3\x28 rusak \xe2\x82 ";
  const std::string repeated(100000, 'a');
  const std::string hashtag = "#" + std::string(100000, 'j');
  for (const std::string* post : std::vector<const std::string*>{&megabyte, &emoji, &invalid, &repeated, &hashtag}) {
    Classification r = l.classifier->Classify(*post);
    for (const auto& m : r.rules) {
      for (const auto& [b, e] : m.spans) {
        ASSERT_LE(b, e);
        ASSERT_LE(e, post->size());
      }
    }
  }
  EXPECT_TRUE(l.classifier->Classify(megabyte).complaint);
  EXPECT_FALSE(l.classifier->Classify(emoji).complaint);
}

}  // namespace
}  // namespace sambat::classifier
