// libFuzzer target: the normaliser and the whole classifier on arbitrary bytes.
// Invariants: never crash, token ranges inside the text, original spans inside the input.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "classifier/rules_loader.h"

namespace {
const sambat::classifier::Classifier* Shipped() {
  static auto load = sambat::classifier::LoadRules(SAMBAT_SOURCE_DIR "/rules");
  if (!load.ok()) std::abort();
  return load.classifier.get();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto* c = Shipped();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto norm = c->normalizer().Normalize(input);
  for (const auto& t : norm.tokens) {
    if (t.begin >= t.end || t.end > norm.text.size() || t.orig_begin > t.orig_end || t.orig_end > size) std::abort();
  }
  auto r = c->Classify(input);
  for (const auto& m : r.rules) {
    for (const auto& [b, e] : m.spans) {
      if (b > e || e > size) std::abort();
    }
  }
  return 0;
}
