#include "classifier/rule_reader.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <set>

namespace sambat::classifier {
namespace {

class Reader {
 public:
  Reader(std::string path, std::vector<RuleDiagnostic>* diags) : path_(std::move(path)), diags_(diags) {}

  SourcePos Pos(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    return {path_, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0};
  }
  SourcePos Pos(const YAML::Mark& m) const {
    return {path_, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0};
  }

  void Error(const char* code, SourcePos pos, const std::string& rule, std::string msg) {
    diags_->push_back({RuleDiagnostic::Severity::kError, code, std::move(pos), rule, std::move(msg)});
  }
  void Warn(const char* code, SourcePos pos, const std::string& rule, std::string msg) {
    diags_->push_back({RuleDiagnostic::Severity::kWarning, code, std::move(pos), rule, std::move(msg)});
  }

  bool CheckKeys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& rule,
                 const std::string& where) {
    if (!map.IsMap()) {
      Error(code::kBadValue, Pos(map), rule, where + " must be a mapping");
      return false;
    }
    std::set<std::string> seen;
    for (const auto& kv : map) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      if (!seen.insert(key).second) {
        Error(code::kUnknownKey, Pos(kv.first), rule, "duplicate key '" + key + "' in " + where);
      } else if (!allowed.count(key)) {
        std::string known;
        for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
        Error(code::kUnknownKey, Pos(kv.first), rule, "unknown key '" + key + "' in " + where + " (known: " + known + ")");
      }
    }
    return true;
  }

  // A list of terms: a sequence of strings, or (inside all/near) a single string.
  TermGroupSpec Terms(const YAML::Node& n, const std::string& rule, const std::string& what, bool allow_scalar) {
    TermGroupSpec out;
    if (allow_scalar && n.IsScalar()) {
      AddTerm(n, rule, what, &out);
      return out;
    }
    if (!n.IsSequence()) {
      Error(code::kBadValue, Pos(n), rule, what + " must be a list of words, e.g. [jalan, aspal, $jalan_desa]");
      return out;
    }
    for (const auto& item : n) AddTerm(item, rule, what, &out);
    if (out.empty()) Error(code::kBadValue, Pos(n), rule, what + " is empty");
    return out;
  }

  void AddTerm(const YAML::Node& item, const std::string& rule, const std::string& what, TermGroupSpec* out) {
    if (!item.IsScalar()) {
      Error(code::kBadValue, Pos(item), rule, "items of " + what + " must be words or phrases");
      return;
    }
    std::string t = item.Scalar();
    if (t.empty()) {
      Error(code::kBadValue, Pos(item), rule, "empty word in " + what);
      return;
    }
    out->push_back({t, Pos(item)});
  }

  std::vector<ExampleSpec> Examples(const YAML::Node& n, const std::string& rule, const std::string& what) {
    std::vector<ExampleSpec> out;
    if (!n.IsSequence()) {
      Error(code::kBadValue, Pos(n), rule, what + " must be a list of example posts");
      return out;
    }
    for (const auto& e : n) {
      if (!e.IsScalar()) {
        Error(code::kBadValue, Pos(e), rule, "an example must be text");
        continue;
      }
      out.push_back({e.Scalar(), Pos(e)});
    }
    return out;
  }

