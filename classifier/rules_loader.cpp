#include "classifier/rules_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "classifier/csv.h"
#include "classifier/rule_reader.h"

namespace sambat::classifier {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxListDepth = 8;

void Error(std::vector<RuleDiagnostic>* d, const char* code, SourcePos pos, const std::string& rule, std::string msg) {
  d->push_back({RuleDiagnostic::Severity::kError, code, std::move(pos), rule, std::move(msg)});
}
void Warn(std::vector<RuleDiagnostic>* d, const char* code, SourcePos pos, const std::string& rule, std::string msg) {
  d->push_back({RuleDiagnostic::Severity::kWarning, code, std::move(pos), rule, std::move(msg)});
}

// Stage 2: lists by name across files, rule ids unique across files.
struct Collected {
  std::map<std::string, const ListSpec*> lists;
  std::set<std::string> used_lists;
  std::vector<const RuleSpec*> rules;
};

Collected Collect(const std::vector<RuleFileSpec>& files, std::vector<RuleDiagnostic>* d) {
  Collected c;
  std::map<std::string, const RuleSpec*> ids;
  for (const auto& f : files) {
    for (const auto& l : f.lists) {
      auto [it, fresh] = c.lists.emplace(l.name, &l);
      if (!fresh) {
        Error(d, code::kDuplicateList, l.pos, "",
              "list '" + l.name + "' is already defined at " + it->second->pos.file + ":" +
                  std::to_string(it->second->pos.line));
      }
    }
    for (const auto& r : f.rules) {
      if (r.id.empty()) continue;
      auto [it, fresh] = ids.emplace(r.id, &r);
      if (!fresh) {
        Error(d, code::kDuplicateId, r.pos, r.id,
              "rule id already used at " + it->second->pos.file + ":" + std::to_string(it->second->pos.line));
        continue;
      }
      c.rules.push_back(&r);
    }
  }
  return c;
}

// Stage 3: terms.
class TermCompiler {
 public:
  TermCompiler(const Collected& c, const Normalizer& norm, std::vector<RuleDiagnostic>* d)
      : c_(c), norm_(norm), d_(d) {}

