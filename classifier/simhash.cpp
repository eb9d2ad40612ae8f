#include "classifier/simhash.h"

#include <array>
#include <string_view>

namespace sambat::classifier {
namespace {

uint64_t Fnv1a(std::string_view a, std::string_view b) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : a) h = (h ^ c) * 1099511628211ull;
  h = (h ^ 0x20) * 1099511628211ull;
  for (unsigned char c : b) h = (h ^ c) * 1099511628211ull;
  // Final mix (splitmix64) so nearby inputs spread over all bits.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

}  // namespace

uint64_t SimHash(const NormalizedText& text) {
  const auto& t = text.tokens;
  if (t.empty()) return 0;
  std::array<int, 64> v{};
  auto word = [&](size_t i) { return std::string_view(text.text).substr(t[i].begin, t[i].end - t[i].begin); };
  auto add = [&](uint64_t h) {
    for (int b = 0; b < 64; ++b) v[b] += (h >> b) & 1 ? 1 : -1;
  };
  if (t.size() < 3) {
    for (size_t i = 0; i < t.size(); ++i) add(Fnv1a(word(i), ""));
  } else {
    for (size_t i = 0; i + 1 < t.size(); ++i) add(Fnv1a(word(i), word(i + 1)));
  }
  uint64_t out = 0;
  for (int b = 0; b < 64; ++b) {
    if (v[b] > 0) out |= 1ull << b;
  }
  return out == 0 ? 1 : out;
}

}  // namespace sambat::classifier