  void ReadRule(const YAML::Node& n, RuleFileSpec* file) {
    RuleSpec r;
    r.pos = Pos(n);
    if (!n.IsMap()) {
      Error(code::kBadValue, Pos(n), "", "a rule must be a mapping with id, kind, ...");
      return;
    }
    if (n["id"] && n["id"].IsScalar()) r.id = n["id"].Scalar();
    const std::string& id = r.id;
    CheckKeys(n, {"id", "description", "kind", "opd", "kategori", "weight", "any", "all", "near", "within",
                  "not", "regex", "examples"},
              id, "rule");
    if (id.empty()) {
      Error(code::kMissingKey, Pos(n), "", "rule without 'id'");
    } else {
      bool good = std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      });
      if (!good) Error(code::kBadValue, Pos(n["id"]), id, "rule ids use lowercase letters, digits, '-' and '_'");
    }
    if (n["description"] && n["description"].IsScalar()) r.description = n["description"].Scalar();

    if (!n["kind"]) {
      Error(code::kMissingKey, Pos(n), id, "missing 'kind' (signal, topic or suppressor)");
    } else {
      const std::string k = n["kind"].IsScalar() ? n["kind"].Scalar() : "";
      if (k == "signal") r.kind = RuleKind::kSignal;
      else if (k == "topic") r.kind = RuleKind::kTopic;
      else if (k == "suppressor") r.kind = RuleKind::kSuppressor;
      else Error(code::kBadValue, Pos(n["kind"]), id, "kind must be signal, topic or suppressor, not '" + k + "'");
    }
    if (n["opd"]) {
      r.opd_pos = Pos(n["opd"]);
      if (n["opd"].IsScalar()) r.opd = n["opd"].Scalar();
      else Error(code::kBadValue, Pos(n["opd"]), id, "opd must be one code, e.g. DPUPR");
    }
    if (n["kategori"] && n["kategori"].IsScalar()) r.kategori = n["kategori"].Scalar();
    if (r.kind == RuleKind::kTopic) {
      if (r.opd.empty() && !n["opd"]) Error(code::kMissingKey, Pos(n), id, "a topic rule needs 'opd'");
      if (r.kategori.empty()) Error(code::kMissingKey, Pos(n), id, "a topic rule needs 'kategori'");
    } else if (n["opd"]) {
      Error(code::kBadValue, Pos(n["opd"]), id, "only topic rules name an OPD");
    }
    if (n["weight"]) {
      double w = 0;
      if (!n["weight"].IsScalar() || !YAML::convert<double>::decode(n["weight"], w) || !(w > 0) || w > 100) {
        Error(code::kBadValue, Pos(n["weight"]), id, "weight must be a number above 0 (and at most 100)");
      } else {
        r.weight = w;
      }
    }
    int matchers = 0;
    if (n["any"]) {
      ++matchers;
      r.matcher = MatcherKind::kAny;
      r.groups.push_back(Terms(n["any"], id, "'any'", false));
    }
    for (const char* key : {"all", "near"}) {
      if (!n[key]) continue;
      ++matchers;
      r.matcher = std::string(key) == "all" ? MatcherKind::kAll : MatcherKind::kNear;
      const YAML::Node g = n[key];
      if (!g.IsSequence() || g.size() < 2) {
        Error(code::kBadValue, Pos(g), id, std::string("'") + key + "' needs at least two groups, e.g. [$jalan, $rusak]");
        continue;
      }
      for (const auto& group : g) r.groups.push_back(Terms(group, id, std::string("a group of '") + key + "'", true));
    }
    if (n["regex"]) {
      ++matchers;
      r.matcher = MatcherKind::kRegex;
      r.regex_pos = Pos(n["regex"]);
      if (n["regex"].IsScalar() && !n["regex"].Scalar().empty()) r.regex = n["regex"].Scalar();
      else Error(code::kBadValue, Pos(n["regex"]), id, "regex must be a non-empty pattern");
    }
    if (matchers == 0) Error(code::kMissingKey, Pos(n), id, "a rule needs one of any, all, near or regex");
    if (matchers > 1) Error(code::kBadValue, Pos(n), id, "a rule has exactly one of any, all, near or regex");
    if (n["within"]) {
      int w = 0;
      if (r.matcher != MatcherKind::kNear) {
        Error(code::kBadValue, Pos(n["within"]), id, "'within' goes with 'near'");
      } else if (!n["within"].IsScalar() || !YAML::convert<int>::decode(n["within"], w) || w < 1 || w > 50) {
        Error(code::kBadValue, Pos(n["within"]), id, "within must be a whole number of words from 1 to 50");
      } else {
        r.within = w;
      }
    }
    if (n["not"]) r.not_terms = Terms(n["not"], id, "'not'", false);
    if (n["examples"]) {
      const YAML::Node ex = n["examples"];
      if (CheckKeys(ex, {"match", "no_match"}, id, "examples")) {
        if (ex["match"]) r.match_examples = Examples(ex["match"], id, "examples.match");
        if (ex["no_match"]) r.no_match_examples = Examples(ex["no_match"], id, "examples.no_match");
      }
    }
    if (r.match_examples.empty()) {
      Warn(code::kNoExamples, Pos(n), id, "no examples.match: add posts this rule must catch");
    }
    file->rules.push_back(std::move(r));
  }

  void ReadFile(const YAML::Node& root, RuleFileSpec* file) {
    if (!root.IsMap()) {
      Error(code::kBadValue, Pos(root), "", "a rule file is a mapping with version, lists and rules");
      return;
    }
    CheckKeys(root, {"version", "lists", "rules"}, "", "the file");
    if (!root["version"]) {
      Error(code::kMissingKey, Pos(root), "", "missing 'version: 1'");
    } else {
      int v = 0;
      if (!root["version"].IsScalar() || !YAML::convert<int>::decode(root["version"], v) || v < 1) {
        Error(code::kBadVersion, Pos(root["version"]), "", "version must be a whole number");
      } else if (v > kRulesEngineVersion) {
        Error(code::kBadVersion, Pos(root["version"]), "",
              "this file needs rules engine version " + std::to_string(v) + "; this sambatd has version " +
                  std::to_string(kRulesEngineVersion) + ": upgrade sambatd");
      }
    }
    if (const YAML::Node lists = root["lists"]) {
      if (!lists.IsMap()) {
        Error(code::kBadValue, Pos(lists), "", "lists must map names to word lists, e.g. jalan: [jalan, aspal]");
      } else {
        for (const auto& kv : lists) {
          ListSpec l;
          l.name = kv.first.Scalar();
          l.pos = Pos(kv.first);
          l.terms = Terms(kv.second, "", "list '" + l.name + "'", false);
          file->lists.push_back(std::move(l));
        }
      }
    }
    if (const YAML::Node rules = root["rules"]) {
      if (!rules.IsSequence()) {
        Error(code::kBadValue, Pos(rules), "", "rules must be a list (each item starts with '- id:')");
      } else {
        for (const auto& r : rules) ReadRule(r, file);
      }
    }
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<RuleDiagnostic>* diags_;
};

