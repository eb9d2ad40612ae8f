#include "classifier/word_index.h"

#include <cstring>

namespace sambat::classifier {

uint64_t WordIndex::Hash(std::string_view s) {
  // Eight bytes at a time, then a final mix (splitmix64): words are short, this is a few
  // multiplications where byte-at-a-time FNV is one per letter.
  uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, s.data() + i, 8);
    h = (h ^ chunk) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  if (i < s.size()) {
    uint64_t chunk = 0;
    std::memcpy(&chunk, s.data() + i, s.size() - i);
    h = (h ^ chunk) * 0xc4ceb9fe1a85ec53ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

int WordIndex::Find(std::string_view word) const {
  if (slots_.empty()) return -1;
  const uint64_t h = Hash(word);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.id < 0) return -1;
    if (s.hash == h && words_[static_cast<size_t>(s.id)] == word) return s.id;
  }
}

int WordIndex::Add(std::string_view word) {
  if (const int id = Find(word); id >= 0) return id;
  if ((words_.size() + 1) * 2 > slots_.size()) Grow();
  const uint64_t h = Hash(word);
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i].id >= 0) i = (i + 1) & mask;
  slots_[i] = {h, static_cast<int32_t>(words_.size())};
  words_.emplace_back(word);
  return slots_[i].id;
}

void WordIndex::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id < 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].id >= 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace sambat::classifier
