// libFuzzer target: the rule loader on arbitrary rule files. Invariants: never crash, never
// throw; errors come back as diagnostics with positions.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "classifier/rules_loader.h"

namespace {
std::string Read(const char* rel) {
  std::ifstream in(std::string(SAMBAT_SOURCE_DIR) + "/" + rel);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string opd = Read("rules/opd_codes.csv");
  static const std::string wilayah = Read("rules/wilayah.csv");
  sambat::classifier::RulesSources s;
  std::string text(reinterpret_cast<const char*>(data), size);
  // The same bytes serve as a rule file and as the slang map.
  s.files.emplace_back("fuzz.yaml", text);
  s.slang_yaml = text;
  s.opd_csv = opd;
  s.wilayah_csv = wilayah;
  auto load = sambat::classifier::CompileRules(s);
  if (load.ok()) {
    (void)load.classifier->Classify(text);
  } else if (load.diagnostics.empty()) {
    std::abort();  // a failed load must say why
  }
  return 0;
}
