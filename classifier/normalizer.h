// Normalisation: turns what a citizen wrote into the plain token stream rules are written
// against (docs/rules-format.md), keeping a map back to the original bytes so matches can be
// highlighted on the original post. Linear in the input size; never fails on bad input.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "classifier/word_index.h"

namespace sambat::classifier {

struct Token {
  uint32_t begin = 0, end = 0;            // byte range in NormalizedText::text
  uint32_t orig_begin = 0, orig_end = 0;  // the original bytes the token came from
};

struct NormalizedText {
  // Lowercase tokens separated by single spaces.
  std::string text;
  std::vector<Token> tokens;

  // The original byte range covered by text[begin, end), widened to whole tokens (a slang
  // word replaced by two words maps both to the one original word).
  // REQUIRES: begin < end <= text.size().
  std::pair<uint32_t, uint32_t> OriginalSpan(uint32_t begin, uint32_t end) const;
  // Index of the token containing byte `pos` of `text` (or the token before a space).
  size_t TokenAt(uint32_t pos) const;
};

// FNV-1a: the keys are short words, where it beats the library's general-purpose hash.
struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

// slang → standard replacement (one or more words), e.g. "jln" → "jalan".
using SlangMap = std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>>;
using WordSet = std::unordered_set<std::string, TransparentHash, std::equal_to<>>;

class Normalizer {
 public:
  // `vocabulary`: known words used to split hashtags (#jalanrusak → jalan rusak).
  Normalizer(SlangMap slang, WordSet vocabulary);

  NormalizedText Normalize(std::string_view original) const;

 private:
  // The words of a hashtag body, split on known words when the whole body splits.
  void SplitHashtag(std::string_view body, std::vector<std::string>* words) const;

  // The slang map, flat, for the lookup of every word of every post.
  WordIndex slang_index_;
  std::vector<std::string> replacements_;  // by slang_index_ id
  WordSet vocabulary_;
  size_t longest_word_ = 0;
};

// The space-separated words of `text` (empty words skipped).
std::vector<std::string_view> SplitWords(std::string_view text);

// `text` with every invalid UTF-8 byte replaced by U+FFFD, safe to put in JSON or HTML.
std::string RepairUtf8(std::string_view text);

}  // namespace sambat::classifier
