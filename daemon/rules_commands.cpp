#include "daemon/rules_commands.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "classifier/evaluation.h"
#include "classifier/explain.h"
#include "classifier/result_json.h"
#include "classifier/rules_loader.h"

namespace sambat::daemon {
namespace {

using classifier::RuleDiagnostic;

// Loads rules, printing every diagnostic to stderr. Null on errors.
classifier::RulesLoad Load(const std::string& path, bool show_warnings) {
  classifier::RulesLoad load = classifier::LoadRules(path);
  for (const auto& d : load.diagnostics) {
    if (show_warnings || d.severity == RuleDiagnostic::Severity::kError) std::cerr << d.ToString() << "\n";
  }
  return load;
}

}  // namespace

int RulesCheck(const std::string& path) {
  auto load = Load(path, true);
  if (!load.ok()) return 1;
  const auto& rs = load.classifier->ruleset();
  int warnings = 0;
  for (const auto& d : load.diagnostics) warnings += d.severity == RuleDiagnostic::Severity::kWarning;
  std::cout << path << ": OK (" << rs.rules().size() << " rules, " << rs.terms().size() << " words and phrases, "
            << warnings << " warnings)\n";
  return 0;
}

int RulesTest(const std::string& path) {
  auto load = Load(path, false);
  for (const auto& d : load.diagnostics) {
    if (d.code == classifier::code::kExampleFailed) std::cerr << d.ToString() << "\n";
  }
  if (!load.ok()) return 1;
  std::cout << load.examples_run - load.examples_failed << " passed, " << load.examples_failed << " failed\n";
  return load.examples_failed == 0 ? 0 : 1;
}

int Classify(const std::string& rules_path, const std::string& text, bool have_text, bool jsonl, bool json) {
  auto load = Load(rules_path, false);
  if (!load.ok()) return 1;
  const classifier::Classifier& c = *load.classifier;
  if (jsonl) {
    std::string line;
    std::ios::sync_with_stdio(false);
    while (std::getline(std::cin, line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      std::cout << classifier::ClassifyJsonLine(c, line) << "\n";
    }
    return 0;
  }
  std::string input = text;
  if (!have_text) {
    std::stringstream buf;
    buf << std::cin.rdbuf();
    input = buf.str();
  }
  classifier::Classification r = c.Classify(input);
  if (json) std::cout << classifier::ClassificationToJson(r) << "\n";
  else std::cout << classifier::ExplainIndonesian(c, r, input);
  return 0;
}

int EvaluateFile(const std::string& rules_path, const std::string& file, bool verbose) {
  auto load = Load(rules_path, false);
  if (!load.ok()) return 1;
  std::ifstream in(file);
  if (!in) {
    std::cerr << "cannot read " << file << "\n";
    return 1;
  }
  auto rep = classifier::Evaluate(*load.classifier, in);
  if (verbose) std::cout << rep.errors;
  std::cout << classifier::FormatReport(rep);
  return 0;
}

}  // namespace sambat::daemon
