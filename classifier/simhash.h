// SimHash of a post's normalised words: near-identical texts (a repost, a cross-post with
// small changes) get fingerprints a few bits apart.
#pragma once

#include <cstdint>

#include "classifier/normalizer.h"

namespace sambat::classifier {

// 64-bit SimHash over word bigrams (and single words for very short posts); 0 for no words.
uint64_t SimHash(const NormalizedText& text);

inline int HammingDistance(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }

}  // namespace sambat::classifier
