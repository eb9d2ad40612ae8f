#include "classifier/word_index.h"

#include <gtest/gtest.h>

#include <string>

namespace sambat::classifier {
namespace {

TEST(WordIndex, IdsAreDenseAndStable) {
  WordIndex index;
  EXPECT_EQ(index.Find("jalan"), -1);
  EXPECT_EQ(index.Add("jalan"), 0);
  EXPECT_EQ(index.Add("rusak"), 1);
  EXPECT_EQ(index.Add("jalan"), 0);  // adding again keeps the id
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.Find("rusak"), 1);
  EXPECT_EQ(index.word(1), "rusak");
}

TEST(WordIndex, TellsApartWordsThatShareBytes) {
  // Same first eight bytes, different lengths and tails; empty word; bytes above 0x7f.
  WordIndex index;
  const std::string words[] = {"", "a", "penerangan", "penerang", "penerangan jalan", "penerangan jalam",
                               std::string("ab\0c", 4), "ab", "jalan\xe2\x80\x8b"};
  for (const auto& w : words) index.Add(w);
  for (size_t i = 0; i < std::size(words); ++i) EXPECT_EQ(index.Find(words[i]), static_cast<int>(i)) << i;
  EXPECT_EQ(index.Find("peneranga"), -1);
  EXPECT_EQ(index.Find("jalan"), -1);
}

TEST(WordIndex, GrowsPastManyWords) {
  WordIndex index;
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(index.Add("w" + std::to_string(i)), i);
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(index.Find("w" + std::to_string(i)), i);
  EXPECT_EQ(index.Find("w10000"), -1);
}

}  // namespace
}  // namespace sambat::classifier
