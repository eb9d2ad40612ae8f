#include "classifier/normalizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>

#include "base/utf8.h"

namespace sambat::classifier {
namespace {

constexpr size_t kMaxHashtagSplit = 64;  // longer tags are kept whole (bounded DP)

bool StartsWithCI(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[at + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Decodes an HTML entity at s[at] ('&'); returns its code point and length, or -1.
int32_t DecodeEntity(std::string_view s, size_t at, size_t* len) {
  static constexpr std::array<std::pair<std::string_view, int32_t>, 7> kNamed = {{
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''},
      {"&nbsp;", ' '}, {"&#39;", '\''}}};
  for (const auto& [name, cp] : kNamed) {
    if (StartsWithCI(s, at, name)) {
      *len = name.size();
      return cp;
    }
  }
  if (at + 3 < s.size() && s[at + 1] == '#') {
    size_t i = at + 2;
    int base = 10;
    if (s[i] == 'x' || s[i] == 'X') {
      base = 16;
      ++i;
    }
    int64_t v = 0;
    size_t digits = 0;
    while (i < s.size() && digits < 7) {
      char c = s[i];
      int d = (c >= '0' && c <= '9') ? c - '0'
              : (base == 16 && c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (base == 16 && c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) break;
      v = v * base + d;
      ++i;
      ++digits;
    }
    if (digits > 0 && i < s.size() && s[i] == ';' && v > 0 && v <= 0x10FFFF) {
      *len = i + 1 - at;
      return static_cast<int32_t>(v);
    }
  }
  return -1;
}

bool IsSpaceByte(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Calls `emit(cp, begin, end)` for every code point of `s`: invalid UTF-8 bytes become
// U+FFFD (one per byte), HTML entities are decoded, URLs are skipped.
template <typename Emit>
void Decode(std::string_view s, Emit&& emit) {
  size_t i = 0;
  bool at_word_start = true;
  while (i < s.size()) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (at_word_start && (b == 'h' || b == 'H' || b == 'w' || b == 'W') &&
        (StartsWithCI(s, i, "http://") || StartsWithCI(s, i, "https://") || StartsWithCI(s, i, "www."))) {
      while (i < s.size() && !IsSpaceByte(s[i])) ++i;
      continue;
    }
    if (b == '&') {
      size_t len = 0;
      int32_t cp = DecodeEntity(s, i, &len);
      if (cp >= 0) {
        emit(cp, static_cast<uint32_t>(i), static_cast<uint32_t>(i + len));
        at_word_start = cp == ' ';
        i += len;
        continue;
      }
    }
    if (b < 0x80) {
      emit(static_cast<int32_t>(b), static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1));
      at_word_start = IsSpaceByte(static_cast<char>(b)) || b == '(' || b == '"';
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                          static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      cp = 0xFFFD;
      n = 1;
    }
    emit(cp, static_cast<uint32_t>(i), static_cast<uint32_t>(i + n));
    at_word_start = false;
    i += static_cast<size_t>(n);
  }
}

bool IsWordChar(int32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
  auto cat = utf8proc_category(cp);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

bool IsLetter(int32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

int Utf8Length(int32_t cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }

// Builds the output in place: tokens are written straight into `out.text`, and rewritten
// there when they turn out to be slang or hashtags.
class Builder {
 public:
  Builder(const Normalizer& norm, const WordIndex& slang, const std::vector<std::string>& replacements,
          NormalizedText* out, void (Normalizer::*split)(std::string_view, std::vector<std::string>*) const)
      : norm_(norm), slang_(slang), replacements_(replacements), out_(out), split_(split) {}

  void Char(int32_t cp, uint32_t ob, uint32_t oe) {
    if (IsWordChar(cp)) {
      Letter(cp, ob, oe);
    } else if ((cp == '@' || cp == '#') && !open_) {
      Open(ob);
      sigil_ = static_cast<char>(cp);
      if (cp == '@') out_->text.push_back('@');
    } else if (cp == '\'' && open_ && Length() > (sigil_ == '@' ? 1u : 0u)) {
      // "jl'an", "dgn'": apostrophes inside words are dropped, not split on
    } else {
      Close();
    }
  }

  void Close() {
    if (!open_) return;
    open_ = false;
    const size_t len = Length();
    const bool empty = len == 0 || (sigil_ == '@' && len == 1);
    if (empty) {
      Drop();
      return;
    }
    const Token range{static_cast<uint32_t>(start_), static_cast<uint32_t>(out_->text.size()), orig_begin_, orig_end_};
    if (sigil_ == '#') {
      words_.clear();
      (norm_.*split_)(std::string_view(out_->text).substr(start_), &words_);
      Drop();
      for (const auto& w : words_) Emit(w, range);
      return;
    }
    if (sigil_ == 0) {
      const std::string_view word = std::string_view(out_->text).substr(start_);
      int id = slang_.Find(word);
      // Banyumasan/Javanese possessive endings on a slang word: "dalane" → "dalan" + "e",
      // "banyune" → "banyu" + "ne". The base word's standard form is used. Every ending
      // ends in e or a: other words need no second look.
      const char last = word.empty() ? 0 : word.back();
      if (id < 0 && word.size() > 4 && (last == 'e' || last == 'a')) {
        for (std::string_view suffix : {"ne", "e", "nya", "na"}) {
          if (word.size() > suffix.size() + 2 && word.substr(word.size() - suffix.size()) == suffix) {
            id = slang_.Find(word.substr(0, word.size() - suffix.size()));
            if (id >= 0) break;
          }
        }
      }
      if (id >= 0) {
        const std::string& replacement = replacements_[static_cast<size_t>(id)];
        Drop();
        Emit(replacement, range);
        return;
      }
    }
    out_->tokens.push_back(range);
  }

 private:
  size_t Length() const { return out_->text.size() - start_; }

  void Open(uint32_t ob) {
    if (!out_->text.empty()) out_->text.push_back(' ');
    open_ = true;
    start_ = out_->text.size();
    orig_begin_ = ob;
    sigil_ = 0;
    last_cp_ = -1;
    run_ = 0;
  }

  // Removes the open token (and the space before it) from the text.
  void Drop() {
    out_->text.resize(start_);
    if (!out_->text.empty()) out_->text.pop_back();
  }

  // Appends `words` (one or more, space-separated) as tokens covering `range` of the original.
  void Emit(std::string_view words, const Token& range) {
    for (std::string_view w : SplitWords(words)) {
      if (!out_->text.empty()) out_->text.push_back(' ');
      Token t{static_cast<uint32_t>(out_->text.size()), 0, range.orig_begin, range.orig_end};
      out_->text.append(w);
      t.end = static_cast<uint32_t>(out_->text.size());
      out_->tokens.push_back(t);
    }
  }

  void Letter(int32_t cp, uint32_t ob, uint32_t oe) {
    if (!open_) Open(ob);
    orig_end_ = oe;
    if (cp == last_cp_ && IsLetter(cp)) {
      if (++run_ >= 3) {  // rusaaak → rusak: the third repeat is dropped and the second undone
        if (run_ == 3) out_->text.resize(out_->text.size() - static_cast<size_t>(Utf8Length(cp)));
        return;
      }
    } else {
      last_cp_ = cp;
      run_ = 1;
    }
    if (cp < 0x80) {
      out_->text.push_back(static_cast<char>(cp));
      return;
    }
    utf8proc_uint8_t buf[4];
    auto n = utf8proc_encode_char(cp, buf);
    out_->text.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  }

  const Normalizer& norm_;
  const WordIndex& slang_;
  const std::vector<std::string>& replacements_;
  NormalizedText* out_;
  void (Normalizer::*split_)(std::string_view, std::vector<std::string>*) const;
  std::vector<std::string> words_;
  bool open_ = false;
  size_t start_ = 0;
  uint32_t orig_begin_ = 0, orig_end_ = 0;
  char sigil_ = 0;
  int32_t last_cp_ = -1;
  int run_ = 0;
};

}  // namespace

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t sp = text.find(' ', start);
    if (sp == std::string_view::npos) sp = text.size();
    if (sp > start) out.push_back(text.substr(start, sp - start));
    start = sp + 1;
  }
  return out;
}

std::string RepairUtf8(std::string_view s) { return sambat::RepairUtf8(s); }

size_t NormalizedText::TokenAt(uint32_t pos) const {
  auto it = std::upper_bound(tokens.begin(), tokens.end(), pos,
                             [](uint32_t p, const Token& t) { return p < t.begin; });
  return it == tokens.begin() ? 0 : static_cast<size_t>(it - tokens.begin() - 1);
}

std::pair<uint32_t, uint32_t> NormalizedText::OriginalSpan(uint32_t begin, uint32_t end) const {
  if (tokens.empty()) return {0, 0};
  return {tokens[TokenAt(begin)].orig_begin, tokens[TokenAt(end - 1)].orig_end};
}

Normalizer::Normalizer(SlangMap slang, WordSet vocabulary)
    : vocabulary_(std::move(vocabulary)) {
  for (auto& [word, replacement] : slang) {
    slang_index_.Add(word);  // the map's keys are unique: ids follow replacements_
    replacements_.push_back(std::move(replacement));
  }
  for (const auto& w : vocabulary_) longest_word_ = std::max(longest_word_, w.size());
  longest_word_ = std::min<size_t>(longest_word_, 24);
}

void Normalizer::SplitHashtag(std::string_view body, std::vector<std::string>* words) const {
  const size_t n = body.size();
  if (n == 0) return;
  if (n <= kMaxHashtagSplit && vocabulary_.find(body) == vocabulary_.end()) {
    // Fewest known words covering the whole tag; O(n * longest word).
    constexpr int kInf = 1 << 20;
    std::array<int, kMaxHashtagSplit + 1> best, prev;
    best.fill(kInf);
    best[0] = 0;
    for (size_t i = 0; i < n; ++i) {
      if (best[i] == kInf) continue;
      for (size_t len = 2; len <= longest_word_ && i + len <= n; ++len) {
        if (best[i] + 1 < best[i + len] && vocabulary_.find(body.substr(i, len)) != vocabulary_.end()) {
          best[i + len] = best[i] + 1;
          prev[i + len] = static_cast<int>(i);
        }
      }
    }
    if (best[n] != kInf && best[n] > 1) {
      std::vector<std::string> parts;
      for (size_t at = n; at > 0; at = static_cast<size_t>(prev[at])) {
        parts.emplace_back(body.substr(prev[at], at - prev[at]));
      }
      words->insert(words->end(), parts.rbegin(), parts.rend());
      return;
    }
  }
  words->emplace_back(body);
}

NormalizedText Normalizer::Normalize(std::string_view original) const {
  NormalizedText out;
  out.text.reserve(original.size() + 16);
  out.tokens.reserve(original.size() / 5 + 4);
  Builder b(*this, slang_index_, replacements_, &out, &Normalizer::SplitHashtag);
  Decode(original, [&](int32_t cp, uint32_t ob, uint32_t oe) {
    if (cp < 0x80) {  // fast path: ASCII needs only lowercasing
      b.Char(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp, ob, oe);
      return;
    }
    // NFKC-style compatibility mapping + case folding, per code point; default-ignorable
    // characters (zero-width joiners, BOM, ...) vanish; accents are stripped.
    utf8proc_int32_t mapped[16];
    int last_boundclass = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        cp, mapped, 16,
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                       UTF8PROC_IGNORE | UTF8PROC_STRIPMARK | UTF8PROC_STRIPCC),
        &last_boundclass);
    if (n < 0 || n > 16) {
      b.Close();
      return;
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) b.Char(mapped[k], ob, oe);
  });
  b.Close();
  return out;
}

}  // namespace sambat::classifier
