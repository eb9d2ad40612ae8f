// Normalisation: turns what a citizen wrote into the plain token stream rules are written
// against (docs/rules-format.md), keeping a map back to the original bytes so matches can be
// highlighted on the original post. Linear in the input size; never fails on bad input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sambat::classifier {

struct Token {
  uint32_t begin = 0, end = 0;  // byte range in NormalizedText::text
};

struct NormalizedText {
  // Lowercase tokens separated by single spaces.
  std::string text;
  std::vector<Token> tokens;
  // For every byte of `text`, the original byte range it came from.
  std::vector<uint32_t> orig_begin, orig_end;

  // The original byte range of text[begin, end). REQUIRES: begin < end <= text.size().
  std::pair<uint32_t, uint32_t> OriginalSpan(uint32_t begin, uint32_t end) const {
    return {orig_begin[begin], orig_end[end - 1]};
  }
  // Index of the token containing byte `pos` of `text`.
  size_t TokenAt(uint32_t pos) const;
};

// slang → standard replacement (one or more words), e.g. "jln" → "jalan".
using SlangMap = std::unordered_map<std::string, std::string>;

class Normalizer {
 public:
  // `vocabulary`: known words used to split hashtags (#jalanrusak → jalan rusak).
  Normalizer(SlangMap slang, std::unordered_set<std::string> vocabulary);

  NormalizedText Normalize(std::string_view original) const;

  const SlangMap& slang() const { return slang_; }

 private:
  // Appends the words of a hashtag body, split on known words when possible.
  void SplitHashtag(std::string_view body, std::vector<std::string>* words) const;

  SlangMap slang_;
  std::unordered_set<std::string> vocabulary_;
  size_t longest_word_ = 0;
};

// `text` with every invalid UTF-8 byte replaced by U+FFFD, safe to put in JSON or HTML.
std::string RepairUtf8(std::string_view text);

}  // namespace sambat::classifier