YAML::Node Parse(const std::string& text, Reader& r, bool* ok) {
  *ok = false;
  try {
    YAML::Node root = YAML::Load(text);
    *ok = true;
    return root;
  } catch (const YAML::Exception& e) {
    r.Error(code::kYamlSyntax, r.Pos(e.mark), "", "YAML syntax error: " + e.msg);
  }
  return YAML::Node();
}

}  // namespace

const char* RuleKindName(RuleKind k) {
  switch (k) {
    case RuleKind::kSignal: return "signal";
    case RuleKind::kTopic: return "topic";
    case RuleKind::kSuppressor: return "suppressor";
  }
  return "?";
}

RuleFileSpec ReadRuleFile(const std::string& text, const std::string& path, std::vector<RuleDiagnostic>* diags) {
  RuleFileSpec file;
  file.path = path;
  Reader r(path, diags);
  bool ok = false;
  YAML::Node root = Parse(text, r, &ok);
  if (!ok) return file;
  if (!root || root.IsNull()) {
    r.Error(code::kMissingKey, {path, 1, 1}, "", "the file is empty");
    return file;
  }
  try {
    r.ReadFile(root, &file);
  } catch (const YAML::Exception& e) {
    r.Error(code::kYamlSyntax, r.Pos(e.mark), "", "YAML error: " + e.msg);
  }
  return file;
}

SlangMap ReadSlangFile(const std::string& text, const std::string& path, std::vector<RuleDiagnostic>* diags) {
  SlangMap out;
  Reader r(path, diags);
  bool ok = false;
  YAML::Node root = Parse(text, r, &ok);
  if (!ok) return out;
  try {
    if (!root.IsMap()) {
      r.Error(code::kBadValue, r.Pos(root), "", "slang file must be a mapping with version and map");
      return out;
    }
    r.CheckKeys(root, {"version", "map"}, "", "the slang file");
    const YAML::Node map = root["map"];
    if (!map || !map.IsMap()) {
      r.Error(code::kMissingKey, r.Pos(root), "", "missing 'map:' (slang: standard word)");
      return out;
    }
    for (const auto& kv : map) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      const bool key_ok = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
      });
      if (!key_ok) {
        r.Error(code::kBadValue, r.Pos(kv.first), "", "slang '" + key + "' must be one lowercase word");
        continue;
      }
      if (!kv.second.IsScalar() || kv.second.Scalar().empty()) {
        r.Error(code::kBadValue, r.Pos(kv.second), "", "the standard form of '" + key + "' must be one or more words");
        continue;
      }
      if (out.count(key)) {
        r.Error(code::kDuplicateId, r.Pos(kv.first), "", "'" + key + "' is mapped twice");
        continue;
      }
      std::string v = kv.second.Scalar();
      for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.emplace(key, v);
    }
  } catch (const YAML::Exception& e) {
    r.Error(code::kYamlSyntax, r.Pos(e.mark), "", "YAML error: " + e.msg);
  }
  return out;
}

}  // namespace sambat::classifier