  // Expands one group's items into term ids (deduplicated).
  std::vector<int> Group(const TermGroupSpec& items, const std::string& rule, std::set<std::string>* used_lists) {
    std::vector<int> out;
    for (const auto& item : items) Expand(item, rule, 0, used_lists, &out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  std::vector<CompiledTerm> Take() { return std::move(terms_); }
  std::set<std::string> Words() const {
    std::set<std::string> w;
    for (const auto& t : terms_) {
      for (size_t i = 0; i < t.words.size(); ++i) {
        if (!(t.prefix && i + 1 == t.words.size())) w.insert(t.words[i]);
      }
    }
    return w;
  }

 private:
  void Expand(const TermSpec& item, const std::string& rule, int depth, std::set<std::string>* used,
              std::vector<int>* out) {
    if (item.text[0] == '$') {
      const std::string name = item.text.substr(1);
      auto it = c_.lists.find(name);
      if (it == c_.lists.end()) {
        Error(d_, code::kUnknownList, item.pos, rule, "unknown list '$" + name + "'");
        return;
      }
      if (depth >= kMaxListDepth) {
        Error(d_, code::kBadValue, item.pos, rule, "lists nest too deep (a list including itself?)");
        return;
      }
      used->insert(name);
      for (const auto& sub : it->second->terms) Expand(sub, rule, depth + 1, used, out);
      return;
    }
    std::string text = item.text;
    bool prefix = false;
    if (text.back() == '*') {
      prefix = true;
      text.pop_back();
    }
    if (text.find('*') != std::string::npos || text.find('$') != std::string::npos) {
      Error(d_, code::kBadValue, item.pos, rule, "'" + item.text + "': '*' only at the end of a word, '$' only before a list name");
      return;
    }
    NormalizedText n = norm_.Normalize(text);
    if (n.tokens.empty()) {
      Error(d_, code::kBadValue, item.pos, rule, "'" + item.text + "' has no letters or digits");
      return;
    }
    CompiledTerm t;
    for (const auto& tok : n.tokens) t.words.push_back(n.text.substr(tok.begin, tok.end - tok.begin));
    t.prefix = prefix;
    if (prefix && t.words.back().size() < 3) {
      Error(d_, code::kBadValue, item.pos, rule, "'" + item.text + "': a prefix needs at least 3 letters");
      return;
    }
    const std::string key = t.Display();
    auto [it, fresh] = index_.emplace(key, static_cast<int>(terms_.size()));
    if (fresh) terms_.push_back(std::move(t));
    out->push_back(it->second);
  }

  const Collected& c_;
  const Normalizer& norm_;
  std::vector<RuleDiagnostic>* d_;
  std::vector<CompiledTerm> terms_;
  std::map<std::string, int> index_;
};

std::vector<Opd> ReadOpds(const std::string& csv) {
  std::vector<Opd> out;
  for (const auto& row : ParseCsv(csv)) {
    if (row.size() < 4 || row[0] == "code") continue;
    out.push_back({row[0], row[1], row[2], row[3] == "outside"});
  }
  return out;
}

std::string Fingerprint(const RulesSources& s) {
  // FNV-1a over every input: the same files give the same version string.
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](const std::string& x) {
    for (unsigned char ch : x) {
      h ^= ch;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  for (const auto& [name, text] : s.files) {
    mix(name);
    mix(text);
  }
  mix(s.slang_yaml);
  mix(s.opd_csv);
  mix(s.wilayah_csv);
  mix(s.wilayah_alias_csv);
  mix(s.wilayah_ambigu_txt);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// File order, then position: how a person reads them.
void SortDiagnostics(std::vector<RuleDiagnostic>* d) {
  std::stable_sort(d->begin(), d->end(), [](const RuleDiagnostic& a, const RuleDiagnostic& b) {
    return std::tie(a.pos.file, a.pos.line, a.pos.column) < std::tie(b.pos.file, b.pos.line, b.pos.column);
  });
}

}  // namespace

RulesLoad CompileRules(const RulesSources& src) {
  RulesLoad out;
  auto* d = &out.diagnostics;

  // Stage 1: read.
  SlangMap slang = ReadSlangFile(src.slang_yaml, src.slang_name, d);
  std::vector<RuleFileSpec> files;
  for (const auto& [name, text] : src.files) files.push_back(ReadRuleFile(text, name, d));
  std::vector<Opd> opds = ReadOpds(src.opd_csv);
  if (opds.empty()) Error(d, code::kMissingFile, {"opd_codes.csv", 0, 0}, "", "no OPD codes (columns: code,name,scope,status)");
  std::set<std::string> opd_codes;
  for (const auto& o : opds) opd_codes.insert(o.code);

  std::unordered_set<std::string> ambigu;
  {
    std::istringstream in(src.wilayah_ambigu_txt);
    std::string line;
    while (std::getline(in, line)) {
      line = line.substr(0, line.find('#'));
      std::string name = NormalizePlaceName(line);
      if (!name.empty()) ambigu.insert(name);
    }
  }
  Gazetteer gazetteer;
  std::string gz_error;
  if (!gazetteer.Load(src.wilayah_csv, src.wilayah_alias_csv, ambigu, &gz_error)) {
    Error(d, code::kMissingFile, {"wilayah.csv", 0, 0}, "", gz_error);
  }

  // Stage 2: collect.
  Collected collected = Collect(files, d);

  // Stage 3: compile. Rule words go through the same normaliser as posts (slang included),
  // so a rule that says "jln" still matches.
  Normalizer plain(slang, {});
  TermCompiler terms(collected, plain, d);
  std::vector<CompiledRule> rules;
  std::vector<std::unique_ptr<RE2>> regexes;
  for (const RuleSpec* spec : collected.rules) {
    CompiledRule r;
    r.id = spec->id;
    r.description = spec->description;
    r.kind = spec->kind;
    r.opd = spec->opd;
    r.kategori = spec->kategori;
    r.weight = spec->weight;
    r.matcher = spec->matcher;
    r.within = spec->within;
    r.pos = spec->pos;
    r.match_examples = spec->match_examples;
    r.no_match_examples = spec->no_match_examples;
    if (spec->kind == RuleKind::kTopic && !spec->opd.empty() && !opd_codes.count(spec->opd)) {
      Error(d, code::kUnknownOpd, spec->opd_pos, spec->id, "unknown OPD code '" + spec->opd + "' (see opd_codes.csv)");
    }
    for (const auto& g : spec->groups) r.groups.push_back(terms.Group(g, spec->id, &collected.used_lists));
    r.not_terms = terms.Group(spec->not_terms, spec->id, &collected.used_lists);
    if (spec->matcher == MatcherKind::kRegex && !spec->regex.empty()) {
      RE2::Options o;
      o.set_log_errors(false);
      o.set_max_mem(8 << 20);
      auto re = std::make_unique<RE2>("(" + spec->regex + ")", o);
      if (!re->ok()) {
        Error(d, code::kBadPattern, spec->regex_pos, spec->id, "bad regex: " + re->error());
      } else {
        if (HasGap(spec->regex)) {
          Warn(d, code::kSlowPattern, spec->regex_pos, spec->id,
               "gaps like .* or .{0,40} are slow; write this rule with 'near' instead");
        }
        r.regex = static_cast<int>(regexes.size());
        regexes.push_back(std::move(re));
      }
    }
    rules.push_back(std::move(r));
  }
  for (const auto& [name, list] : collected.lists) {
    if (!collected.used_lists.count(name)) Warn(d, code::kUnusedList, list->pos, "", "list '" + name + "' is not used by any rule");
  }
  if (collected.rules.empty() && !HasErrors(*d)) Error(d, code::kMissingKey, {"rules", 0, 0}, "", "no rules found");
  if (HasErrors(*d)) {
    SortDiagnostics(d);
    return out;
  }

  // Vocabulary for hashtag splitting: rule words, slang, place names.
  WordSet vocab;
  for (const auto& w : terms.Words()) vocab.insert(w);
  for (const auto& [k, v] : slang) {
    vocab.insert(k);
    for (std::string_view w : SplitWords(v)) vocab.emplace(w);
  }
  for (const auto& w : gazetteer.Words()) vocab.insert(w);

  Classifier::Parts parts;
  parts.normalizer = std::make_unique<Normalizer>(std::move(slang), std::move(vocab));
  parts.ruleset = std::make_unique<Ruleset>(terms.Take(), std::move(rules), std::move(regexes), gazetteer.Names());
  if (!parts.ruleset->ok()) {
    Error(d, code::kBadPattern, {"rules", 0, 0}, "", parts.ruleset->error());
    return out;
  }
  parts.gazetteer = std::move(gazetteer);
  parts.opds = std::move(opds);
  parts.version = Fingerprint(src);

  // Examples: every match example must fire its rule, no no_match example may.
  const Ruleset& rs = *parts.ruleset;
  const Normalizer& norm = *parts.normalizer;
  for (size_t i = 0; i < rs.rules().size(); ++i) {
    const CompiledRule& r = rs.rules()[i];
    auto fires = [&](const std::string& text) {
      for (const auto& h : rs.Match(norm.Normalize(text))) {
        if (h.rule == static_cast<int>(i)) return true;
      }
      return false;
    };
    for (const auto& ex : r.match_examples) {
      ++out.examples_run;
      if (!fires(ex.text)) {
        ++out.examples_failed;
        Warn(d, code::kExampleFailed, ex.pos, r.id, "does not match its example: \"" + ex.text + "\"");
      }
    }
    for (const auto& ex : r.no_match_examples) {
      ++out.examples_run;
      if (fires(ex.text)) {
        ++out.examples_failed;
        Warn(d, code::kExampleFailed, ex.pos, r.id, "matches its no_match example: \"" + ex.text + "\"");
      }
    }
  }
  out.classifier = std::make_unique<Classifier>(std::move(parts));
  SortDiagnostics(d);
  return out;
}

RulesLoad LoadRules(const std::string& path) {
  RulesSources src;
  RulesLoad failed;
  auto read = [&](const fs::path& p, std::string* out, bool required) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      if (required) {
        Error(&failed.diagnostics, code::kMissingFile, {p.string(), 0, 0}, "", "cannot read " + p.string());
      }
      return false;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    *out = buf.str();
    return true;
  };
  std::error_code ec;
  fs::path dir;
  std::vector<fs::path> rule_files;
  if (fs::is_directory(path, ec)) {
    dir = path;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      const fs::path& p = entry.path();
      if (p.extension() == ".yaml" && p.filename() != "slang.yaml") rule_files.push_back(p);
    }
    std::sort(rule_files.begin(), rule_files.end());
  } else if (fs::is_regular_file(path, ec)) {
    dir = fs::path(path).parent_path();
    if (dir.empty()) dir = ".";
    rule_files.push_back(path);
  } else {
    Error(&failed.diagnostics, code::kMissingFile, {path, 0, 0}, "", "no rules file or folder at " + path);
    return failed;
  }
  for (const auto& p : rule_files) {
    std::string text;
    if (read(p, &text, true)) src.files.emplace_back(p.string(), std::move(text));
  }
  src.slang_name = (dir / "slang.yaml").string();
  read(dir / "slang.yaml", &src.slang_yaml, true);
  read(dir / "opd_codes.csv", &src.opd_csv, true);
  read(dir / "wilayah.csv", &src.wilayah_csv, true);
  read(dir / "wilayah_alias.csv", &src.wilayah_alias_csv, false);
  read(dir / "wilayah_ambigu.txt", &src.wilayah_ambigu_txt, false);
  if (!failed.diagnostics.empty()) return failed;
  return CompileRules(src);
}

}  // namespace sambat::classifier
