#include "classifier/normalizer.h"

#include <gtest/gtest.h>

namespace sambat::classifier {
namespace {

Normalizer Make() {
  SlangMap slang = {{"jln", "jalan"}, {"gk", "tidak"}, {"ora", "tidak"}, {"dalan", "jalan"},
                    {"udh", "sudah"}, {"sdh", "sudah"}, {"kpn", "kapan"}, {"tlg", "tolong"}};
  return Normalizer(slang, {"jalan", "rusak", "lampu", "mati", "banjir", "kroya", "sampah"});
}

std::string Norm(std::string_view in) { return Make().Normalize(in).text; }

TEST(Normalizer, TableOfForms) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"Jalan RUSAK", "jalan rusak"},
      {"𝗷𝗮𝗹𝗮𝗻 𝗿𝘂𝘀𝗮𝗸", "jalan rusak"},                  // mathematical bold
      {"ｊａｌａｎ", "jalan"},                          // fullwidth
      {"ja\u200Blan ru\u200Dsak", "jalan rusak"},     // zero-width characters
      {"rusaaaak tolonggg", "rusak tolong"},          // elongations
      {"sudah tanggul saluran", "sudah tanggul saluran"},  // real double letters stay
      {"jln gk dibenerin", "jalan tidak dibenerin"},  // slang
      {"dalan ora mulus", "jalan tidak mulus"},       // ngapak
      {"#jalanrusak di #kroya", "jalan rusak di kroya"},  // hashtags split on known words
      {"#xyzabc", "xyzabc"},                          // unknown hashtag kept as a word
      {"@pemkabcilacap tlg", "@pemkabcilacap tolong"},    // mentions kept
      {"Tom &amp; Jerry &lt;3 &#x41;", "tom jerry 3 a"},   // HTML entities
      {"lihat https://t.co/abc?x=1 dan www.example.com/x ya", "lihat dan ya"},  // URLs dropped
      {"jalan-jalan", "jalan jalan"},
      {"Café", "cafe"},
      {"RT.03/RW.05", "rt 03 rw 05"},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(Norm(c.in), c.out) << c.in;
}

TEST(Normalizer, InvalidUtf8NeverBreaks) {
  std::string bad = "jalan \xff\xfe rusak \xc3";
  EXPECT_EQ(Norm(bad), "jalan rusak");
  EXPECT_EQ(RepairUtf8(bad), "jalan \xEF\xBF\xBD\xEF\xBF\xBD rusak \xEF\xBF\xBD");
}

TEST(Normalizer, OffsetsMapBackToTheOriginal) {
  const std::string original = "Tlg, JLN 𝗿𝘂𝘀𝗮𝗸 rusaaak!";
  NormalizedText n = Make().Normalize(original);
  ASSERT_EQ(n.text, "tolong jalan rusak rusak");
  ASSERT_EQ(n.tokens.size(), 4u);
  auto span = [&](size_t tok) {
    auto [b, e] = n.OriginalSpan(n.tokens[tok].begin, n.tokens[tok].end);
    return original.substr(b, e - b);
  };
  EXPECT_EQ(span(0), "Tlg");        // slang replacement points at the original word
  EXPECT_EQ(span(1), "JLN");
  EXPECT_EQ(span(2), "𝗿𝘂𝘀𝗮𝗸");
  EXPECT_EQ(span(3), "rusaaak");    // the elongation is covered whole
  EXPECT_EQ(n.TokenAt(n.tokens[2].begin + 1), 2u);
  auto [b, e] = n.OriginalSpan(n.tokens[1].begin, n.tokens[2].end);  // across tokens
  EXPECT_EQ(original.substr(b, e - b), "JLN 𝗿𝘂𝘀𝗮𝗸");
}

TEST(Normalizer, HostileInputsStayBoundedAndWellFormed) {
  Normalizer norm = Make();
  std::string emoji;
  for (int i = 0; i < 10000; ++i) emoji += "😡";
  EXPECT_EQ(norm.Normalize(emoji).text, "");
  std::string repeated(100000, 'a');
  EXPECT_EQ(norm.Normalize(repeated).text, "a");
  std::string hashtag = "#";
  for (int i = 0; i < 2500; ++i) hashtag += "ab";
  EXPECT_EQ(norm.Normalize(hashtag).text.size(), 5000u);  // too long to split: kept whole
  std::string mixed;
  for (int i = 0; i < 20000; ++i) mixed += "jln\xff&amp;#x";
  auto n = norm.Normalize(mixed);
  for (const auto& t : n.tokens) {
    ASSERT_LE(t.end, n.text.size());
    ASSERT_LE(t.orig_end, mixed.size());
    ASSERT_LT(t.orig_begin, t.orig_end);
  }
}

}  // namespace
}  // namespace sambat::classifier
