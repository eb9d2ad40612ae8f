// A map from short words to dense ids (0, 1, 2, ...) in one flat array. The classifier looks
// up every token of every post; std::unordered_map's per-node allocations, pointer chasing
// and modulo by a prime cost more there than the work itself (measured in bench/).
// Build once, then Find from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sambat::classifier {

class WordIndex {
 public:
  // The id of `word`, adding it (with the next id) when new.
  int Add(std::string_view word);
  // The id of `word`, or -1 when it was never added.
  int Find(std::string_view word) const;
  size_t size() const { return words_.size(); }
  // The word with id `id`. REQUIRES: 0 <= id < size().
  std::string_view word(int id) const { return words_[static_cast<size_t>(id)]; }

 private:
  struct Slot {
    uint64_t hash = 0;
    int32_t id = -1;  // -1: empty
  };
  static uint64_t Hash(std::string_view s);
  void Grow();

  std::vector<Slot> slots_;  // power-of-two size, linear probing, at most half full
  std::vector<std::string> words_;
};

}  // namespace sambat::classifier
