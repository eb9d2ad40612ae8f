#include "classifier/gazetteer.h"

#include <gtest/gtest.h>

#include "tests/classifier/test_rules.h"

namespace sambat::classifier {
namespace {

class GazetteerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(gz_.Load(testing::ReadRepoFile("rules/wilayah.csv"), testing::ReadRepoFile("rules/wilayah_alias.csv"),
                         {"buntu", "jati", "bener", "cilacap"}, &error))
        << error;
  }
  Location Find(const std::string& post) { return gz_.Find(norm_.Normalize(post), post); }
  Gazetteer gz_;
  Normalizer norm_{{{"kec", "kecamatan"}, {"ds", "desa"}}, {}};
};

TEST_F(GazetteerTest, CountsMatchTheDecree) {
  EXPECT_EQ(gz_.kecamatan_count(), 24u);
  EXPECT_EQ(gz_.desa_count(), 284u);
}

TEST_F(GazetteerTest, Forms) {
  struct Case {
    const char* post;
    const char* kecamatan;
    const char* desa;
  } cases[] = {
      {"jalan di kec. kroya rusak", "Kroya", nullptr},
      {"depan pasar sidareja banjir", "Sidareja", "Sidareja"},  // a desa named like its kecamatan
      {"ds. tritih lor jalannya ancur", "Jeruklegi", "Tritih Lor"},
      {"desa kepudang binangun", "Binangun", "Kepudang"},
      {"Daerah Sumingkir sampah numpuk", "Jeruklegi", "Sumingkir"},
      {"kel. pengawaren", "Karangpucung", "Pangawaren"},        // older spelling
      {"desa Kedungbenda kec Nusawungu", "Nusawungu", "Kedungbenda"},
      {"kecamatan majenag jalannya rusak", "Majenang", nullptr},  // typo after a marker
      {"CILACAP SELATAN banjir rob", "Cilacap Selatan", nullptr},
      {"jalan buntu dekat rumah", nullptr, nullptr},            // an ordinary word
      {"lampu mati di desa buntu", "Kroya", "Buntu"},           // ...unless marked
      {"tidak ada tempat disebut", nullptr, nullptr},
      {"paving di Kelurahan Tambakreja amblas", "Cilacap Selatan", "Tambakreja"},  // the kelurahan, not the desa
      {"pipa borot nang Proliman Jeruklegy", "Jeruklegi", nullptr},  // typo in a long word
      {"sampah di pantai widarapayung", "Binangun", nullptr},   // Widarapayung Kulon/Wetan
      {"RSUD Cilacap antre", nullptr, nullptr},                  // the regency, not Kel. Cilacap
  };
  for (const auto& c : cases) {
    Location l = Find(c.post);
    EXPECT_EQ(l.kecamatan, c.kecamatan ? std::optional<std::string>(c.kecamatan) : std::nullopt) << c.post;
    EXPECT_EQ(l.desa, c.desa ? std::optional<std::string>(c.desa) : std::nullopt) << c.post;
  }
}

TEST_F(GazetteerTest, SharedDesaNameIsResolvedByKecamatanOrReportedAmbiguous) {
  Location resolved = Find("desa sidamulya kec wanareja");
  EXPECT_EQ(resolved.desa, "Sidamulya");
  EXPECT_EQ(resolved.kecamatan, "Wanareja");
  EXPECT_TRUE(resolved.candidates.empty());

  Location ambiguous = Find("jalan desa sidamulya rusak");
  EXPECT_FALSE(ambiguous.desa.has_value());
  EXPECT_FALSE(ambiguous.kecamatan.has_value());
  EXPECT_EQ(ambiguous.candidates.size(), 3u);
  EXPECT_EQ(ambiguous.matched, "sidamulya");
}

TEST_F(GazetteerTest, SpanPointsAtTheOriginalName) {
  const std::string post = "Banjir di Ds. KEPUDANG!!";
  Location l = gz_.Find(norm_.Normalize(post), post);
  ASSERT_TRUE(l.span);
  EXPECT_EQ(post.substr(l.span->first, l.span->second - l.span->first), "KEPUDANG");
}

}  // namespace
}  // namespace sambat::classifier
