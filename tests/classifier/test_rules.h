// Rule sources for classifier tests: small rule files with the shipped data files.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "classifier/rules_loader.h"

namespace sambat::classifier::testing {

inline std::string ReadRepoFile(const std::string& rel) {
  std::ifstream in(std::string(SAMBAT_SOURCE_DIR) + "/" + rel);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

inline RulesSources SourcesWith(const std::string& name, const std::string& rules_yaml) {
  RulesSources s;
  s.files.emplace_back(name, rules_yaml);
  s.slang_yaml = "version: 1\nmap:\n  jln: jalan\n  gk: tidak\n  ora: tidak\n  tlg: tolong\n";
  s.opd_csv = ReadRepoFile("rules/opd_codes.csv");
  s.wilayah_csv = ReadRepoFile("rules/wilayah.csv");
  s.wilayah_alias_csv = ReadRepoFile("rules/wilayah_alias.csv");
  s.wilayah_ambigu_txt = ReadRepoFile("rules/wilayah_ambigu.txt");
  return s;
}

}  // namespace sambat::classifier::testing
